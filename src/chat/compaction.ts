// Pure: choosing what a compaction summarizes, and asking for the summary. Whole turns only (a user message
// and its answer, tool calls with their results), never the first user message (the task) nor the last few
// turns; the summary prompt keeps the task, decisions, file paths, open questions and pending work.
import type { ChatMessage } from '../broker';
import type { CompactionMessage, TranscriptMessage } from '../protocol/transcript';
import { toChatMessages } from './history';

export const KEEP_LAST_TURNS = 2;
/** The summary's own length bound. */
export const SUMMARY_MAX_TOKENS = 1200;

export const SUMMARY_INSTRUCTION = [
  'You compact a conversation between a user and a coding assistant so it can go on in less context.',
  'Write a summary that another assistant can continue from. Keep verbatim, wherever you can:',
  '- the task and the user\'s goals and constraints;',
  '- decisions made and why;',
  '- every file path, function, command and identifier mentioned;',
  '- results of tool calls that matter (what was read, edited or run, and what came out);',
  '- open questions and pending work, as a list.',
  'Leave out pleasantries and repetition. Do not invent anything.',
].join('\n');

/** The ids a compaction would cover now, or undefined when there is nothing worth summarizing. */
export function chooseCovered(messages: readonly TranscriptMessage[], keepLastTurns = KEEP_LAST_TURNS): string[] | undefined {
  // Messages already covered by a compaction in force are not summarized again (their summary is kept).
  const covered = new Set<string>();
  for (const m of messages) if (m.role === 'compaction' && m.state === 'done') for (const id of m.covers) covered.add(id);
  const turns: TranscriptMessage[][] = [];
  for (const m of messages) {
    if (m.role === 'compaction') continue;
    if (m.role === 'user' || turns.length === 0) turns.push([m]);
    else turns[turns.length - 1].push(m);
  }
  if (turns.length <= keepLastTurns) return undefined;
  const middle = turns.slice(0, turns.length - keepLastTurns);
  const ids: string[] = [];
  middle.forEach((turn, i) => {
    for (const m of turn) {
      // The first user message (the task) stays verbatim.
      if (i === 0 && m === turn[0] && m.role === 'user') continue;
      if (m.role === 'assistant' && m.state === 'streaming') continue;
      if (!covered.has(m.id)) ids.push(m.id);
    }
  });
  return ids.length ? [...covered, ...ids].filter((id, i, a) => a.indexOf(id) === i) : undefined;
}

/** The request that asks for the summary of the covered messages (with any earlier summary folded in). */
export function summaryRequest(messages: readonly TranscriptMessage[], covers: readonly string[]): ChatMessage[] {
  const earlier = messages.filter((m): m is CompactionMessage => m.role === 'compaction' && m.state === 'done');
  // Messages an earlier summary covers are represented by that summary, not sent again in full.
  const already = new Set(earlier.flatMap((c) => c.covers));
  const set = new Set(covers);
  const part = messages.filter((m) => m.role !== 'compaction' && set.has(m.id) && !already.has(m.id));
  const transcript = toChatMessages(part)
    .map((m) => `${m.role.toUpperCase()}${m.role === 'tool' ? ` (${m.tool_call_id})` : ''}: ${typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? m.tool_calls ?? '')}${m.tool_calls ? `\nTOOL CALLS: ${JSON.stringify(m.tool_calls.map((c) => c.function))}` : ''}`)
    .join('\n\n');
  const prior = earlier.length ? `Earlier summary (fold it in):\n${earlier[earlier.length - 1].summary}\n\n` : '';
  return [
    { role: 'system', content: SUMMARY_INSTRUCTION },
    { role: 'user', content: `${prior}Conversation to summarize:\n\n${transcript}` },
  ];
}
