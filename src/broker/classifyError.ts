/**
 * Turning whatever a server said into a BrokerError: one readable line, the provider's code, and whether
 * waiting could help. Servers use many envelopes (see PROVIDERS.md "Errors"); this file knows them all.
 */
import { BrokerError, type BrokerErrorKind } from './brokerError';
import { maskQuery } from './redact';
import { headerValue, retryAfterMsFromHeaders, type HeaderMap } from './retryHints';

/** What we could read out of an error body. */
export interface ErrorDetails {
  message?: string;
  code?: string;
  /** An HTTP status the envelope carries (`code: 500`, `status: 503`) even when the response itself was a 200. */
  httpStatus?: number;
}

const MAX_MESSAGE = 300;
/** Categories some servers put in `code` while the specific reason sits in `type` (DeepSeek). */
const GENERIC_CODES = new Set(['invalid_request_error', 'api_error', 'server_error', 'internal_error', 'unknown_error']);
/** Codes that mean "no money": waiting will not help. */
const NO_CREDIT_CODES = new Set(['insufficient_quota', 'insufficient_balance', 'payment_required', 'billing_hard_limit_reached']);
/** Codes that mean "too fast / too busy": waiting will help. */
const RETRYABLE_CODES = new Set([
  'rate_limit_exceeded', 'rate_limit_error', 'overloaded_error', 'server_overloaded', 'model_not_ready', 'unavailable',
  'unavailable_error', 'service_unavailable', 'server_error', 'internal_server_error', '429', 'timeout',
  // Gateways reporting, inside a 200, that the model behind them failed or timed out.
  'provider_timeout', 'upstream_error', 'upstream_timeout', 'gateway_timeout', 'bad_gateway', 'provider_error',
]);
const RETRYABLE_STATUS = new Set([408, 409, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524, 529]);

/** Collapses whitespace and shortens to one line. */
export function oneLine(text: string, max = MAX_MESSAGE): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function codeString(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  return undefined;
}

/**
 * A readable message from a `message` value that may be a string, a FastAPI/pydantic `{detail: [...]}`
 * object (Mistral's 422), a list, or something else.
 */
function messageText(v: unknown, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return undefined;
    // A message that is itself a JSON envelope (OpenRouter's metadata.raw, some gateways): read inside it.
    if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
      try {
        const inner = detailsFromJson(JSON.parse(t), depth + 1);
        if (inner.message) return inner.message;
      } catch {
        // Not JSON after all: the text is the message.
      }
    }
    return t;
  }
  if (Array.isArray(v)) {
    const parts = v.map((x) => messageText(x, depth + 1)).filter((x): x is string => !!x);
    return parts.length ? parts.join('; ') : undefined;
  }
  if (isObject(v)) {
    if (typeof v.msg === 'string') {
      const loc = Array.isArray(v.loc) ? v.loc.filter((x) => typeof x === 'string' || typeof x === 'number').join('.') : '';
      return loc ? `${loc}: ${v.msg}` : v.msg;
    }
    for (const key of ['message', 'detail', 'error', 'msg', 'description']) {
      const inner = messageText(v[key], depth + 1);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Reads message and code from any known error envelope. */
export function detailsFromJson(body: unknown, depth = 0): ErrorDetails {
  if (Array.isArray(body) && body.length > 0) return detailsFromJson(body[0], depth + 1); // Google-style `[{error}]`
  if (!isObject(body)) return typeof body === 'string' ? { message: messageText(body, depth) } : {};
  const err = body.error;
  if (isObject(err)) {
    // OpenRouter puts the upstream provider's words in metadata.raw; they say more than "Provider returned error".
    const meta = isObject(err.metadata) ? err.metadata : undefined;
    const raw = meta ? messageText(meta.raw, depth + 1) : undefined;
    const message = raw ?? messageText(err.message, depth + 1) ?? messageText(err.detail, depth + 1) ?? messageText(err.error, depth + 1);
    return { message, code: pickCode(err.code, err.type, err.status), httpStatus: statusOf(err.code, err.status) };
  }
  if (typeof err === 'string') {
    // `{"error": "..."}` (Ollama, many proxies), optionally with a sibling message/code.
    return { message: messageText(err, depth + 1), code: pickCode(body.code, body.type, body.status), httpStatus: statusOf(body.code, body.status) };
  }
  // Flat envelope: `{object: "error", message, type, code}` (older vLLM, Mistral), or `{message, code}`, or `{detail}`.
  const message = messageText(body.message, depth + 1) ?? messageText(body.detail, depth + 1) ?? messageText(body.msg, depth + 1);
  return { message, code: pickCode(body.code, body.type, body.status), httpStatus: statusOf(body.code, body.status) };
}

/** A status-like number (400-599) from `code` or `status`, as a number or a numeric string. */
function statusOf(code: unknown, status: unknown): number | undefined {
  for (const v of [code, status]) {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{3}$/.test(v.trim()) ? Number(v) : NaN;
    if (n >= 400 && n <= 599) return n;
  }
  return undefined;
}

/** The most specific of code/type: numbers equal to a status and generic categories give way to the other. */
function pickCode(code: unknown, type: unknown, status: unknown): string | undefined {
  const c = codeString(code);
  // Google-style envelopes put the symbolic reason in `status` ("RESOURCE_EXHAUSTED").
  const t = codeString(type) ?? (typeof status === 'string' && !/^\d+$/.test(status.trim()) ? codeString(status) : undefined);
  if (c === undefined) return t ?? codeString(status);
  if (t !== undefined && !GENERIC_CODES.has(t)) {
    // llama.cpp: {code: 400, type: "exceed_context_size_error"}; DeepSeek: {code: "invalid_request_error", type: "authentication_error"}.
    if (/^\d+$/.test(c) && typeof code === 'number') return t;
    if (GENERIC_CODES.has(c)) return t;
  }
  return c;
}

/** Reads message and code from a body of any type. HTML and unreadable bodies give no message. */
export function detailsFromBody(bodyText: string, contentType: string | undefined): ErrorDetails & { html?: boolean } {
  const t = bodyText.trim();
  if (t === '') return {};
  if (/text\/html/i.test(contentType ?? '') || /^<(!doctype|html|head|body|\?xml)/i.test(t)) return { html: true };
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return detailsFromJson(JSON.parse(t));
    } catch {
      return {};
    }
  }
  // Plain text: the first line is usually the reason ("upstream connect error", "Bad Gateway").
  if (/json/i.test(contentType ?? '')) return {};
  return { message: oneLine(t.split(/\r?\n/, 1)[0] ?? '') || undefined };
}

/** Whether waiting and retrying could help, from status and provider code. */
export function isRetryable(status: number | undefined, code: string | undefined): boolean {
  const c = code?.toLowerCase();
  if (status === 402) return false;
  if (c !== undefined && NO_CREDIT_CODES.has(c)) return false;
  if (c !== undefined && RETRYABLE_CODES.has(c)) return true;
  return status !== undefined && RETRYABLE_STATUS.has(status);
}

/** Whether this failure means "no credits / no quota" (long cooldown, never retry soon). */
export function isNoCredit(error: BrokerError): boolean {
  return error.status === 402 || (error.code !== undefined && NO_CREDIT_CODES.has(error.code.toLowerCase()));
}

const STATUS_TEXT: Record<number, string> = {
  300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
  408: 'Request Timeout', 409: 'Conflict', 413: 'Payload Too Large', 422: 'Unprocessable Entity',
  429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Gateway Timeout', 529: 'Overloaded',
};

/** "HTTP 502 Bad Gateway". */
export function statusLine(status: number): string {
  const text = STATUS_TEXT[status];
  return text ? `HTTP ${status} ${text}` : `HTTP ${status}`;
}

/** A BrokerError for a non-2xx answer. `requestUrl` resolves a relative Location. */
export function httpError(status: number, headers: HeaderMap, bodyText: string, now: number, modelId: string, requestUrl?: string): BrokerError {
  const ct = headers['content-type'];
  const details = detailsFromBody(bodyText, Array.isArray(ct) ? ct[0] : ct);
  const location = headerValue(headers, 'location');
  const encoding = headerValue(headers, 'content-encoding')?.trim().toLowerCase();
  let message: string;
  if (status >= 300 && status < 400) {
    message = location
      ? `${statusLine(status)}: the server redirects to ${maskQuery(resolveUrl(location, requestUrl))}; set the endpoint to that address`
      : `${statusLine(status)}: a redirect without a Location`;
  } else if (encoding && encoding !== 'identity') message = `${statusLine(status)} (the error body is ${encoding}-compressed and was not read)`;
  else if (details.message) message = `${statusLine(status)}: ${oneLine(details.message)}`;
  else if (details.html) message = `${statusLine(status)} (the server answered an HTML page, not an API error)`;
  else if (bodyText.trim() === '') message = `${statusLine(status)} (empty response body)`;
  else message = `${statusLine(status)} (unreadable error body)`;
  return new BrokerError('http', message, {
    status,
    code: details.code,
    retryable: isRetryable(status, details.code),
    retryAfterMs: retryAfterMsFromHeaders(headers, now),
    modelId,
  });
}

function resolveUrl(location: string, base: string | undefined): string {
  try {
    return new URL(location, base).toString();
  } catch {
    return oneLine(location, 200);
  }
}

/** A BrokerError for an error reported inside a 200 answer (a stream event or a JSON body). */
export function apiError(
  details: ErrorDetails,
  status: number,
  headers: HeaderMap,
  now: number,
  init: { modelId: string; partialText?: string; where: string },
): BrokerError {
  // vLLM and llama.cpp put the real status in `code`; let it drive retryability.
  const n = details.httpStatus;
  const message = details.message ? oneLine(details.message) : `the server reported an error ${init.where} without a message`;
  return new BrokerError('api', message, {
    status,
    code: details.code,
    retryable: isRetryable(n ?? status, details.code),
    retryAfterMs: retryAfterMsFromHeaders(headers, now),
    modelId: init.modelId,
    partialText: init.partialText,
  });
}

/** A BrokerError of the given kind with a fixed message. */
export function simpleError(kind: BrokerErrorKind, message: string, init: ConstructorParameters<typeof BrokerError>[2] = {}): BrokerError {
  return new BrokerError(kind, message, init);
}
