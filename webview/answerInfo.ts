// Pure: the lines shown under an answer (which model answered, after which failures; tokens and cost; time
// to first token).
import type { AnswerInfo, AnswerState } from '../src/protocol/transcript';
import { formatAnswerCost } from '../src/usage/format';

export interface InfoLine {
  cls: string;
  text: string;
}

/** Token counts as the view writes them (1,234). */
export const int = new Intl.NumberFormat('en-US');

export function describeAnswer(info: AnswerInfo | undefined, state: AnswerState): InfoLine[] {
  if (!info) return [];
  const lines: InfoLine[] = [];
  if (info.modelId) {
    const name = info.model && info.model !== info.modelId ? `${info.modelId} (${info.model})` : info.modelId;
    if (info.fallbacks.length) {
      const failed = info.fallbacks.map((f) => f.from).join(', ');
      const reason = info.fallbacks[info.fallbacks.length - 1].reason;
      // An answer that ended in an error was not answered by the last model: it was only tried.
      const verb = state === 'error' ? 'tried' : 'answered by';
      lines.push({ cls: 'meta-model fallback', text: `${verb} ${name} after ${failed} failed: ${reason}` });
    } else {
      lines.push({ cls: 'meta-model', text: name });
    }
  } else if (info.fallbacks.length) {
    for (const f of info.fallbacks) lines.push({ cls: 'meta-model fallback', text: `${f.from} failed, trying ${f.to}: ${f.reason}` });
  }
  if (state === 'streaming') return lines;
  if (info.usage) {
    const cost = formatAnswerCost(info.costNanos, info.costUnknown);
    lines.push({ cls: 'meta-usage', text: `${int.format(info.usage.promptTokens)} in · ${int.format(info.usage.completionTokens)} out · ${cost}` });
  } else {
    lines.push({ cls: 'meta-usage', text: 'usage not reported · cost unknown' });
  }
  if (info.subtasks?.count) {
    const sub = info.subtasks;
    lines.push({ cls: 'meta-subtasks', text: `+ ${sub.count} subtask${sub.count > 1 ? 's' : ''}: ${formatAnswerCost(sub.costNanos, sub.costUnknown)}` });
  }
  if (info.steps > 1) lines.push({ cls: 'meta-steps', text: `${info.steps} requests (tool steps)` });
  if (info.ttftMs !== null) lines.push({ cls: 'meta-ttft', text: `first token ${info.ttftMs < 1000 ? `${info.ttftMs} ms` : `${(info.ttftMs / 1000).toFixed(1)} s`}` });
  if (state === 'stopped') lines.push({ cls: 'meta-stopped', text: 'stopped' });
  return lines;
}
