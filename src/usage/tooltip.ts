/**
 * The status-bar tooltip as markdown: the period's cost, tables by model and by category, the last request,
 * and links (command URIs chosen by the caller, so this layer needs no editor).
 */
import { formatCost, formatTokens } from './format';
import { formatUsd, groupDigits } from './money';
import { periodLabel, type UsagePeriod } from './period';
import type { UsageRecord } from './record';
import type { Totals, UsageSummary } from './totals';

/** A link under the tables, e.g. `{ title: 'Show usage', uri: 'command:switchboard.showUsage' }`; `uri` must already be URL-encoded. */
export interface TooltipLink {
  title: string;
  uri: string;
}

/** Rows shown per table; the rest are counted in one last row. */
export const MAX_TABLE_ROWS = 12;

/**
 * Makes text safe inside a markdown table cell (or any inline markdown): markdown punctuation and `|` are
 * backslash-escaped, `<`/`>`/`&` become entities (no HTML), and line breaks become spaces.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!|~$]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** The cost column: the amount, "unknown", or "$0.41 + unknown". */
function costCell(t: Totals): string {
  return escapeMarkdown(formatCost(t));
}

function sortedRows(map: ReadonlyMap<string, Totals>): [string, Totals][] {
  // Most expensive first; among equals the busiest; then by name so the order is stable.
  return [...map].sort(([ka, a], [kb, b]) => b.knownCostNanos - a.knownCostNanos || b.requests - a.requests || (ka < kb ? -1 : ka > kb ? 1 : 0));
}

/** A markdown table of totals keyed by `heading` (model or category). */
export function totalsTable(heading: string, map: ReadonlyMap<string, Totals>): string {
  const lines = [`| ${escapeMarkdown(heading)} | Requests | Prompt tokens | Completion tokens | Cost |`, '|---|--:|--:|--:|--:|'];
  const rows = sortedRows(map);
  for (const [key, t] of rows.slice(0, MAX_TABLE_ROWS)) {
    lines.push(`| ${escapeMarkdown(key) || '(none)'} | ${groupDigits(t.requests)} | ${groupDigits(t.promptTokens)} | ${groupDigits(t.completionTokens)} | ${costCell(t)} |`);
  }
  if (rows.length > MAX_TABLE_ROWS) lines.push(`| … ${rows.length - MAX_TABLE_ROWS} more | | | | |`);
  return lines.join('\n');
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "14:03" for a time today, "2024-05-01 14:03" otherwise (local time). */
export function formatLocalTime(time: number, now: number): string {
  const d = new Date(time);
  const n = new Date(now);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const sameDay = d.getFullYear() === n.getFullYear() && d.getMonth() === n.getMonth() && d.getDate() === n.getDate();
  return sameDay ? hm : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
}

/** One line about a record: "mini (openai/gpt-4o-mini) · chat · 1,234 → 567 tokens · $0.0012 · 14:03". */
export function describeRecord(record: UsageRecord, now: number): string {
  const model = record.model && record.model !== record.modelId ? `${escapeMarkdown(record.modelId)} (${escapeMarkdown(record.model)})` : escapeMarkdown(record.modelId);
  const tokens = record.usageKnown
    ? `${groupDigits(record.promptTokens)} → ${groupDigits(record.completionTokens)} tokens`
    : 'usage not reported';
  const cost = record.costNanos === null ? 'cost unknown' : escapeMarkdown(formatUsd(record.costNanos));
  return [model, escapeMarkdown(record.category), tokens, cost, formatLocalTime(record.time, now)].join(' · ');
}

/** The full tooltip for `period` of `summary`, ending with `links` (omitted when empty). */
export function usageTooltipMarkdown(summary: UsageSummary, period: UsagePeriod, links: readonly TooltipLink[] = []): string {
  const p = summary[period];
  const t = p.totals;
  const label = periodLabel(period);
  const parts: string[] = [];
  if (t.requests === 0) {
    parts.push(`**Usage ${escapeMarkdown(label)}:** no requests yet`);
  } else {
    const requests = `${groupDigits(t.requests)} request${t.requests === 1 ? '' : 's'}`;
    const noUsage = t.requestsWithoutUsage > 0 ? ` (${groupDigits(t.requestsWithoutUsage)} without usage)` : '';
    parts.push(`**Usage ${escapeMarkdown(label)}:** ${escapeMarkdown(formatCost(t))} · ${requests}${noUsage} · ${escapeMarkdown(formatTokens(t.totalTokens))}`);
    parts.push(totalsTable('Model', p.byModel));
    parts.push(totalsTable('Category', p.byCategory));
  }
  if (summary.last) parts.push(`**Last request:** ${describeRecord(summary.last, summary.now)}`);
  if (links.length) parts.push(links.map((l) => `[${escapeMarkdown(l.title)}](${l.uri})`).join(' · '));
  return parts.join('\n\n');
}
