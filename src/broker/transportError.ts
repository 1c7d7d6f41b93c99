/**
 * Socket-level failures (refused, reset, DNS, TLS, proxy) as BrokerErrors with words a user can act on.
 * The code stays the one Node, OpenSSL or undici gave (`ECONNREFUSED`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`).
 */
import { BrokerError } from './brokerError';
import { oneLine } from './classifyError';

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** OpenSSL's verification codes, in words, with what to do. */
const CERT_WORDS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's certificate is signed by an unknown authority: set caFile to your CA's PEM bundle",
  UNABLE_TO_GET_ISSUER_CERT: "the server's certificate is signed by an unknown authority: set caFile to your CA's PEM bundle",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the server's certificate is signed by an unknown authority: set caFile to your CA's PEM bundle",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's certificate is signed by an unknown authority (a self-signed root): set caFile to that root's PEM file",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's certificate is self-signed: set caFile to it (or allowInsecureTls for a loopback or private server)",
  CERT_HAS_EXPIRED: "the server's certificate has expired",
  CERT_NOT_YET_VALID: "the server's certificate is not valid yet (check this machine's clock)",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate is for another host name than the endpoint's",
  CERT_REVOKED: "the server's certificate was revoked",
};

export interface TransportContext {
  /** The request URL. */
  url: string;
  /** The proxy the request went through, without credentials. */
  proxy?: string | null;
}

/** A BrokerError for a socket-level failure. */
export function transportError(e: unknown, ctx: TransportContext): BrokerError {
  const code = typeof e === 'object' && e !== null ? errorCode(e) : undefined;
  let host = ctx.url;
  try {
    host = new URL(ctx.url).host;
  } catch {
    // keep the URL
  }
  const detail = oneLine(deepMessage(e), 160);
  const via = ctx.proxy ? ` (through the proxy ${ctx.proxy})` : '';
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new BrokerError('timeout', `timed out talking to ${ctx.proxy ? `the proxy ${ctx.proxy}` : host} (${code})`, { code, retryable: true, cause: e });
  }
  if (code !== undefined && CERT_WORDS[code]) {
    return new BrokerError('transport', `${CERT_WORDS[code]} (${host}${via}: ${code})`, { code, retryable: false, cause: e });
  }
  if (code === 'insecure_tls_public_address' || code === 'private_address_refused') {
    return new BrokerError('transport', detail, { code, retryable: false, cause: e });
  }
  const proxyStatus = /Proxy response \((\d{3})\)|\((407)\)/.exec(detail);
  if (ctx.proxy && proxyStatus) {
    const status = Number(proxyStatus[1] ?? proxyStatus[2]);
    if (status === 407) {
      return new BrokerError('transport', `the proxy ${ctx.proxy} requires authentication (HTTP 407): set http.proxyAuthorization, or put the user and password in the proxy URL`, { code: 'proxy_auth_required', status, retryable: false, cause: e });
    }
    return new BrokerError('transport', `the proxy ${ctx.proxy} could not open a connection to ${host} (HTTP ${status})`, { code: 'proxy_refused', status, retryable: true, cause: e });
  }
  if (ctx.proxy && (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')) {
    return new BrokerError('transport', `could not connect to the proxy ${ctx.proxy}: ${code === 'ECONNREFUSED' ? 'connection refused' : 'its name does not resolve'} (is it running? check http.proxy or HTTPS_PROXY)`, { code, retryable: true, cause: e });
  }
  const what =
    code === 'ECONNREFUSED' ? `could not connect to ${host}: connection refused (is the server running?)`
      : code === 'ENOTFOUND' ? `could not resolve ${host}`
        : `connection to ${host}${via} failed: ${detail}`;
  return new BrokerError('transport', what, { code: code ?? 'transport', retryable: true, cause: e });
}

function deepMessage(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message && !e.message.includes(cause.message) ? `${e.message}: ${cause.message}` : e.message;
}

function errorCode(e: object): string | undefined {
  const c = (e as { code?: unknown }).code;
  // undici wraps the socket's error: the cause says more than UND_ERR_SOCKET or "fetch failed".
  const cause = (e as { cause?: unknown }).cause;
  if (typeof cause === 'object' && cause !== null) {
    const inner = errorCode(cause);
    if (inner !== undefined && (typeof c !== 'string' || c.startsWith('UND_ERR_'))) return inner;
  }
  if (typeof c === 'string') return c;
  // AggregateError from happy-eyeballs connects.
  const errors = (e as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors.length > 0 && typeof errors[0] === 'object' && errors[0] !== null) return errorCode(errors[0]);
  return undefined;
}
