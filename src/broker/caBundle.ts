/**
 * The certificate authorities a model's TLS connections trust. Node's bundled roots by default (plus
 * `NODE_EXTRA_CA_CERTS`, which Node reads at start). A model's `caFile` adds a PEM bundle; since a custom CA
 * list replaces Node's default one, it is combined with the bundled roots and `NODE_EXTRA_CA_CERTS`.
 * Files are read once per version (path, size, modification time) and kept.
 */
import { readFileSync, statSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { homedir } from 'node:os';
import { isAbsolute } from 'node:path';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { BrokerError } from './brokerError';
import type { Env } from './proxyChoice';

/** Where a connection's trusted CAs came from, as Test Connection reports it. */
export type CaSource = 'system' | 'caFile' | 'NODE_EXTRA_CA_CERTS';

export interface CaChoice {
  source: CaSource;
  /** Null for the system store (Node's default context). */
  context: SecureContext | null;
  /** Identifies the files' versions, for the dispatcher cache. */
  key: string;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const pemCache = new Map<string, string[]>();
const contextCache = new Map<string, SecureContext>();

/** `~/x` is the home folder's x. */
export function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

/** The PEM certificates in a file; throws a `config` BrokerError naming the problem. */
function readPem(path: string, what: string): { certs: string[]; version: string } {
  const full = expandHome(path.trim());
  if (!isAbsolute(full)) throw new BrokerError('config', `${what} "${path}" is not an absolute path`, { code: 'ca_file_invalid' });
  let version: string;
  try {
    const st = statSync(full);
    version = `${full}|${st.size}|${st.mtimeMs}`;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BrokerError('config', `${what} "${path}" ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(e)})`}`, { code: 'ca_file_missing' });
  }
  const cached = pemCache.get(version);
  if (cached) return { certs: cached, version };
  let text: string;
  try {
    text = readFileSync(full, 'latin1');
  } catch (e) {
    throw new BrokerError('config', `${what} "${path}" cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { code: 'ca_file_missing' });
  }
  const certs = text.match(PEM_CERT) ?? [];
  if (certs.length === 0) {
    throw new BrokerError('config', `${what} "${path}" holds no PEM certificate (a text file with -----BEGIN CERTIFICATE----- blocks)`, { code: 'ca_file_invalid' });
  }
  certs.forEach((pem, i) => {
    try {
      new X509Certificate(pem);
    } catch (e) {
      throw new BrokerError('config', `${what} "${path}": certificate ${i + 1} cannot be read (${(e as Error).message})`, { code: 'ca_file_invalid' });
    }
  });
  for (const k of pemCache.keys()) if (k.startsWith(`${full}|`)) pemCache.delete(k);
  pemCache.set(version, certs);
  return { certs, version };
}

/** The CAs for a model with this `caFile` (or none), in this environment. Throws a `config` BrokerError. */
export function chooseCa(caFile: string | undefined, env: Env): CaChoice {
  const extraPath = env.NODE_EXTRA_CA_CERTS?.trim();
  let extra: { certs: string[]; version: string } | undefined;
  if (extraPath) {
    try {
      extra = readPem(extraPath, 'NODE_EXTRA_CA_CERTS');
    } catch {
      extra = undefined; // Node itself only warns about an unreadable NODE_EXTRA_CA_CERTS; so do we.
    }
  }
  if (!caFile?.trim()) {
    if (!extra) return { source: 'system', context: null, key: 'system' };
    return { source: 'NODE_EXTRA_CA_CERTS', context: contextFor(extra.version, extra.certs), key: extra.version };
  }
  const own = readPem(caFile, 'caFile');
  const key = `${own.version}+${extra?.version ?? ''}`;
  return { source: 'caFile', context: contextFor(key, [...(extra?.certs ?? []), ...own.certs]), key };
}

/** One secure context per CA combination: parsing ~150 roots per connection would cost milliseconds each. */
function contextFor(key: string, extra: string[]): SecureContext {
  let ctx = contextCache.get(key);
  if (!ctx) {
    ctx = createSecureContext({ ca: [...rootCertificates, ...extra] });
    if (contextCache.size > 16) contextCache.clear();
    contextCache.set(key, ctx);
  }
  return ctx;
}
