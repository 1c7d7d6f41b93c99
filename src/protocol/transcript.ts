/**
 * The transcript as both sides see it: a union by role. A user message is text; an answer is made of parts
 * in the order they happened (reasoning, text, tool calls with their state and result, notices), each tagged
 * with the model step (request) it came from, so the request history can be rebuilt exactly: per step, one
 * assistant message with its `tool_calls`, then one `tool` message per call. Pure: no vscode, no DOM.
 */
import { isRecord } from '../common/guards';

/** What the view shows under an answer. */
export interface AnswerInfo {
  /** The settings id of the model that answered (null until known; the last step's model). */
  modelId: string | null;
  /** The model name the server reported. */
  model: string | null;
  /** Models that failed before one answered, with a one-line reason each (every step's). */
  fallbacks: { from: string; to: string; reason: string }[];
  /** Tokens of every attempt of every step of this turn; null when no attempt reported usage. */
  usage: { promptTokens: number; completionTokens: number } | null;
  /** Known cost of this turn's attempts in integer nano-dollars; `costUnknown` tells whether some attempt's cost is unknown. */
  costNanos: number;
  costUnknown: boolean;
  /** Milliseconds from sending to the first streamed token. */
  ttftMs: number | null;
  /** How many model requests (steps) the answer took: more than one when it called tools. */
  steps: number;
  /** Delegated subtasks this answer ran, and what they cost (apart from the answer's own cost above). */
  subtasks?: { count: number; costNanos: number; costUnknown: boolean };
}

export type ErrorAction = 'openSettings' | 'retry' | 'showLog';

/** A tool call's life: proposed by the model, pending a decision, then rejected or approved, run, finished. */
export type ToolCallState = 'proposed' | 'pending' | 'approved' | 'rejected' | 'running' | 'done' | 'failed';

export interface TextPart {
  kind: 'text';
  step: number;
  text: string;
}

export interface ReasoningPart {
  kind: 'reasoning';
  step: number;
  text: string;
}

/** How risky a call is, in words: the classifier's verdict for commands (and the probe's), edits and reads. */
export interface ToolRisk {
  level: 'safe' | 'unsure' | 'destructive';
  /** Why, one short phrase each. */
  reasons: string[];
  /** The cheap model's YES/NO verdict, for commands the classifier was unsure about. */
  probe?: { answer: 'yes' | 'no' | 'unclear' | 'error' | 'timeout'; modelId: string | null; costNanos: number | null; cached: boolean };
}

/** What a card shows before anything runs: computed by the coordinator, rendered by the view. */
export interface ToolCard {
  /** One line: "Read src/a.ts, lines 1-40", "Run in src/", "Edit src/a.ts". */
  summary: string;
  /** The command line for run_command (shown highlighted). */
  command?: string;
  /** Workspace-relative paths the call touches. */
  paths: string[];
  /** A unified diff for write_file and edit_file. */
  diff?: string;
  risk: ToolRisk;
  /** The cost of this turn when the card was shown, in nano-dollars; `turnCostUnknown` when part of it is unknown. */
  turnCostNanos: number;
  turnCostUnknown: boolean;
  /** A destructive command: Approve needs a second confirmation. */
  needsSecondConfirm: boolean;
  /** The prefix an "Always allow" button would add to the allow rules (commands only). */
  allowPrefix?: string;
  /** Why the call was not auto-approved, or which rule approved it. */
  policy: string;
  /** For delegate_task: the task as the model wrote it, the chain that will run it, and its budget. */
  delegate?: { task: string; context?: string; chain: string; budgetNanos: number };
}

/** A delegated subtask's own answer, streamed into its card. */
export interface SubtaskView {
  parts: AnswerPart[];
  info: AnswerInfo;
  state: AnswerState;
  /** It was stopped because its cost passed the budget. */
  stoppedAtBudget: boolean;
}

export interface ToolCallPart {
  kind: 'toolCall';
  step: number;
  /** The call id the model gave; the `tool` message answers it. */
  id: string;
  name: string;
  /** The arguments as the model sent them (JSON text, possibly invalid). */
  arguments: string;
  state: ToolCallState;
  /** What the card shows; set once the call's arguments were checked. */
  card?: ToolCard;
  /** Who decided and why, in words ("rejected: tools are not enabled yet", "auto-approved: read-only tool"). */
  outcome?: string;
  /** Live output of a running command (capped), and its exit code once it ended. */
  output?: string;
  /** A delegated subtask's answer (delegate_task only). */
  subtask?: SubtaskView;
  exitCode?: number | null;
  /** What the model is told (the tool's output, the refusal, the argument error); set once the call ended. */
  result?: string;
}

/** Something the loop itself says, e.g. that it stopped at the step limit. */
export interface NoticePart {
  kind: 'notice';
  step: number;
  text: string;
}

export type AnswerPart = TextPart | ReasoningPart | ToolCallPart | NoticePart;

export type AnswerState = 'streaming' | 'done' | 'stopped' | 'error';

export interface UserMessage {
  id: string;
  role: 'user';
  text: string;
  /** Shown instead of the text, which is then folded away (an exchange a command started: "Summary of src/foo.ts:10-80"). */
  title?: string;
}

export interface AssistantMessage {
  id: string;
  role: 'assistant';
  parts: AnswerPart[];
  /** `streaming` until the answer ends; then `done`, `stopped` (the user stopped it) or `error`. */
  state: AnswerState;
  error?: { kind: string; message: string; actions: ErrorAction[] };
  info: AnswerInfo;
  /** The number of deltas already folded into the parts (the next delta carries this index). */
  deltas: number;
  /** While streaming: how far a multi-request answer is ("part 3 of 7"); cleared when it ends. */
  progress?: string;
}

/**
 * Older turns summarized to save context: shown as a card where it happened. The messages it covers stay in
 * the conversation; only what is sent changes, and Undo sends them in full again.
 */
export interface CompactionMessage {
  id: string;
  role: 'compaction';
  /** `running` while the summary is made; `undone` after Undo (the covered messages are sent again). */
  state: 'running' | 'done' | 'failed' | 'undone';
  /** The ids of the messages the summary replaces in requests (whole turns: a tool call stays with its result). */
  covers: string[];
  /** Why it ran: over the threshold before a request, or the user asked. */
  reason: 'threshold' | 'manual';
  summary: string;
  /** Estimated prompt tokens of the history before and after. */
  tokensBefore: number;
  tokensAfter: number | null;
  modelId: string | null;
  costNanos: number;
  costUnknown: boolean;
  /** Why it failed, in words. */
  error?: string;
}

export type TranscriptMessage = UserMessage | AssistantMessage | CompactionMessage;

export function emptyInfo(): AnswerInfo {
  return { modelId: null, model: null, fallbacks: [], usage: null, costNanos: 0, costUnknown: false, ttftMs: null, steps: 0 };
}

/**
 * Folds one streamed delta into an answer's parts: reasoning first, then text, each appended to the last
 * part when it is of the same kind and step, else started as a new part. Both sides use this function, so
 * the webview's parts equal the host's.
 */
export function appendDelta(parts: AnswerPart[], step: number, text: string, reasoning: string): void {
  const add = (kind: 'text' | 'reasoning', value: string) => {
    if (!value) return;
    const last = parts[parts.length - 1];
    if (last && last.kind === kind && last.step === step) last.text += value;
    else parts.push({ kind, step, text: value });
  };
  add('reasoning', reasoning);
  add('text', text);
}

/** All the answer's text in order: one step's parts joined as they streamed, steps apart by a blank line. */
export function answerText(m: AssistantMessage): string {
  let out = '';
  let step = -1;
  for (const p of m.parts) {
    if (p.kind !== 'text') continue;
    if (out && p.step !== step) out += '\n\n';
    out += p.text;
    step = p.step;
  }
  return out;
}

const PART_KINDS = new Set(['text', 'reasoning', 'toolCall', 'notice']);
const STATES = new Set(['streaming', 'done', 'stopped', 'error']);

/** A structural check of a transcript message (the webview's guard against a stale or newer host). */
export function isTranscriptMessage(v: unknown): v is TranscriptMessage {
  if (!isRecord(v) || typeof v.id !== 'string') return false;
  if (v.role === 'user') return typeof v.text === 'string';
  if (v.role === 'compaction') return Array.isArray(v.covers) && typeof v.summary === 'string' && typeof v.state === 'string';
  if (v.role !== 'assistant') return false;
  return Array.isArray(v.parts) && v.parts.every((p) => isRecord(p) && PART_KINDS.has(p.kind as string) && Number.isInteger(p.step))
    && typeof v.state === 'string' && STATES.has(v.state) && Number.isInteger(v.deltas) && isRecord(v.info);
}
