/**
 * Which hosts are loopback or private. Used to let loopback endpoints bypass a proxy, to honour
 * `allowInsecureTls` only for servers on this machine or the local network, and to keep an image fetch
 * from being redirected into the local network.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';

/** A host name without IPv6 brackets, lower case. */
export function bareHost(hostname: string): string {
  const h = hostname.toLowerCase();
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

function ipv4Parts(ip: string): number[] | undefined {
  if (isIP(ip) !== 4) return undefined;
  return ip.split('.').map(Number);
}

/** An IPv4 address inside an IPv6 one (`::ffff:127.0.0.1`), if it is one. */
function mappedV4(ip: string): string | undefined {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1] : undefined;
}

/** True for 127.0.0.0/8, ::1, `localhost` and names under `.localhost`. */
export function isLoopbackHost(hostname: string): boolean {
  const h = bareHost(hostname);
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const v4 = ipv4Parts(mappedV4(h) ?? h);
  if (v4) return v4[0] === 127;
  return isIP(h) === 6 && /^(0*:)*:?0*1$/.test(h);
}

/**
 * True for loopback and for addresses that only the local network reaches: 10/8, 172.16/12, 192.168/16,
 * 169.254/16 (link-local), 100.64/10 (carrier-grade NAT), 0.0.0.0, fc00::/7, fe80::/10.
 * Host names other than `localhost` are not addresses: false.
 */
export function isPrivateAddress(hostname: string): boolean {
  if (isLoopbackHost(hostname)) return true;
  const h = bareHost(hostname);
  const v4 = ipv4Parts(mappedV4(h) ?? h);
  if (v4) {
    const [a, b] = v4 as [number, number];
    return a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  if (isIP(h) !== 6) return false;
  return /^f[cd][0-9a-f]{0,2}:/.test(h) || /^fe[89ab][0-9a-f]?:/.test(h) || h === '::';
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
export type LookupFn = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/**
 * A `lookup` for net/tls.connect that resolves as usual, then refuses the connection when an address fails
 * `allowed`: the check happens on the address actually connected to, so a name cannot resolve one way when
 * checked and another when used.
 */
export function guardedLookup(allowed: (address: string) => boolean, refusal: (hostname: string, address: string) => NodeJS.ErrnoException): LookupFn {
  return (hostname, options, callback) => {
    dnsLookup(hostname, options, (err, address, family) => {
      if (err) return callback(err, '');
      const list: LookupAddress[] = Array.isArray(address) ? address : [{ address: address as string, family: family ?? 4 }];
      const bad = list.find((a) => !allowed(a.address));
      if (bad) return callback(refusal(hostname, bad.address), '');
      callback(null, address as string | LookupAddress[], family);
    });
  };
}

/** An Error with a stable `code`, the shape socket errors have. */
export function codedError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}
