/**
 * Secrets never leave the broker: keys and configured header values are cut out of every log line,
 * replay record and error message, wherever a server may have echoed them.
 */

/** Values shorter than this are not treated as secrets: replacing every "1" in a log helps nobody. */
const MIN_SECRET = 4;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g;

/** Replaces every occurrence of each secret (and any bearer token) with "[redacted]". */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= MIN_SECRET && out.includes(s)) out = out.split(s).join('[redacted]');
  }
  return out.replace(BEARER, '$1[redacted]');
}

/** Redacts every string inside a JSON-like value (returns a copy). */
export function redactDeep(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, secrets);
    return out;
  }
  return value;
}

/**
 * Like redact, for text cut at an arbitrary byte (a body's first 4 KB): a secret cut in half at the end
 * is redacted too.
 */
export function redactTruncated(text: string, secrets: readonly string[]): string {
  let out = redact(text, secrets);
  for (const s of secrets) {
    for (let k = Math.min(s.length - 1, out.length); k >= MIN_SECRET; k--) {
      if (out.endsWith(s.slice(0, k))) {
        out = `${out.slice(0, out.length - k)}[redacted]`;
        break;
      }
    }
  }
  return out;
}
