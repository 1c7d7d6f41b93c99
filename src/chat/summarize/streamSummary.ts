// Pure: a summary as one stream of broker events, so the chat's turn loop shows it like any answer. One part:
// the request streams straight through. Several parts: each part is summarized (`plan.parallel` requests at
// once), their usage and fallbacks pass on as they finish, then a final combining pass streams the answer.
// Stopped or failed while parts run: the parts' summaries that arrived are kept as the answer's text.
import type { BrokerEvent, ChatMessage } from '../../broker';
import type { CompleteResult } from '../modelRunner';
import { combineMessages, lineRange, partMessages, type SummaryPlan } from './plan';
import { runPool } from './pool';

/** The requests a summary makes, all on the `summarize` purpose (the model runner in the extension). */
export interface SummaryRequests {
  complete(messages: ChatMessage[], signal: AbortSignal): Promise<CompleteResult>;
  stream(messages: ChatMessage[], signal: AbortSignal): AsyncIterable<BrokerEvent>;
}

interface PartSummary {
  startLine: number;
  endLine: number;
  summary: string;
}

/** Combining rounds at most: summaries that never shrink under the budget are combined as they are. */
const MAX_ROUNDS = 3;

/**
 * @param progress  called with "part 3 of 7" as parts finish, "combining 7 parts" before the final pass
 */
export async function* streamSummary(plan: SummaryPlan, requests: SummaryRequests, signal: AbortSignal, progress: (text: string) => void): AsyncGenerator<BrokerEvent> {
  const { instruction, source } = plan;
  if (plan.chunks.length === 1) {
    yield* requests.stream(partMessages(instruction, source, plan.chunks[0], 0, 1), signal);
    return;
  }
  // Every request falls back the same way: one note per failing model and reason is enough.
  const fallbacks = new Set<string>();
  const firstTime = (f: { from: string; to: string; error: Error }) => {
    const key = `${f.from}\n${f.to}\n${f.error.message}`;
    if (fallbacks.has(key)) return false;
    fallbacks.add(key);
    return true;
  };
  const passOn = function* (r: CompleteResult): Generator<BrokerEvent> {
    for (const f of r.fallbacks) if (firstTime(f)) yield { kind: 'fallback', from: f.from, to: f.to, error: f.error };
    for (const u of r.usage) yield { kind: 'usage', usage: u };
  };

  const n = plan.chunks.length;
  const parts: (PartSummary | undefined)[] = new Array(n);
  let done = 0;
  progress(`part 1 of ${n}`);
  try {
    const pool = runPool(plan.chunks, plan.parallel, signal, (c, i, s) => requests.complete(partMessages(instruction, source, c, i, n), s));
    for await (const { index, value } of pool) {
      const c = plan.chunks[index];
      parts[index] = { startLine: c.startLine, endLine: c.endLine, summary: value.text };
      done++;
      yield* passOn(value);
      progress(done < n ? `part ${done + 1} of ${n}` : `combining ${n} parts`);
    }
  } catch (err) {
    const kept = parts.filter((p): p is PartSummary => p !== undefined);
    if (kept.length) yield { kind: 'text', text: keptText(kept, n) };
    throw err;
  }

  let summaries = parts as PartSummary[];
  for (let round = 1; round < MAX_ROUNDS && plan.budget !== null && tooLong(summaries, plan.budget); round++) {
    // The parts' summaries together are still too long for one request: combine them in groups first.
    const groups = groupSummaries(summaries, plan.budget);
    if (groups.length === summaries.length) break;
    const next: (PartSummary | undefined)[] = new Array(groups.length);
    progress(`combining ${summaries.length} parts in ${groups.length} groups`);
    const pool = runPool(groups, plan.parallel, signal, (g, _i, s) => requests.complete(combineMessages(instruction, { ...source, ...rangeOf(g) }, g), s));
    for await (const { index, value } of pool) {
      next[index] = { ...rangeOf(groups[index]), summary: value.text };
      yield* passOn(value);
    }
    summaries = next as PartSummary[];
  }
  progress(`combining ${n} parts`);
  for await (const ev of requests.stream(combineMessages(instruction, source, summaries), signal)) {
    if (ev.kind !== 'fallback' || firstTime(ev)) yield ev;
  }
}

function rangeOf(g: readonly PartSummary[]): { startLine: number; endLine: number } {
  return { startLine: g[0].startLine, endLine: g[g.length - 1].endLine };
}

function tooLong(summaries: readonly PartSummary[], budget: number): boolean {
  return summaries.reduce((sum, p) => sum + p.summary.length + 40, 0) > budget * 4;
}

/** Consecutive summaries grouped so that each group fits the budget (a summary over it is a group alone). */
function groupSummaries(summaries: readonly PartSummary[], budget: number): PartSummary[][] {
  const limit = budget * 4;
  const groups: PartSummary[][] = [];
  let group: PartSummary[] = [];
  let chars = 0;
  for (const p of summaries) {
    const size = p.summary.length + 40;
    if (group.length && chars + size > limit) {
      groups.push(group);
      group = [];
      chars = 0;
    }
    group.push(p);
    chars += size;
  }
  if (group.length) groups.push(group);
  return groups;
}

/** What a stopped or failed summary keeps: the parts' summaries that arrived, under their line ranges. */
function keptText(kept: readonly PartSummary[], total: number): string {
  const listed = kept.map((p) => `### Lines ${lineRange(p)}\n\n${p.summary.trim()}`).join('\n\n');
  return `Only ${kept.length} of ${total} parts were summarized before the summary ended; they are kept here.\n\n${listed}\n`;
}
