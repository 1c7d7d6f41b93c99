/**
 * Models that told us to go away for a while. A 429/503 with a retry hint cools a model down for the time
 * the server asked; 402 or `insufficient_quota` (no credits: waiting does not help soon) for the cap.
 * Fallback chains skip cooling models, so a chain does not hammer a rate-limited provider on every turn.
 */
import type { BrokerError } from './brokerError';
import { isNoCredit } from './classifyError';

/** The longest cooldown: a server asking for an hour still gets retried after ten minutes. */
export const MAX_COOLDOWN_MS = 10 * 60 * 1000;

export class CooldownRegistry {
  private readonly until = new Map<string, number>();

  /** @param now monotonic-enough clock in ms; injectable for tests. */
  constructor(private readonly now: () => number = Date.now) {}

  /** Records the cooldown a failure implies, if any. Returns the cooldown in ms (0 for none). */
  noteFailure(modelId: string, error: BrokerError): number {
    let ms = 0;
    if (isNoCredit(error)) ms = MAX_COOLDOWN_MS;
    else if ((error.status === 429 || error.status === 503 || error.code === '429') && error.retryAfterMs !== undefined) {
      ms = Math.min(Math.max(error.retryAfterMs, 0), MAX_COOLDOWN_MS);
    }
    if (ms > 0) this.until.set(modelId, this.now() + ms);
    return ms;
  }

  /** A success ends any cooldown early. */
  noteSuccess(modelId: string): void {
    this.until.delete(modelId);
  }

  /** Milliseconds until the model may be used again; 0 when it is not cooling down. */
  remainingMs(modelId: string): number {
    const t = this.until.get(modelId);
    if (t === undefined) return 0;
    const left = t - this.now();
    if (left <= 0) {
      this.until.delete(modelId);
      return 0;
    }
    return left;
  }

  clear(): void {
    this.until.clear();
  }
}

/** The process-wide registry used when ChatOptions.cooldowns is not given. */
export const defaultCooldowns = new CooldownRegistry();
