/**
 * What a 2xx answer that is not an event stream means: an error in a JSON body, one JSON completion from a
 * server that ignored `stream: true`, an HTML page, or another API's format.
 */
import { BrokerError } from './brokerError';
import { detailsFromJson } from './classifyError';
import { anthropicShapeError, StreamReportedError } from './interpretChunk';

/** The error a buffered (non-stream) 2xx body stands for. */
export function nonStreamAnswer(text: string, contentType: string, status: number | null): BrokerError | StreamReportedError {
  const t = text.trim();
  if (t === '') return new BrokerError('transport', 'the server closed the connection without sending anything', { code: 'empty_response', retryable: true });
  if (contentType.includes('html') || t.startsWith('<')) return htmlAnswer(status);
  let parsed: unknown;
  try {
    parsed = JSON.parse(t);
  } catch {
    const firstLine = t.split(/\r?\n/, 1)[0] ?? '';
    try {
      return notSse(JSON.parse(firstLine));
    } catch {
      return new BrokerError('shape', `the server answered ${contentType || 'a body'} that is neither an event stream nor JSON`, { code: 'not_a_stream' });
    }
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const o = parsed as Record<string, unknown>;
    if ((o.error !== undefined && o.error !== null) || o.type === 'error' || o.object === 'error') {
      return new StreamReportedError(detailsFromJson(o), 'in a JSON body');
    }
    if (Array.isArray(o.choices) && o.choices.length > 0) {
      return new BrokerError('shape', 'the server ignored "stream": true and answered one JSON completion; this endpoint does not stream', { code: 'not_streamed' });
    }
  }
  return notSse(parsed);
}

/** An HTML page where an event stream was expected (whatever the content type said). */
export function htmlAnswer(status: number | null): BrokerError {
  return new BrokerError('shape', `the server answered HTTP ${status ?? 200} with an HTML page instead of an event stream: check the endpoint URL`, { code: 'html_response' });
}

/** A body compressed although none was asked for (a proxy or server setting compressing event streams). */
export function compressedAnswer(encoding: string, status: number | null): BrokerError {
  return new BrokerError(
    'shape',
    `the server answered HTTP ${status ?? 200} with a ${encoding}-compressed body although Switchboard asks for none: turn compression off for this endpoint (server or proxy setting)`,
    { code: 'compressed_response' },
  );
}

/** Message and code from an error payload that may be JSON or plain text. */
export function detailsFromText(data: string): { message?: string; code?: string } {
  const t = data.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return detailsFromJson(JSON.parse(t));
    } catch {
      // fall through: plain text
    }
  }
  return t === '' ? {} : { message: t };
}

/** A shape error for JSON that is not an OpenAI stream, naming the API it looks like. */
export function notSse(parsed: unknown): BrokerError {
  const o = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  if ('done' in o && ('message' in o || 'response' in o)) {
    return new BrokerError('shape', "the endpoint answered Ollama's native NDJSON (/api/chat), not OpenAI chat completions: point it at the server's /v1 URL", { code: 'ollama_native' });
  }
  if (o.type === 'message' || o.type === 'message_start') return anthropicShapeError();
  return new BrokerError('shape', 'the server answered JSON that is not an OpenAI chat completion stream', { code: 'not_a_stream' });
}
