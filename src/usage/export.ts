/** Raw records as CSV or JSON, for "Export Usage...". */
import { nanosToDecimal } from './money';
import type { UsageRecord } from './record';

/** The CSV columns, in order. */
export const CSV_COLUMNS = [
  'id',
  'time',
  'sessionId',
  'modelId',
  'model',
  'category',
  'usageKnown',
  'promptTokens',
  'completionTokens',
  'totalTokens',
  'cachedTokens',
  'reasoningTokens',
  'costUsd',
  'costSource',
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled. Text that a
 * spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`, since model
 * names come from servers.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Records as CSV: a header row, one row per record, CRLF line ends. Time is ISO 8601 UTC; an unknown cost is empty. */
export function toCsv(records: Iterable<UsageRecord>): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const r of records) {
    rows.push(
      [
        csvField(r.id),
        new Date(r.time).toISOString(),
        csvField(r.sessionId),
        csvField(r.modelId),
        csvField(r.model),
        csvField(r.category),
        String(r.usageKnown),
        String(r.promptTokens),
        String(r.completionTokens),
        String(r.totalTokens),
        String(r.cachedTokens),
        String(r.reasoningTokens),
        r.costNanos === null ? '' : nanosToDecimal(r.costNanos),
        r.costSource,
      ].join(','),
    );
  }
  return rows.join('\r\n') + '\r\n';
}

/** Records as a pretty-printed JSON array, exactly as stored (cost in integer nano-dollars, null when unknown). */
export function toJson(records: Iterable<UsageRecord>): string {
  return JSON.stringify([...records], null, 2) + '\n';
}
