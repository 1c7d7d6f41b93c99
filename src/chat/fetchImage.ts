// Pure (Node + undici): fetches an image the user asked to see, for a webview whose CSP forbids remote
// images. Only raster types are accepted (an SVG can carry script), with a size cap and a timeout. It goes
// through the same proxy as model requests, re-checks every redirect, and refuses loopback and private
// addresses unless the image's own URL pointed there (an answer must not make the extension probe the
// local network).
import { request, type Dispatcher } from 'undici';
import { bareHost, isLoopbackHost, isPrivateAddress, routeFor, type NetworkSettings } from '../broker';
import { isIP } from 'node:net';

export const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

export interface FetchImageOptions {
  /** A fixed dispatcher (tests); default: chosen by the proxy settings, with the address guard. */
  dispatcher?: Dispatcher;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** VS Code's proxy settings. */
  network?: NetworkSettings;
  /** HTTPS_PROXY/HTTP_PROXY/NO_PROXY; default process.env. */
  env?: Record<string, string | undefined>;
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
  const ownHost = bareHost(url.hostname);
  let current = url;
  for (let hop = 0; hop <= (opts.maxRedirects ?? 3); hop++) {
    // The image's own host may be anywhere the user chose; any other host a redirect leads to must be public.
    const trusted = bareHost(current.hostname) === ownHost;
    const host = bareHost(current.hostname);
    if (!trusted && (isIP(host) !== 0 || isLoopbackHost(host)) && isPrivateAddress(host)) {
      throw new Error(`the image redirected to ${host}, a loopback or private address: refused`);
    }
    const dispatcher = opts.dispatcher ?? routeFor(current.toString(), {}, { network: opts.network, env: opts.env, addresses: trusted ? 'any' : 'public-only' }).dispatcher;
    const res = await request(current, {
      method: 'GET',
      headers: { accept: [...IMAGE_TYPES].join(', ') },
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      dispatcher,
    }).catch((err: Error & { code?: string }) => {
      if (err.code === 'private_address_refused') throw new Error(`the image redirected to ${err.message}: refused`);
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
