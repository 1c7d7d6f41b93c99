/**
 * chatStreamWithFallback: try a chain of models in order until one answers.
 *
 * Rules (each one prevents a user-visible mess):
 * - A model that fails before producing any text, reasoning or tool call hands over to the next one with a
 *   `fallback` event (any kind but `aborted`: a cancel is the user's decision, not a failure).
 * - Once output began, a failure is thrown with the partial text: falling back then would splice two
 *   different answers together.
 * - Models cooling down (429/503 with a retry hint, 402 or insufficient quota) are skipped; when every model
 *   is cooling down, the one that frees first is tried.
 * - Usage is attributed to the model that produced it: a failed attempt's usage is yielded as its own
 *   `usage` event before the `fallback` event; the final error carries the last model's usage.
 */
import { BrokerError } from './brokerError';
import { runModel } from './chatStream';
import { defaultCooldowns, type CooldownRegistry } from './cooldownRegistry';
import { EventChannel } from './eventChannel';
import type { AttemptInfo } from './streamAttempt';
import type { BrokerEvent, ChatMessage, ChatOptions, ModelConfig } from './types';

/** Streams the first model of `chain` that answers; see the file comment for the rules. */
export function chatStreamWithFallback(chain: ModelConfig[], messages: ChatMessage[], opts: ChatOptions = {}): AsyncIterable<BrokerEvent> {
  return {
    [Symbol.asyncIterator]() {
      const channel = new EventChannel<BrokerEvent>();
      const cancel = new AbortController();
      channel.onCancel = () => cancel.abort();
      runChain(chain, messages, opts, channel, cancel.signal).then(
        () => channel.end(),
        (e: unknown) => channel.fail(e),
      );
      return channel;
    },
  };
}

/** The models to try, in order: those not cooling down, or else the one whose cooldown ends first. */
export function planChain(chain: readonly ModelConfig[], cooldowns: CooldownRegistry): ModelConfig[] {
  const ready = chain.filter((m) => cooldowns.remainingMs(m.id) === 0);
  if (ready.length > 0) return ready;
  let best: ModelConfig | undefined;
  let bestMs = Infinity;
  for (const m of chain) {
    const ms = cooldowns.remainingMs(m.id);
    if (ms < bestMs) {
      best = m;
      bestMs = ms;
    }
  }
  return best ? [best] : [];
}

async function runChain(
  chain: ModelConfig[],
  messages: ChatMessage[],
  opts: ChatOptions,
  channel: EventChannel<BrokerEvent>,
  cancel: AbortSignal,
): Promise<void> {
  if (chain.length === 0) throw new BrokerError('config', 'the fallback chain has no models');
  const cooldowns = opts.cooldowns ?? defaultCooldowns;
  const plan = planChain(chain, cooldowns);
  const attempts: { modelId: string; error: BrokerError }[] = [];

  for (let i = 0; i < plan.length; i++) {
    const model = plan[i]!;
    const info: AttemptInfo = { produced: false };
    try {
      await runModel(model, messages, opts, channel, cancel, info);
      cooldowns.noteSuccess(model.id);
      return;
    } catch (e) {
      const err = e instanceof BrokerError ? e : new BrokerError('transport', String(e), { modelId: model.id, cause: e });
      err.modelId ??= model.id;
      if (err.kind === 'aborted') throw err;
      cooldowns.noteFailure(model.id, err);
      attempts.push({ modelId: model.id, error: err });
      const next = plan[i + 1];
      if (info.produced || next === undefined) {
        err.attempts = attempts.slice();
        throw err;
      }
      if (err.usage) channel.push({ kind: 'usage', usage: err.usage });
      channel.push({ kind: 'fallback', from: model.id, to: next.id, error: err });
    }
  }
}
