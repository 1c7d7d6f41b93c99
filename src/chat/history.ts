// Pure: from the transcript to the request history in the OpenAI wire shape. Per answer step: one assistant
// message (its text, and its `tool_calls` when it made any), then one `tool` message per call, in order.
import type { ChatMessage } from '../broker';
import type { AnswerPart, AssistantMessage, CompactionMessage, ToolCallPart, TranscriptMessage } from '../protocol/transcript';

/** What the model is told about a call that never got a result (the answer was stopped or failed). */
export const NOT_RUN = 'not run: the answer ended before this tool call was decided';

/** How a compaction's summary is introduced to the model. */
export const SUMMARY_PREFIX = 'Summary of the earlier part of this conversation (older turns were compacted to save context):';

/**
 * The request history: user messages and the steps of finished or stopped answers (failed steps are left
 * out). Messages covered by a compaction that is in force are replaced by its summary, sent where the first
 * covered message was; an undone or failed compaction changes nothing.
 */
export function toChatMessages(messages: readonly TranscriptMessage[], systemPrompt?: string): ChatMessage[] {
  const out: ChatMessage[] = systemPrompt ? [{ role: 'system', content: systemPrompt }] : [];
  const covered = new Map<string, CompactionMessage>();
  for (const m of messages) if (m.role === 'compaction' && m.state === 'done') for (const id of m.covers) covered.set(id, m);
  const summarized = new Set<CompactionMessage>();
  for (const m of messages) {
    const by = covered.get(m.id);
    if (by) {
      if (!summarized.has(by)) {
        summarized.add(by);
        out.push({ role: 'user', content: `${SUMMARY_PREFIX}\n\n${by.summary}` });
      }
      continue;
    }
    if (m.role === 'user') out.push({ role: 'user', content: m.text });
    else if (m.role === 'assistant') out.push(...answerMessages(m));
  }
  return out;
}

/**
 * One answer's messages. A stopped or done answer contributes every step; a failed one only the steps whose
 * tool calls ended (the failed request itself produced nothing the model should see again).
 */
export function answerMessages(m: AssistantMessage, opts: { includeUnfinished?: boolean } = {}): ChatMessage[] {
  const steps = groupSteps(m.parts);
  const out: ChatMessage[] = [];
  for (const [index, parts] of steps) {
    const calls = parts.filter((p): p is ToolCallPart => p.kind === 'toolCall');
    const text = parts.filter((p) => p.kind === 'text').map((p) => (p as { text: string }).text).join('');
    const last = index === steps[steps.length - 1][0];
    if (m.state === 'error' && !opts.includeUnfinished && (calls.length === 0 || last)) continue;
    if (m.state === 'streaming' && !opts.includeUnfinished) continue;
    if (calls.length === 0) {
      if (text) out.push({ role: 'assistant', content: text });
      continue;
    }
    out.push({
      role: 'assistant',
      content: text || null,
      tool_calls: calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })),
    });
    for (const c of calls) out.push({ role: 'tool', tool_call_id: c.id, content: c.result ?? NOT_RUN });
  }
  return out;
}

/** Parts grouped by step, in step order. */
function groupSteps(parts: readonly AnswerPart[]): [number, AnswerPart[]][] {
  const map = new Map<number, AnswerPart[]>();
  for (const p of parts) {
    const list = map.get(p.step);
    if (list) list.push(p);
    else map.set(p.step, [p]);
  }
  return [...map.entries()].sort((a, b) => a[0] - b[0]);
}
