// Pure: one answer's turn loop. stream -> collect the step's tool calls -> hand each to the tool hook ->
// append the assistant message with its `tool_calls` and one `tool` message per call -> stream again, until
// a step makes no tool call or the step limit is reached. One AbortSignal for the whole turn: Stop ends every
// step, every pending decision and every running tool. Every step's usage rolls up into the answer's info.
import { oneLine, type BrokerEvent, type ChatMessage, type ToolSpec } from '../broker';
import { appendDelta, type AssistantMessage, type ErrorAction, type ToolCallPart } from '../protocol/transcript';
import { usdToNanos } from '../usage/money';
import { answerMessages } from './history';
import { parseToolArguments, type ToolHook } from './toolHook';

export type TurnUpdate =
  | { type: 'upsert'; message: AssistantMessage }
  | { type: 'delta'; messageId: string; index: number; step: number; text: string; reasoning: string };

export interface TurnDeps {
  stream(messages: ChatMessage[], opts: { signal: AbortSignal; tools: ToolSpec[] }): AsyncIterable<BrokerEvent>;
  tools: ToolHook;
  maxSteps: number;
  now: () => number;
  coalesceMs: number;
  emit(update: TurnUpdate): void;
  /** The conversation the answer belongs to (handed to the tool hook). */
  conversationId?: string;
  /** The server's prompt-token count for a request of `messageCount` messages (for the next estimate). */
  onPromptTokens?(promptTokens: number, messageCount: number): void;
}

/** Runs the answer to its end (done, stopped or error); never rejects. */
export async function runTurn(answer: AssistantMessage, history: readonly ChatMessage[], signal: AbortSignal, deps: TurnDeps): Promise<void> {
  const info = answer.info;
  const started = deps.now();
  const publish = () => deps.emit({ type: 'upsert', message: structuredClone(answer) });
  let step = 0;
  try {
    for (;;) {
      const messages = [...history, ...answerMessages(answer, { includeUnfinished: true })];
      info.steps = step + 1;
      const calls = await streamStep(answer, step, messages, signal, deps, started);
      if (calls.length === 0) break;
      for (const call of calls) {
        if (signal.aborted) break;
        await decide(answer, call, signal, deps, publish);
      }
      if (signal.aborted) throw Object.assign(new Error('stopped'), { kind: 'aborted' });
      step++;
      if (step >= deps.maxSteps) {
        answer.parts.push({ kind: 'notice', step, text: `Stopped after ${deps.maxSteps} tool steps (switchboard.tools.maxSteps); ask to continue if the task is not finished.` });
        break;
      }
      publish();
    }
    answer.state = 'done';
    if (!info.usage) info.costUnknown = true;
  } catch (err) {
    endWithError(answer, err, signal);
  }
  for (const p of answer.parts) {
    if (p.kind === 'toolCall' && !p.result) {
      p.state = 'rejected';
      p.outcome = answer.state === 'stopped' ? 'not run: the answer was stopped' : 'not run: the answer failed';
    }
  }
}

/** Streams one step; resolves with the tool calls the model made in it. */
async function streamStep(answer: AssistantMessage, step: number, messages: ChatMessage[], signal: AbortSignal, deps: TurnDeps, started: number): Promise<ToolCallPart[]> {
  const info = answer.info;
  const calls: ToolCallPart[] = [];
  let pendingText = '';
  let pendingReasoning = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (!pendingText && !pendingReasoning) return;
    appendDelta(answer.parts, step, pendingText, pendingReasoning);
    const index = answer.deltas++;
    deps.emit({ type: 'delta', messageId: answer.id, index, step, text: pendingText, reasoning: pendingReasoning });
    pendingText = '';
    pendingReasoning = '';
  };
  const later = () => {
    if (timer === undefined) timer = setTimeout(flush, deps.coalesceMs);
  };
  try {
    for await (const ev of deps.stream(messages, { signal, tools: deps.tools.specs() })) {
      switch (ev.kind) {
        case 'text':
        case 'reasoning':
          if (info.ttftMs === null) info.ttftMs = deps.now() - started;
          if (ev.kind === 'text') pendingText += ev.text;
          else pendingReasoning += ev.text;
          later();
          break;
        case 'usage':
          addUsage(answer, ev.usage);
          if (ev.usage.promptTokens > 0) deps.onPromptTokens?.(ev.usage.promptTokens, messages.length);
          break;
        case 'fallback':
          flush();
          info.fallbacks.push({ from: ev.from, to: ev.to, reason: oneLine(ev.error.message) });
          // Show the fallback while it happens, not only at the end.
          deps.emit({ type: 'upsert', message: structuredClone(answer) });
          break;
        case 'done':
          info.modelId = ev.modelId;
          info.model = ev.model;
          break;
        case 'tool_call':
          calls.push({ kind: 'toolCall', step, id: ev.id, name: ev.name, arguments: ev.arguments, state: 'proposed' });
          break;
      }
    }
  } finally {
    flush();
  }
  answer.parts.push(...calls);
  return calls;
}

/** Hands one call to the hook (or answers it with the argument error) and records how it ended. */
async function decide(answer: AssistantMessage, call: ToolCallPart, signal: AbortSignal, deps: TurnDeps, publish: () => void): Promise<void> {
  const parsed = parseToolArguments(call.arguments);
  if (!parsed.ok) {
    call.state = 'failed';
    call.outcome = `not run: ${parsed.error}`;
    call.result = `Error: ${parsed.error}. Call the tool again with a complete JSON object.`;
    publish();
    return;
  }
  // Still `proposed`: the hook checks the call first and sets `pending` when it waits for the user.
  publish();
  try {
    const out = await deps.tools.handle({ id: call.id, name: call.name, args: parsed.args, answerId: answer.id, conversationId: deps.conversationId }, {
      signal,
      update: (patch) => {
        Object.assign(call, patch);
        publish();
      },
      turnCost: () => {
        const sub = answer.info.subtasks;
        return { nanos: answer.info.costNanos + (sub?.costNanos ?? 0), unknown: answer.info.costUnknown || (sub?.costUnknown ?? false) };
      },
      addSubtaskCost: (nanos, unknown) => {
        const sub = (answer.info.subtasks ??= { count: 0, costNanos: 0, costUnknown: false });
        sub.count++;
        sub.costNanos += nanos;
        sub.costUnknown ||= unknown;
        publish();
      },
    });
    call.state = out.state;
    call.outcome = out.outcome;
    call.result = out.result;
  } catch (err) {
    call.state = 'failed';
    call.outcome = `failed: ${oneLine((err as Error)?.message ?? String(err))}`;
    call.result = `Error: the tool failed: ${oneLine((err as Error)?.message ?? String(err))}`;
  }
  publish();
}

function endWithError(answer: AssistantMessage, err: unknown, signal: AbortSignal): void {
  const info = answer.info;
  const e = err as { kind?: string; message?: string; retryable?: boolean; usage?: { promptTokens: number; completionTokens: number; cost: number | null }; modelId?: string };
  if (e.usage) addUsage(answer, e.usage);
  else if (!info.usage) info.costUnknown = true;
  if (e.modelId && !info.modelId) info.modelId = e.modelId;
  if (e.kind === 'aborted' || signal.aborted) {
    answer.state = 'stopped';
    return;
  }
  answer.state = 'error';
  const kind = e.kind ?? 'internal';
  const actions: ErrorAction[] = [];
  if (kind === 'config') actions.push('openSettings');
  if (e.retryable || kind === 'transport' || kind === 'timeout') actions.push('retry');
  actions.push('showLog');
  answer.error = { kind, message: oneLine(e.message ?? String(err)), actions };
}

/**
 * Adds one attempt's usage to the answer. Money is summed in integer nano-dollars; an unknown (or unusable)
 * cost makes the answer's cost partly unknown.
 */
function addUsage(answer: AssistantMessage, u: { promptTokens: number; completionTokens: number; cost: number | null }): void {
  const info = answer.info;
  info.usage = {
    promptTokens: (info.usage?.promptTokens ?? 0) + u.promptTokens,
    completionTokens: (info.usage?.completionTokens ?? 0) + u.completionTokens,
  };
  const nanos = u.cost === null ? undefined : usdToNanos(u.cost);
  if (nanos === undefined) info.costUnknown = true;
  else info.costNanos += nanos;
}
