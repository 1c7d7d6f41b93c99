/**
 * The usage breakdown as one markdown document: totals for every period, tables by model and category for
 * each, and a per-day table for the last 30 local days.
 */
import { groupDigits } from './money';
import { periodLabel, USAGE_PERIODS } from './period';
import { formatCost, formatTokens } from './format';
import { describeRecord, escapeMarkdown, totalsTable } from './tooltip';
import type { UsageSummary } from './totals';

export function usageReportMarkdown(summary: UsageSummary): string {
  const out: string[] = ['# Switchboard usage', ''];
  out.push('| Period | Requests | Tokens | Cost |', '|---|--:|--:|--:|');
  for (const period of USAGE_PERIODS) {
    const t = summary[period].totals;
    out.push(`| ${escapeMarkdown(periodLabel(period))} | ${groupDigits(t.requests)} | ${escapeMarkdown(formatTokens(t.totalTokens))} | ${escapeMarkdown(formatCost(t))} |`);
  }
  out.push('', 'Costs the server did not report and no price covers are *unknown*: they are never counted as $0.');
  if (summary.last) out.push('', `**Last request:** ${describeRecord(summary.last, summary.now)}`);
  for (const period of USAGE_PERIODS) {
    const p = summary[period];
    if (p.totals.requests === 0) continue;
    out.push('', `## ${escapeMarkdown(periodLabel(period)[0].toUpperCase() + periodLabel(period).slice(1))}`, '', totalsTable('Model', p.byModel), '', totalsTable('Category', p.byCategory));
  }
  out.push('', '## Last 30 days', '', '| Day | Requests | Prompt tokens | Completion tokens | Cost |', '|---|--:|--:|--:|--:|');
  for (const d of [...summary.byDay].reverse()) {
    const t = d.totals;
    out.push(`| ${d.day} | ${groupDigits(t.requests)} | ${groupDigits(t.promptTokens)} | ${groupDigits(t.completionTokens)} | ${t.requests ? escapeMarkdown(formatCost(t)) : '—'} |`);
  }
  return `${out.join('\n')}\n`;
}
