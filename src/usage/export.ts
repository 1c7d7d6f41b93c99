/** Raw records as CSV or JSON, for "Export Usage...". */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
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

/** One record as a CSV row (no line end). Time is ISO 8601 UTC; an unknown cost is empty. */
export function csvRow(r: UsageRecord): string {
  return [
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
  ].join(',');
}

export type ExportFormat = 'csv' | 'json';

/**
 * The export file in three kinds of piece, so it can be written as records come: the head, one piece per
 * record (`index` counting from 0), and the tail after `count` records.
 */
const PIECES: Record<ExportFormat, { head: string; item: (r: UsageRecord, index: number) => string; tail: (count: number) => string }> = {
  csv: {
    head: CSV_COLUMNS.join(',') + '\r\n',
    item: (r) => csvRow(r) + '\r\n',
    tail: () => '',
  },
  json: {
    head: '',
    // Indented as JSON.stringify(records, null, 2) would: each item two spaces in.
    item: (r, i) => (i === 0 ? '[\n  ' : ',\n  ') + JSON.stringify(r, null, 2).replace(/\n/g, '\n  '),
    tail: (count) => (count === 0 ? '[]\n' : '\n]\n'),
  },
};

function render(format: ExportFormat, records: Iterable<UsageRecord>): string {
  const p = PIECES[format];
  let out = p.head;
  let n = 0;
  for (const r of records) out += p.item(r, n++);
  return out + p.tail(n);
}

/** Records as CSV: a header row, one row per record, CRLF line ends. */
export function toCsv(records: Iterable<UsageRecord>): string {
  return render('csv', records);
}

/** Records as a pretty-printed JSON array, exactly as stored (cost in integer nano-dollars, null when unknown). */
export function toJson(records: Iterable<UsageRecord>): string {
  return render('json', records);
}

/**
 * Writes `records` (read as they come, e.g. streamed from the log) to the file at `path` as CSV or JSON,
 * holding one record at a time. Resolves to the number of records written.
 */
export async function writeExport(path: string, format: ExportFormat, records: AsyncIterable<UsageRecord>): Promise<number> {
  const p = PIECES[format];
  // As VS Code's own file writes do, a missing folder is created.
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  const write = (text: string) => (out.write(text) ? undefined : Promise.race([once(out, 'drain'), failed]));
  let count = 0;
  try {
    await write(p.head);
    for await (const r of records) await write(p.item(r, count++));
    await write(p.tail(count));
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
  } catch (err) {
    out.destroy();
    throw err;
  }
  return count;
}
