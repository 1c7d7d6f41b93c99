// Pure (Node + undici): fetches an image the user asked to see, for a webview whose CSP forbids remote
// images. Only raster types are accepted (an SVG can carry script), with a size cap and a timeout.
import { request, type Dispatcher } from 'undici';

export const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

export interface FetchImageOptions {
  dispatcher?: Dispatcher;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
}

/** Resolves with a `data:` URL; rejects with an Error whose message is one line fit for the user. */
export async function fetchImageAsDataUrl(src: string, opts: FetchImageOptions = {}): Promise<string> {
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    throw new Error('not a valid image address');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`images load only over http(s), not ${url.protocol}`);
  const maxBytes = opts.maxBytes ?? MAX_IMAGE_BYTES;
  let current = url;
  for (let hop = 0; hop <= (opts.maxRedirects ?? 3); hop++) {
    const res = await request(current, {
      method: 'GET',
      headers: { accept: [...IMAGE_TYPES].join(', ') },
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      dispatcher: opts.dispatcher,
    }).catch((err: Error) => {
      throw new Error(`the image could not be fetched: ${err.message}`);
    });
    if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location) {
      await res.body.dump();
      const next = new URL(String(res.headers.location), current);
      if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new Error('the image redirected to a non-http address');
      current = next;
      continue;
    }
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new Error(`the image server answered HTTP ${res.statusCode}`);
    }
    const type = String(res.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!IMAGE_TYPES.has(type)) {
      await res.body.dump();
      throw new Error(`not a PNG, JPEG, GIF or WebP image (${type || 'no content type'})`);
    }
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      await res.body.dump();
      throw new Error(`the image is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        res.body.destroy();
        throw new Error(`the image is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
      }
      chunks.push(chunk as Buffer);
    }
    return `data:${type};base64,${Buffer.concat(chunks).toString('base64')}`;
  }
  throw new Error('the image redirected too many times');
}
