// Pure: what a summary will send before anything is sent. The selection's parts (split to the first model's
// context), the prompts for each part and for the final combining pass, the estimated tokens and cost from
// the first model's price, and whether to ask before spending it.
import { isLoopbackHost, type ChatMessage } from '../../broker';
import type { ModelSettings, SummarizeSettings } from '../../config/settingsTypes';
import { estimateChars } from '../modelRunner';
import { splitAtLines, tokensForChars, type Chunk } from './chunkLines';

/** The instruction when `switchboard.summarize.prompt` is empty. */
export const DEFAULT_SUMMARY_PROMPT =
  'Summarize the code or text the user sends in a few lines of markdown: what it does, its key points, and anything surprising (bugs, odd choices, side effects, missing cases). Do not repeat the code.';

/** What the summary is of. */
export interface SummarySource {
  /** The file as the workspace names it, e.g. `src/foo.ts`. */
  file: string;
  /** VS Code's language id, e.g. `typescript`. */
  language: string;
  /** The first and last line of the selection in the file (1-based, inclusive). */
  startLine: number;
  endLine: number;
  text: string;
}

export interface SummaryPlan {
  source: SummarySource;
  /** "Summary of src/foo.ts:10-80": the exchange's title in the chat view. */
  title: string;
  instruction: string;
  /** One part when the selection fits the model's context (then no combining pass is made). */
  chunks: Chunk[];
  parallel: number;
  /** The most tokens one request's code part may hold, or null when the model's context is not configured. */
  budget: number | null;
  estimate: SummaryEstimate;
  /** The model the estimate is for: the summarize chain's first. */
  model: ModelSettings;
}

export interface SummaryEstimate {
  inputTokens: number;
  /** A few lines per answer: what the prompt asks for. */
  outputTokens: number;
  /** Requests the summary makes: one per part, plus the combining pass when there are several parts. */
  requests: number;
  /** USD from the first model's price, or null when it has none ("cost unknown"). */
  costUsd: number | null;
}

/** A planning failure the user can act on; `setting` names what to change. */
export class SummaryPlanError extends Error {
  constructor(message: string, readonly setting?: string) {
    super(message);
    this.name = 'SummaryPlanError';
  }
}

/** The tokens one part's answer (and the combining pass) is expected to take: a few lines. */
export const SUMMARY_ANSWER_TOKENS = 300;
/** Room kept for the answer inside the context: the model's maxTokens, capped at a quarter of the context. */
const ANSWER_ROOM = 1024;
/** Below this many tokens per part a split makes no sense: the context setting is probably wrong. */
const MIN_PART_TOKENS = 64;

export const lineRange = (s: Pick<SummarySource, 'startLine' | 'endLine'>): string => (s.startLine === s.endLine ? `${s.startLine}` : `${s.startLine}-${s.endLine}`);

/**
 * The 1-based lines an editor selection covers (its positions are 0-based): a selection that ends at the
 * start of a line does not include that line.
 */
export function selectionLines(start: { line: number }, end: { line: number; character: number }): { startLine: number; endLine: number } {
  return { startLine: start.line + 1, endLine: end.character === 0 && end.line > start.line ? end.line : end.line + 1 };
}

/** `text` as a fenced code block in `language`, with a fence longer than any it contains. */
export function fencedBlock(text: string, language: string): string {
  const fence = text.includes('```') ? '````' : '```';
  return `${fence}${language}\n${text}${text.endsWith('\n') ? '' : '\n'}${fence}`;
}

/** The exchange's title: "Summary of src/foo.ts:10-80". */
export const summaryTitle = (s: SummarySource): string => `Summary of ${s.file}:${lineRange(s)}`;

/** The request for one part (or for the whole selection when it is the only part). */
export function partMessages(instruction: string, s: SummarySource, chunk: Pick<Chunk, 'startLine' | 'endLine' | 'text'>, index: number, total: number): ChatMessage[] {
  const where = total > 1
    ? `File: ${s.file} (${s.language}), lines ${lineRange(chunk)}: part ${index + 1} of ${total} of the selection (lines ${lineRange(s)}). Summarize this part only; the parts' summaries are combined afterwards.`
    : `File: ${s.file} (${s.language}), lines ${lineRange(s)}.`;
  const body = `${where}\n\n${fencedBlock(chunk.text, s.language)}`;
  return [{ role: 'system', content: instruction }, { role: 'user', content: body }];
}

/** The final pass: the parts' summaries in order, to be combined into one. */
export function combineMessages(instruction: string, s: SummarySource, parts: readonly { startLine: number; endLine: number; summary: string }[]): ChatMessage[] {
  const listed = parts.map((p, i) => `### Part ${i + 1} of ${parts.length} (lines ${lineRange(p)})\n\n${p.summary.trim()}`).join('\n\n');
  const body = `File: ${s.file} (${s.language}), lines ${lineRange(s)}, summarized in ${parts.length} parts. Combine the parts' summaries below into one summary of the whole selection, as asked.\n\n${listed}`;
  return [{ role: 'system', content: instruction }, { role: 'user', content: body }];
}

/** Requests at once: the setting, else 1 for a loopback endpoint (one local server) and 4 for a remote one. */
export function parallelFor(model: Pick<ModelSettings, 'endpoint'>, setting: number | null): number {
  if (setting !== null) return setting;
  return isLoopbackEndpoint(model.endpoint) ? 1 : 4;
}

/** True when the endpoint is on this machine (127.0.0.0/8, ::1, localhost); an unreadable URL counts as local. */
function isLoopbackEndpoint(endpoint: string): boolean {
  try {
    return isLoopbackHost(new URL(endpoint).hostname);
  } catch {
    return true;
  }
}

/**
 * Plans a summary against the summarize chain's first model.
 * @throws SummaryPlanError when there is nothing to summarize, the context is too small, or a line is too long
 */
export function planSummary(source: SummarySource, model: ModelSettings, settings: SummarizeSettings): SummaryPlan {
  if (!source.text.trim()) throw new SummaryPlanError('there is nothing to summarize: the selection is empty');
  const instruction = settings.prompt.trim() || DEFAULT_SUMMARY_PROMPT;
  let budget: number | null = null;
  let chunks: Chunk[];
  if (model.contextTokens === undefined) {
    chunks = [{ startLine: source.startLine, endLine: source.endLine, text: source.text, tokens: tokensForChars(source.text.length) }];
  } else {
    const room = Math.min(model.maxTokens ?? ANSWER_ROOM, Math.floor(model.contextTokens / 4));
    const frame = estimateChars(partMessages(instruction, source, { startLine: source.endLine, endLine: source.endLine, text: '' }, 99, 99));
    budget = model.contextTokens - room - frame;
    if (budget < MIN_PART_TOKENS) {
      throw new SummaryPlanError(`the model "${model.id}" has contextTokens ${model.contextTokens}, which leaves no room for the selection after the instruction and the answer`, `switchboard.models.${model.id}.contextTokens`);
    }
    try {
      chunks = splitAtLines(source.text, budget, source.startLine);
    } catch (err) {
      const e = err as Error;
      throw new SummaryPlanError(`${e.message} (contextTokens ${model.contextTokens} of the model "${model.id}"): select less, or use a model with a larger context`, `switchboard.models.${model.id}.contextTokens`);
    }
  }
  const plan = { source, title: summaryTitle(source), instruction, chunks, parallel: parallelFor(model, settings.parallel), budget, model };
  return { ...plan, estimate: estimateSummary(plan) };
}

/** The tokens and cost a plan is expected to take (input: what is sent; output: a few lines per answer). */
export function estimateSummary(plan: Omit<SummaryPlan, 'estimate'>): SummaryEstimate {
  const n = plan.chunks.length;
  let inputTokens = plan.chunks.reduce((sum, c, i) => sum + estimateChars(partMessages(plan.instruction, plan.source, c, i, n)), 0);
  if (n > 1) {
    const placeholder = 'x'.repeat(SUMMARY_ANSWER_TOKENS * 4);
    inputTokens += estimateChars(combineMessages(plan.instruction, plan.source, plan.chunks.map((c) => ({ ...c, summary: placeholder }))));
  }
  const requests = n > 1 ? n + 1 : 1;
  const outputTokens = requests * SUMMARY_ANSWER_TOKENS;
  const price = plan.model.price;
  const costUsd = price ? (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1e6 : null;
  return { inputTokens, outputTokens, requests, costUsd };
}

/**
 * Whether to ask before sending: when the estimated cost is above `confirmAboveUsd`; when the cost is unknown,
 * only for a remote model (it may charge) asked to make several requests (a long selection).
 */
export function needsConfirmation(plan: SummaryPlan, confirmAboveUsd: number): boolean {
  const { costUsd, requests } = plan.estimate;
  if (costUsd !== null) return costUsd > confirmAboveUsd;
  return requests > 1 && !isLoopbackEndpoint(plan.model.endpoint);
}

/** The estimate in words: "about 12,400 input tokens in 4 requests, about $0.0031" or "..., cost unknown". */
export function describeEstimate(e: SummaryEstimate, modelId: string): string {
  const n = new Intl.NumberFormat('en-US').format(e.inputTokens);
  const requests = e.requests === 1 ? '1 request' : `${e.requests} requests`;
  const cost = e.costUsd === null ? `cost unknown (no price set for "${modelId}")` : `about $${e.costUsd < 0.01 ? e.costUsd.toFixed(4) : e.costUsd.toFixed(2)}`;
  return `about ${n} input tokens in ${requests} to ${modelId}, ${cost}`;
}
