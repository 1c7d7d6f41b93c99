/**
 * Secrets never leave the broker: keys and configured header values are cut out of every log line,
 * replay record and error message, wherever a server may have echoed them: as they are, JSON-escaped
 * (`\/`, `\u00xx`) or percent-encoded. URLs have their query values masked (`?key=...` is how some
 * providers take keys).
 */

/** Values shorter than this are not treated as secrets: replacing every "1" in a log helps nobody. */
const MIN_SECRET = 4;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g;
/** An http(s) URL with a query string; the query runs to whitespace, a quote, `<`, `>` or `#`. */
const URL_WITH_QUERY = /(\bhttps?:\/\/[^\s"'<>?#]*\?)([^\s"'<>#]*)/gi;
export const MASK = '[redacted]';

/** `?key=abc&v=1` → `?key=***&v=***`: names kept, every value masked. */
function maskQueryString(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq === -1 ? (pair === '' ? '' : '***') : `${pair.slice(0, eq)}=***`;
    })
    .join('&');
}

/** One URL with its query values masked. */
export function maskQuery(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const hash = url.indexOf('#', q);
  const query = hash === -1 ? url.slice(q + 1) : url.slice(q + 1, hash);
  return `${url.slice(0, q + 1)}${maskQueryString(query)}${hash === -1 ? '' : url.slice(hash)}`;
}

/** Every URL inside a text with its query values masked. */
export function maskUrlQueries(text: string): string {
  if (!text.includes('?')) return text;
  return text.replace(URL_WITH_QUERY, (_m, head: string, query: string) => {
    // Punctuation that ends a sentence is not part of the URL.
    const tail = /[.,;:!)\]]+$/.exec(query)?.[0] ?? '';
    return `${head}${maskQueryString(query.slice(0, query.length - tail.length))}${tail}`;
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A regex source for `\uXXXX` of one UTF-16 unit, hex digits in either case. */
function unicodeEscape(unit: number): string {
  const hex = unit.toString(16).padStart(4, '0');
  return `\\\\u${[...hex].map((h) => (/[a-f]/.test(h) ? `[${h}${h.toUpperCase()}]` : h)).join('')}`;
}

const escapedCache = new Map<string, RegExp>();

/** Matches `secret` with any of its characters written as a JSON escape (`\/`, `\"`, `\\`, `\u00xx`). */
function escapedForm(secret: string): RegExp {
  let re = escapedCache.get(secret);
  if (re === undefined) {
    let source = '';
    for (let i = 0; i < secret.length; i++) {
      const ch = secret[i]!;
      const alts = [escapeRegExp(ch), unicodeEscape(secret.charCodeAt(i))];
      if (ch === '/' || ch === '"' || ch === '\\') alts.push(`\\\\${escapeRegExp(ch)}`);
      source += `(?:${alts.join('|')})`;
    }
    re = new RegExp(source, 'g');
    if (escapedCache.size > 64) escapedCache.clear();
    escapedCache.set(secret, re);
  }
  return re;
}

/** Replaces every occurrence of each secret (and any bearer token) with "[redacted]", and masks URL queries. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = maskUrlQueries(text);
  for (const s of secrets) {
    if (s.length < MIN_SECRET) continue;
    if (out.includes(s)) out = out.split(s).join(MASK);
    // Escaped forms only matter where a backslash or a percent sign appears at all.
    if (out.includes('\\')) out = out.replace(escapedForm(s), MASK);
    if (out.includes('%')) {
      const encoded = encodeURIComponent(s);
      if (encoded !== s && out.includes(encoded)) out = out.split(encoded).join(MASK);
    }
  }
  return out.replace(BEARER, `$1${MASK}`);
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
        out = `${out.slice(0, out.length - k)}${MASK}`;
        break;
      }
    }
  }
  return out;
}
