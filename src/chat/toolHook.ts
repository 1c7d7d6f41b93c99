// Pure: the contract between the turn loop and whoever decides on and runs tool calls (the confirmation
// cards, auto-approval rules). The loop never knows about buttons: it hands each call to the hook and waits.
import type { ToolSpec } from '../broker';
import type { ToolCallPart } from '../protocol/transcript';

/** A call whose arguments parsed as a JSON object. */
export interface ToolCallRequest {
  id: string;
  name: string;
  args: Record<string, unknown>;
  /** The answer the call belongs to, and its conversation. */
  answerId: string;
  conversationId?: string;
}

export interface ToolCallContext {
  /** Aborted when the user stops the answer: a pending decision ends as rejected, a running tool is killed. */
  signal: AbortSignal;
  /** Changes what the call's card shows (state, outcome, live output); the loop publishes it. */
  update(patch: Partial<Pick<ToolCallPart, 'state' | 'outcome' | 'result' | 'card' | 'output' | 'exitCode' | 'subtask'>>): void;
  /** Adds a delegated subtask's cost to the answer's info line (apart from the answer's own cost). */
  addSubtaskCost(nanos: number, unknown: boolean): void;
  /** The known cost of this turn so far (its subtasks included), in nano-dollars, and whether part of it is unknown. */
  turnCost(): { nanos: number; unknown: boolean };
}

/** How a call ended: what the card shows and what the model is told. */
export interface ToolCallOutcome {
  state: 'done' | 'failed' | 'rejected';
  /** In words, for the card: "rejected: tools are not enabled yet", "approved by you", "exit code 1". */
  outcome: string;
  /** The `tool` message's content. */
  result: string;
}

export interface ToolHook {
  /** The tools offered to the model with each request (none: the field is left out). */
  specs(): ToolSpec[];
  /** Decides on one call and, if approved, runs it. Must not throw (a throw is reported as a failed call). */
  handle(call: ToolCallRequest, ctx: ToolCallContext): Promise<ToolCallOutcome>;
}

/** Until tools ship, every call is refused, and the model is told so, so the loop runs end to end. */
export const REJECT_ALL_TOOLS: ToolHook = {
  specs: () => [],
  handle: async () => ({ state: 'rejected', outcome: 'rejected: tools are not enabled yet', result: 'The tool call was rejected: tools are not enabled yet. Answer without tools.' }),
};

/**
 * Parses a call's argument text. Arguments cut off by max_tokens or otherwise not a JSON object go back to
 * the model as a tool error, without asking anyone.
 */
export function parseToolArguments(text: string): { ok: true; args: Record<string, unknown> } | { ok: false; error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, args: {} };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (e) {
    const cut = !/[}\]]\s*$/.test(trimmed);
    return { ok: false, error: `the arguments are not valid JSON${cut ? ' (they look cut off, perhaps by max_tokens)' : ''}: ${(e as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: `the arguments must be a JSON object, not ${Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value}` };
  }
  return { ok: true, args: value as Record<string, unknown> };
}
