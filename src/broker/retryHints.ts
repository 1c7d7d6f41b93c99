/**
 * Reading "when may I try again" from response headers. Servers disagree on the header and its unit:
 * `retry-after-ms` (OpenAI SDKs), `Retry-After` in seconds or as an HTTP date (RFC 9110), and OpenAI/Groq's
 * `x-ratelimit-reset-requests` / `x-ratelimit-reset-tokens` as Go-style durations (`6m0s`, `174ms`, `1.5s`).
 */

/** Response headers as undici gives them: lower-case names, a value or a list of values. */
export type HeaderMap = Record<string, string | string[] | undefined>;

/** The first value of a header, or undefined. */
export function headerValue(headers: HeaderMap, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

const DURATION_PART = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/gy;
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };

/**
 * Parses a Go-style duration (`6m0s`, `1h2m3.5s`, `174ms`) or a bare number of seconds into milliseconds.
 * Returns undefined for anything else, so a malformed header never becomes a wait.
 */
export function parseDurationMs(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(s)) return Number(s) * 1000;
  let total = 0;
  let pos = 0;
  DURATION_PART.lastIndex = 0;
  for (let m = DURATION_PART.exec(s); m !== null; m = DURATION_PART.exec(s)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    pos = DURATION_PART.lastIndex;
  }
  return pos === s.length && pos > 0 ? total : undefined;
}

/**
 * The wait the server asked for, in whole milliseconds, or undefined when it gave no usable hint.
 * Precedence: `retry-after-ms`, then `Retry-After`, then the longest `x-ratelimit-reset-*`.
 */
export function retryAfterMsFromHeaders(headers: HeaderMap, now: number): number | undefined {
  const ms = headerValue(headers, 'retry-after-ms');
  if (ms !== undefined && /^\s*\d+(?:\.\d+)?\s*$/.test(ms)) return Math.ceil(Number(ms));

  const ra = headerValue(headers, 'retry-after');
  if (ra !== undefined) {
    const t = ra.trim();
    if (/^\d+(?:\.\d+)?$/.test(t)) return Math.ceil(Number(t) * 1000);
    const date = Date.parse(t);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }

  let best: number | undefined;
  for (const name of ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens', 'x-ratelimit-reset']) {
    const v = headerValue(headers, name);
    const d = v === undefined ? undefined : parseDurationMs(v);
    if (d !== undefined && (best === undefined || d > best)) best = d;
  }
  return best === undefined ? undefined : Math.ceil(best);
}

/** The rate-limit related headers worth a log line. */
export function rateLimitHeaders(headers: HeaderMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    if (name.startsWith('x-ratelimit-') || name === 'retry-after' || name === 'retry-after-ms') {
      const v = headerValue(headers, name);
      if (v !== undefined) out[name] = v;
    }
  }
  return out;
}
