import type { Usage } from './usageShape';

/** The stable failure kinds. Callers switch on these, never on messages. */
export type BrokerErrorKind = 'config' | 'transport' | 'timeout' | 'http' | 'api' | 'decode' | 'shape' | 'aborted';

/** Fields a BrokerError can be created with, beside its kind and message. */
export interface BrokerErrorInit {
  status?: number;
  code?: string;
  retryable?: boolean;
  retryAfterMs?: number;
  partialText?: string;
  usage?: Usage;
  modelId?: string;
  attempts?: { modelId: string; error: BrokerError }[];
  cause?: unknown;
}

/**
 * Every failure the broker reports. `message` is one human-readable line (never a raw JSON dump or an
 * HTML page, never a secret); `kind` and `code` are stable for programs.
 */
export class BrokerError extends Error {
  kind: BrokerErrorKind;
  /** The HTTP status, when a response arrived. */
  status?: number;
  /** The provider's error code (numbers are turned into strings), or undici's for transport failures. */
  code?: string;
  /** Whether the same request may succeed later. */
  retryable: boolean;
  /** How long the server asked us to wait, when it said. */
  retryAfterMs?: number;
  /** Text already received when the failure happened. */
  partialText?: string;
  /** Usage reported before the failure: real spend is never dropped. */
  usage?: Usage;
  /** The model (config id) that failed. */
  modelId?: string;
  /** For a failed fallback chain: each model's error, in the order tried. */
  attempts?: { modelId: string; error: BrokerError }[];

  constructor(kind: BrokerErrorKind, message: string, init: BrokerErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'BrokerError';
    this.kind = kind;
    this.retryable = init.retryable ?? false;
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.partialText !== undefined) this.partialText = init.partialText;
    if (init.usage !== undefined) this.usage = init.usage;
    if (init.modelId !== undefined) this.modelId = init.modelId;
    if (init.attempts !== undefined) this.attempts = init.attempts;
  }
}

/** True for a BrokerError (also across duplicated module copies, by shape). */
export function isBrokerError(value: unknown): value is BrokerError {
  return value instanceof BrokerError;
}
