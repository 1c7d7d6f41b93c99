/**
 * chatStream: one model, streamed. Also the include_usage negotiation: ask for usage, and if the server
 * refuses `stream_options` (Mistral's 422, some gateways' 400), ask again once without it and remember.
 */
import { BrokerError } from './brokerError';
import { buildRequest, chatCompletionsUrl } from './buildRequest';
import { EventChannel } from './eventChannel';
import { defaultIncludeUsageMemory } from './includeUsageMemory';
import { runAttempt, type AttemptInfo, type AttemptTuning } from './streamAttempt';
import type { BrokerEvent, ChatMessage, ChatOptions, ModelConfig } from './types';

/** A 400/422 body that names the field we added. */
const NAMES_STREAM_OPTIONS = /stream_options|include_usage/i;

/**
 * Streams one model's answer: text and reasoning as they arrive, then each tool call, the usage (at most
 * once) and `done`. Failures are thrown from the iteration as BrokerError; events already yielded stay valid.
 * Breaking out of the loop closes the connection at once.
 */
export function chatStream(model: ModelConfig, messages: ChatMessage[], opts: ChatOptions = {}): AsyncIterable<BrokerEvent> {
  return streamWith(model, messages, opts, {});
}

/** chatStream with internal tuning (used by the benchmark and the fast-path equivalence tests). */
export function streamWith(model: ModelConfig, messages: ChatMessage[], opts: ChatOptions, tuning: AttemptTuning): AsyncIterable<BrokerEvent> {
  return {
    [Symbol.asyncIterator]() {
      const channel = new EventChannel<BrokerEvent>();
      const cancel = new AbortController();
      channel.onCancel = () => cancel.abort();
      runModel(model, messages, opts, channel, cancel.signal, { produced: false }, tuning).then(
        () => channel.end(),
        (e: unknown) => channel.fail(e),
      );
      return channel;
    },
  };
}

/**
 * Runs one model to completion, pushing its events into `channel`. Rejects with a BrokerError;
 * `info.produced` tells whether output had begun.
 */
export async function runModel(
  model: ModelConfig,
  messages: ChatMessage[],
  opts: ChatOptions,
  channel: EventChannel<BrokerEvent>,
  cancel: AbortSignal,
  info: AttemptInfo,
  tuning: AttemptTuning = {},
): Promise<void> {
  if (opts.signal?.aborted || cancel.aborted) {
    throw new BrokerError('aborted', 'the request was cancelled', { code: 'aborted', modelId: model.id });
  }
  const mode = model.includeUsage ?? 'auto';
  const memory = opts.includeUsageMemory ?? defaultIncludeUsageMemory;
  let withStreamOptions = mode === 'always';
  if (mode === 'auto') {
    let url: string | undefined;
    try {
      url = chatCompletionsUrl(model.endpoint);
    } catch {
      url = undefined; // buildRequest reports it
    }
    withStreamOptions = url === undefined || !memory.refuses(url, model.model);
  }

  const req = buildRequest(model, messages, opts, withStreamOptions);
  try {
    await attemptOnce(model, req, opts, channel, cancel, info, tuning);
  } catch (e) {
    const refused =
      mode === 'auto' &&
      withStreamOptions &&
      e instanceof BrokerError &&
      e.kind === 'http' &&
      (e.status === 400 || e.status === 422) &&
      NAMES_STREAM_OPTIONS.test(info.errorBody ?? '');
    if (!refused) throw e;
    memory.remember(req.url, model.model);
    info.errorBody = undefined;
    await attemptOnce(model, buildRequest(model, messages, opts, false), opts, channel, cancel, info, tuning);
  }
}

/**
 * One request, sent again once when a kept-alive connection turned out closed before any answer came back
 * (a proxy or load balancer that dropped an idle socket: "other side closed" with no status and no output).
 * Nothing reached the server's model in that case, so a second try cannot double anything.
 */
async function attemptOnce(
  model: ModelConfig, req: ReturnType<typeof buildRequest>, opts: ChatOptions, channel: EventChannel<BrokerEvent>,
  cancel: AbortSignal, info: AttemptInfo, tuning: AttemptTuning,
): Promise<void> {
  try {
    await runAttempt(model, req, opts, channel, cancel, info, tuning);
  } catch (e) {
    const staleSocket = e instanceof BrokerError && e.kind === 'transport' && e.code === 'UND_ERR_SOCKET' && e.status === undefined
      && !info.produced && !e.usage && !opts.signal?.aborted && !cancel.aborted;
    if (!staleSocket) throw e;
    await runAttempt(model, req, opts, channel, cancel, info, tuning);
  }
}
