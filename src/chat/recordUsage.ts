// Pure: wraps a broker stream so every model attempt lands in the usage ledger exactly once: its usage
// when it reported some, or an "usage unknown" record when it did not, so the request count stays right.
import { isBrokerError, type BrokerEvent, type Usage } from '../broker';
import type { UnknownUsage } from '../usage/record';

export type UsageSink = (entry: Usage | UnknownUsage, extra?: { conversationId?: string }) => void;

/** True when the server had started answering (2xx): tokens may have been generated and billed. */
function answered(err: { status?: number }): boolean {
  return err.status !== undefined && err.status >= 200 && err.status < 300;
}

/**
 * Passes every event through unchanged. The broker yields a failed attempt's usage before its `fallback`
 * event, the final attempt's usage before `done`, and puts the usage of a final failure on the thrown error;
 * those are the three places an attempt ends. Attempts the server refused with an error status (or that
 * never reached it) generated no tokens and are not recorded.
 */
export async function* recordUsage(stream: AsyncIterable<BrokerEvent>, sink: UsageSink, category: string): AsyncGenerator<BrokerEvent> {
  let usageSeen = false;
  try {
    for await (const ev of stream) {
      if (ev.kind === 'usage') {
        usageSeen = true;
        sink(ev.usage);
      } else if (ev.kind === 'fallback') {
        if (!usageSeen && answered(ev.error)) sink({ usageKnown: false, modelId: ev.from, category });
        usageSeen = false;
      } else if (ev.kind === 'done') {
        if (!usageSeen) sink({ usageKnown: false, modelId: ev.modelId, model: ev.model ?? undefined, category });
        usageSeen = false;
      }
      yield ev;
    }
  } catch (err) {
    if (isBrokerError(err) && !usageSeen) {
      if (err.usage) sink(err.usage);
      else if (answered(err) && err.modelId) sink({ usageKnown: false, modelId: err.modelId, category });
    }
    throw err;
  }
}
