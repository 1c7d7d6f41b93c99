// Which URLs from model output may become something the user can act on. Model output is untrusted (a
// prompt injection can write any link), so this is an allow-list, decided after entities and escapes are
// decoded (`&#106;avascript:` is javascript:) and after the characters browsers ignore are removed.

/** Characters a browser strips or ignores in a URL's scheme, which attackers use to hide one (`java\tscript:`). */
const IGNORED_CLASS = '[\\u0000-\\u0020\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2060-\\u2064\\ufeff]';
const IGNORED_ALL = new RegExp(IGNORED_CLASS, 'g');
const HAS_IGNORED = new RegExp(IGNORED_CLASS);

function schemeOf(url: string): string | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url.replace(IGNORED_ALL, ''));
  return m ? m[1].toLowerCase() : undefined;
}

/** The href to hand to the host when the link may be clickable (http, https, mailto), or undefined. */
export function safeLinkHref(href: string): string | undefined {
  const trimmed = href.trim();
  const scheme = schemeOf(trimmed);
  if (scheme !== 'http' && scheme !== 'https' && scheme !== 'mailto') return undefined;
  // Whitespace or control characters inside a link are a disguise, not a real address.
  if (HAS_IGNORED.test(trimmed)) return undefined;
  if (scheme !== 'mailto') {
    try {
      if (!new URL(trimmed).hostname) return undefined;
    } catch {
      return undefined;
    }
  }
  return trimmed;
}

/** An image source: remote (load on request through the host), embedded raster data (shown on request), or neither. */
export type ImageSource =
  | { kind: 'remote'; url: string; host: string }
  | { kind: 'data'; url: string }
  | { kind: 'blocked' };

export function classifyImage(src: string): ImageSource {
  const trimmed = src.trim();
  const scheme = schemeOf(trimmed);
  if (scheme === 'http' || scheme === 'https') {
    if (HAS_IGNORED.test(trimmed)) return { kind: 'blocked' };
    try {
      const url = new URL(trimmed);
      // The host is shown to the user, so it must be the one the URL really goes to.
      if (url.hostname) return { kind: 'remote', url: url.href, host: url.host };
    } catch {
      // fall through: not a URL we can name a host for
    }
    return { kind: 'blocked' };
  }
  if (scheme === 'data' && isSafeDataImage(trimmed)) return { kind: 'data', url: trimmed };
  return { kind: 'blocked' };
}

/** Raster images only: SVG can carry script, and other data: types are not images at all. */
export function isSafeDataImage(url: string): boolean {
  return /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]*={0,2}$/.test(url);
}
