/**
 * The usage breakdown as one markdown document: totals for every period, tables by model and category for
 * each, and a per-day table for the last 30 local days with each day's cost by category.
 */
import { PURPOSES } from '../config/settingsTypes';
import { groupDigits } from './money';
import { periodLabel, USAGE_PERIODS } from './period';
import { formatCost, formatTokens } from './format';
import { describeRecord, escapeMarkdown, totalsTable } from './tooltip';
import type { DayTotals, Totals, UsageSummary } from './totals';

/** The usage categories (the purposes) in their usual order; a report's columns follow it, then any others by name. */
const USAGE_CATEGORIES: readonly string[] = PURPOSES;

function dayCategories(days: readonly DayTotals[]): string[] {
  const used = new Set(days.flatMap((d) => [...d.byCategory.keys()]));
  const known: string[] = USAGE_CATEGORIES.filter((c) => used.has(c));
  return [...known, ...[...used].filter((c) => !known.includes(c)).sort()];
}

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
  // Each day's cost by category, one column for every category used in these days.
  const categories = dayCategories(summary.byDay);
  out.push(
    '',
    '## Last 30 days',
    '',
    `| Day | Requests | Prompt tokens | Completion tokens | Cost |${categories.map((c) => ` ${escapeMarkdown(c) || '(none)'} |`).join('')}`,
    `|---|--:|--:|--:|--:|${categories.map(() => '--:|').join('')}`,
  );
  const cost = (t: Totals | undefined) => (t && t.requests ? escapeMarkdown(formatCost(t)) : '—');
  for (const d of [...summary.byDay].reverse()) {
    const t = d.totals;
    const byCategory = categories.map((c) => ` ${cost(d.byCategory.get(c))} |`).join('');
    out.push(`| ${d.day} | ${groupDigits(t.requests)} | ${groupDigits(t.promptTokens)} | ${groupDigits(t.completionTokens)} | ${cost(t)} |${byCategory}`);
  }
  return `${out.join('\n')}\n`;
}
