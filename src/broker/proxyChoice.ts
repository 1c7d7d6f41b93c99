/**
 * Which proxy (if any) a request goes through: VS Code's `http.proxy` first, else the environment's
 * `HTTPS_PROXY`/`HTTP_PROXY` (either case). `http.noProxy` and `NO_PROXY` name hosts that go direct.
 * Loopback hosts go direct too, unless `NO_PROXY` is present in the environment (even empty): then it alone
 * decides, as curl does.
 */
import { bareHost, isLoopbackHost } from './addresses';
import type { NetworkSettings } from './types';

export type Env = Record<string, string | undefined>;

/** The proxy chosen for one URL. */
export interface ProxyChoice {
  /** The proxy URL as configured (may hold credentials: never log it). */
  uri: string;
  /** The proxy without credentials, for logs and reports: `http://proxy.corp:3128`. */
  display: string;
  /** Where it came from: `http.proxy` or the variable's name. */
  source: string;
}

function envValue(env: Env, ...names: string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const v = env[name];
    if (v !== undefined && v.trim() !== '') return { name, value: v.trim() };
  }
  return undefined;
}

/** `proxy.corp:3128` means `http://proxy.corp:3128`. */
function withScheme(uri: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(uri) ? uri : `http://${uri}`;
}

/** The proxy URL without user name and password; the raw text when it is not a URL. */
export function proxyDisplay(uri: string): string {
  try {
    const u = new URL(withScheme(uri));
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(an unreadable proxy address)';
  }
}

/** True when `NO_PROXY`/`no_proxy` is present at all, even empty. */
export function envHasNoProxy(env: Env): boolean {
  return env.NO_PROXY !== undefined || env.no_proxy !== undefined;
}

function ipv4ToInt(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

/** Whether one no-proxy entry (`host`, `.domain`, `*.domain`, `host:port`, an IP, an IPv4 CIDR, `*`) matches. */
export function noProxyEntryMatches(entry: string, host: string, port: string): boolean {
  let e = entry.trim().toLowerCase();
  if (e === '') return false;
  if (e === '*') return true;
  const cidr = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(e);
  if (cidr) {
    const base = ipv4ToInt(cidr[1]!);
    const ip = ipv4ToInt(host);
    const bits = Number(cidr[2]);
    if (base === undefined || ip === undefined || bits > 32) return false;
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return (base & mask) === (ip & mask);
  }
  let entryPort: string | undefined;
  const withPort = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(e);
  if (withPort) {
    e = withPort[1]!;
    entryPort = withPort[2];
  }
  if (entryPort !== undefined && entryPort !== port) return false;
  e = bareHost(e);
  if (e.startsWith('*.')) e = e.slice(1);
  if (e.startsWith('.')) return host.endsWith(e) || host === e.slice(1);
  return host === e || host.endsWith(`.${e}`);
}

function splitList(value: string): string[] {
  return value.split(/[\s,]+/).filter((s) => s !== '');
}

/** The proxy for `target`, or undefined for a direct connection. */
export function chooseProxy(target: URL, network: NetworkSettings | undefined, env: Env): ProxyChoice | undefined {
  const host = bareHost(target.hostname);
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const fromSettings = network?.proxy?.trim();
  const fromEnv =
    target.protocol === 'https:'
      ? envValue(env, 'https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY')
      : envValue(env, 'http_proxy', 'HTTP_PROXY');
  const chosen = fromSettings ? { name: 'http.proxy', value: fromSettings } : fromEnv;
  if (chosen === undefined) return undefined;

  const envList = envValue(env, 'no_proxy', 'NO_PROXY')?.value;
  const entries = [...(network?.noProxy ?? []), ...(envList ? splitList(envList) : [])];
  if (entries.some((e) => noProxyEntryMatches(e, host, port))) return undefined;
  if (!envHasNoProxy(env) && isLoopbackHost(host)) return undefined;
  const uri = withScheme(chosen.value);
  return { uri, display: proxyDisplay(uri), source: chosen.name };
}
