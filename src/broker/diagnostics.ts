/**
 * The broker's log output: one line per HTTP request, and a replay record for failures worth reproducing
 * (http/api/decode/shape). Everything is redacted here, at the only door out.
 */
import type { BrokerErrorKind } from './brokerError';
import { headerValue, rateLimitHeaders, type HeaderMap } from './retryHints';
import { redact, redactDeep, redactTruncated } from './redact';
import type { BrokerLogSink, ReplayRecord } from './types';

/** Response headers that may carry credentials or cookies: never recorded. */
const DROPPED_HEADERS = new Set(['set-cookie', 'authorization', 'proxy-authorization', 'cookie']);

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function safeCall(sink: BrokerLogSink, entry: Parameters<BrokerLogSink>[0]): void {
  try {
    sink(entry);
  } catch {
    // A broken log sink must not break a chat.
  }
}

/** Emits the per-request line. */
export function logRequest(
  sink: BrokerLogSink | undefined,
  r: {
    modelId: string;
    url: string;
    status: number | null;
    ttfbMs: number | null;
    durationMs: number;
    rawUsage: Record<string, unknown> | null;
    headers: HeaderMap;
    outcome: 'ok' | BrokerErrorKind;
    secrets: readonly string[];
    proxy?: string | null;
  },
): void {
  if (!sink) return;
  const u = r.rawUsage ?? {};
  const promptTokens = num(u.prompt_tokens);
  const completionTokens = num(u.completion_tokens);
  const totalTokens = num(u.total_tokens);
  const rateLimit: Record<string, string> = {};
  for (const [k, v] of Object.entries(rateLimitHeaders(r.headers))) rateLimit[k] = redact(v, r.secrets);
  const tokens = r.rawUsage ? `${promptTokens ?? '?'}+${completionTokens ?? '?'}=${totalTokens ?? '?'}` : 'n/a';
  const limits = Object.entries(rateLimit).map(([k, v]) => `${k}=${v}`).join(' ');
  const line = redact(
    `${r.modelId} POST ${r.url} status=${r.status ?? '-'} ttfb=${r.ttfbMs === null ? '-' : `${Math.round(r.ttfbMs)}ms`} ` +
      `total=${Math.round(r.durationMs)}ms tokens=${tokens} outcome=${r.outcome}${r.proxy ? ` via=${r.proxy}` : ''}${limits ? ` ${limits}` : ''}`,
    r.secrets,
  );
  safeCall(sink, {
    type: 'request',
    line,
    modelId: r.modelId,
    url: redact(r.url, r.secrets),
    status: r.status,
    ttfbMs: r.ttfbMs,
    durationMs: r.durationMs,
    promptTokens,
    completionTokens,
    totalTokens,
    rateLimit,
    outcome: r.outcome,
    proxy: r.proxy ?? null,
  });
}

/** Emits a replay record. */
export function logReplay(
  sink: BrokerLogSink | undefined,
  r: {
    modelId: string;
    kind: BrokerErrorKind;
    message: string;
    url: string;
    requestBody: unknown;
    status: number | null;
    headers: HeaderMap;
    bodyHead: string;
    secrets: readonly string[];
  },
): void {
  if (!sink) return;
  const responseHeaders: Record<string, string> = {};
  for (const name of Object.keys(r.headers)) {
    if (DROPPED_HEADERS.has(name)) continue;
    const v = headerValue(r.headers, name);
    if (v !== undefined) responseHeaders[name] = redact(v, r.secrets);
  }
  safeCall(sink, {
    type: 'replay',
    record: {
      modelId: r.modelId,
      kind: r.kind,
      message: redact(r.message, r.secrets),
      url: redact(r.url, r.secrets),
      requestBody: redactDeep(r.requestBody, r.secrets),
      status: r.status,
      responseHeaders,
      bodyHead: redactTruncated(r.bodyHead, r.secrets),
      time: new Date().toISOString(),
    },
  });
}

/**
 * A replay record without the conversation: the request body keeps its settings (model, temperature,
 * tools...) but each message's content is replaced by its length. Used when
 * `switchboard.log.keepFailedRequests` is off.
 */
export function withoutPrompts(record: ReplayRecord): ReplayRecord {
  const body = record.requestBody;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ...record, requestBody: null, promptsKept: false };
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  if (Array.isArray(copy.messages)) {
    copy.messages = copy.messages.map((m: unknown) => {
      const msg = typeof m === 'object' && m !== null ? (m as Record<string, unknown>) : {};
      const content = msg.content;
      const size = typeof content === 'string' ? content.length : content === null || content === undefined ? 0 : JSON.stringify(content).length;
      return { role: msg.role, content: `[not kept: ${size} characters]` };
    });
  }
  return { ...record, requestBody: copy, promptsKept: false };
}
