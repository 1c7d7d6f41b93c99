// Pure: delegated subtasks. The chat model calls `delegate_task`; once the user approves, the task runs on the
// `delegate` purpose's chain with a fresh context of its own (and the read-only tools, when they are on),
// streams into its card, stops when its cost passes the budget, and its final answer becomes the tool result.
import type { BrokerEvent, ChatMessage, ToolSpec } from '../broker';
import { answerText, emptyInfo, type AssistantMessage } from '../protocol/transcript';
import { usdToNanos } from '../usage/money';
import type { ToolHook } from './toolHook';
import { runTurn } from './turnLoop';

export const DELEGATE_TOOL = 'delegate_task';
const MAX_TASK_CHARS = 20_000;
const MAX_CONTEXT_CHARS = 200_000;

export const DELEGATE_SPEC: ToolSpec = {
  type: 'function',
  function: {
    name: DELEGATE_TOOL,
    description: 'Hand a self-contained subtask to another model. It starts with a fresh context (it sees only what you give it here), '
      + 'can read, list and search the workspace but not change it, and returns its final answer to you. Use it for research or '
      + 'analysis that would fill this conversation; the user approves each delegation and sees what it costs.',
    parameters: {
      type: 'object',
      properties: {
        task: { type: 'string', description: 'What to do and what to answer with, complete enough to act on alone.' },
        context: { type: 'string', description: 'Facts, file paths or excerpts the subtask needs (optional).' },
      },
      required: ['task'],
      additionalProperties: false,
    },
  },
};

export const DELEGATE_SYSTEM = 'You are working on a subtask delegated by another assistant. You have a fresh context: everything you know is in the '
  + 'task below. You may read, list and search files in the workspace, but not change anything. Finish with a concise, complete answer '
  + 'to the task: it is returned to the assistant that asked.';

export function validateDelegateArgs(args: Record<string, unknown>): { ok: true; task: string; context?: string } | { ok: false; error: string } {
  const extra = Object.keys(args).filter((k) => k !== 'task' && k !== 'context');
  if (extra.length) return { ok: false, error: `delegate_task takes only "task" and "context", not ${extra.map((k) => `"${k}"`).join(', ')}` };
  if (typeof args.task !== 'string' || !args.task.trim()) return { ok: false, error: 'delegate_task needs "task": a non-empty string saying what to do' };
  if (args.task.length > MAX_TASK_CHARS) return { ok: false, error: `"task" is ${args.task.length} characters; keep it under ${MAX_TASK_CHARS} and put material in "context"` };
  if (args.context !== undefined && args.context !== null && typeof args.context !== 'string') return { ok: false, error: '"context" must be a string' };
  const context = typeof args.context === 'string' && args.context.trim() ? args.context : undefined;
  if (context && context.length > MAX_CONTEXT_CHARS) return { ok: false, error: `"context" is ${context.length} characters; keep it under ${MAX_CONTEXT_CHARS}` };
  return { ok: true, task: args.task.trim(), context };
}

export interface SubtaskDeps {
  /** The model runner on the `delegate` purpose (its attempts are recorded under category `delegate`). */
  stream(messages: ChatMessage[], opts: { signal: AbortSignal; tools: ToolSpec[] }): AsyncIterable<BrokerEvent>;
  /** The subtask's tools: read-only, never asking (or none). */
  tools: ToolHook;
  budgetNanos: number;
  maxSteps: number;
  newId(): string;
  now(): number;
  /** The subtask's answer changed (text, tool calls, state); the caller throttles what it shows. */
  onUpdate(answer: AssistantMessage): void;
}

/** Runs a subtask to its end; never rejects (a failure is the answer's `error` state). */
export async function runSubtask(task: string, context: string | undefined, deps: SubtaskDeps, signal: AbortSignal): Promise<{ answer: AssistantMessage; stoppedAtBudget: boolean; text: string }> {
  const child = new AbortController();
  const forward = () => child.abort(signal.reason);
  if (signal.aborted) forward();
  else signal.addEventListener('abort', forward, { once: true });
  let spent = 0;
  let stoppedAtBudget = false;
  const budgeted = (messages: ChatMessage[], opts: { signal: AbortSignal; tools: ToolSpec[] }): AsyncIterable<BrokerEvent> => (async function* () {
    for await (const ev of deps.stream(messages, opts)) {
      yield ev;
      if (ev.kind === 'usage' && ev.usage.cost !== null) {
        spent += usdToNanos(ev.usage.cost) ?? 0;
        if (spent > deps.budgetNanos && !child.signal.aborted) {
          stoppedAtBudget = true;
          child.abort('the subtask reached its budget');
        }
      }
    }
  })();
  const answer: AssistantMessage = { id: deps.newId(), role: 'assistant', parts: [], state: 'streaming', deltas: 0, info: emptyInfo() };
  const messages: ChatMessage[] = [
    { role: 'system', content: DELEGATE_SYSTEM },
    { role: 'user', content: context ? `${task}\n\nContext:\n${context}` : task },
  ];
  try {
    await runTurn(answer, messages, child.signal, {
      stream: budgeted,
      tools: deps.tools,
      maxSteps: deps.maxSteps,
      now: deps.now,
      coalesceMs: 50,
      emit: () => deps.onUpdate(answer),
    });
  } finally {
    signal.removeEventListener('abort', forward);
  }
  deps.onUpdate(answer);
  return { answer, stoppedAtBudget, text: answerText(answer) };
}
