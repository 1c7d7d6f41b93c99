/**
 * How a request reaches its server: through which proxy (or none), trusting which CAs, verifying
 * certificates or not. Dispatchers are cached per combination, so requests reuse connections.
 */
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import { codedError, guardedLookup, isLoopbackHost, isPrivateAddress, bareHost, type LookupFn } from './addresses';
import { BrokerError } from './brokerError';
import { chooseCa, type CaSource } from './caBundle';
import { chooseProxy, type Env, type ProxyChoice } from './proxyChoice';
import type { ModelConfig, NetworkSettings } from './types';
import { isIP } from 'node:net';

/** What Test Connection and the log say about a request's route. */
export interface RouteInfo {
  /** The proxy without credentials, or null for a direct connection. */
  proxy: string | null;
  /** `http.proxy` or the environment variable the proxy came from. */
  proxySource?: string;
  /** Where the trusted CAs came from (https only). */
  ca: CaSource;
  /** Why certificates are not verified, when they are not. */
  insecure?: 'allowInsecureTls' | 'http.proxyStrictSSL';
}

export interface Route {
  info: RouteInfo;
  dispatcher: Dispatcher;
}

/** Where the request may connect, beyond the proxy rules. */
export type AddressPolicy = 'any' | 'public-only';

export interface RouteOptions {
  network?: NetworkSettings;
  env?: Env;
  /** 'public-only': refuse loopback and private addresses (image fetches after a redirect). */
  addresses?: AddressPolicy;
}

const MAX_CACHED = 16;
const cache = new Map<string, Dispatcher>();

/**
 * The route for one URL and model. Throws a `config` BrokerError for an unusable `caFile`.
 * `allowInsecureTls` is honoured only for loopback and private addresses: a literal address is checked
 * here, a host name when it resolves (the connection is refused if it resolves to a public address).
 */
export function routeFor(url: string, model: Pick<ModelConfig, 'caFile' | 'allowInsecureTls'>, opts: RouteOptions): Route {
  const target = new URL(url);
  const env = opts.env ?? process.env;
  const proxy = chooseProxy(target, opts.network, env);
  const https = target.protocol === 'https:';
  const ca = chooseCa(model.caFile, env);
  const host = bareHost(target.hostname);
  const literal = isIP(host) !== 0 || isLoopbackHost(host);
  let insecure: RouteInfo['insecure'];
  let guard: 'insecure-private' | 'public-only' | undefined = opts.addresses === 'public-only' ? 'public-only' : undefined;
  if (model.allowInsecureTls && https) {
    if (literal ? isPrivateAddress(host) : proxy === undefined) {
      insecure = 'allowInsecureTls';
      if (!literal && guard === undefined) guard = 'insecure-private';
    }
  }
  if (!insecure && proxy && opts.network?.proxyStrictSSL === false) insecure = 'http.proxyStrictSSL';
  const info: RouteInfo = { proxy: proxy?.display ?? null, ca: ca.source };
  if (proxy) info.proxySource = proxy.source;
  if (insecure) info.insecure = insecure;

  const token = proxy ? opts.network?.proxyAuthorization?.trim() || undefined : undefined;
  const key = JSON.stringify([proxy?.uri ?? null, token ?? null, ca.key, insecure ?? null, guard ?? null]);
  let dispatcher = cache.get(key);
  if (dispatcher) {
    // Most recently used last: the oldest is closed first when the cache is full.
    cache.delete(key);
  } else {
    try {
      dispatcher = build(proxy, token, ca.context, insecure !== undefined, guard);
    } catch (e) {
      throw new BrokerError('config', `the proxy ${proxy?.display ?? ''} (from ${proxy?.source ?? 'settings'}) cannot be used: ${(e as Error).message}`, { code: 'proxy_invalid' });
    }
    if (cache.size >= MAX_CACHED) {
      const [oldKey, old] = cache.entries().next().value as [string, Dispatcher];
      cache.delete(oldKey);
      void old.close().catch(() => undefined);
    }
  }
  cache.set(key, dispatcher);
  return { info, dispatcher };
}

function lookupFor(guard: 'insecure-private' | 'public-only' | undefined): LookupFn | undefined {
  if (guard === 'insecure-private') {
    return guardedLookup(isPrivateAddress, (name, address) =>
      codedError('insecure_tls_public_address', `allowInsecureTls is honoured only for loopback and private addresses, but ${name} resolved to ${address}: remove allowInsecureTls, or set caFile to the server's CA`));
  }
  if (guard === 'public-only') {
    return guardedLookup((a) => !isPrivateAddress(a), (name, address) =>
      codedError('private_address_refused', `${name} resolved to ${address}, a loopback or private address`));
  }
  return undefined;
}

function build(proxy: ProxyChoice | undefined, token: string | undefined, context: ReturnType<typeof chooseCa>['context'], insecure: boolean, guard: 'insecure-private' | 'public-only' | undefined): Dispatcher {
  const tls: Record<string, unknown> = {};
  if (context) tls.secureContext = context;
  if (insecure) tls.rejectUnauthorized = false;
  if (!proxy) {
    const lookup = lookupFor(guard);
    return new Agent({ connect: { ...tls, ...(lookup ? { lookup } : {}) } });
  }
  return new ProxyAgent({
    uri: proxy.uri,
    ...(token ? { token } : {}),
    // Plain http goes to the proxy as an absolute-URI request, as curl does; CONNECT is only for TLS
    // (many proxies allow CONNECT to port 443 alone).
    proxyTunnel: false,
    requestTls: tls,
    proxyTls: { ...(context ? { secureContext: context } : {}), ...(insecure ? { rejectUnauthorized: false } : {}) },
  });
}

/** Closes every cached dispatcher (tests; extension shutdown). */
export async function closeRoutes(): Promise<void> {
  const all = [...cache.values()];
  cache.clear();
  await Promise.all(all.map((d) => d.close().catch(() => undefined)));
}
