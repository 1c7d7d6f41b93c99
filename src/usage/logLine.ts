/**
 * One line of the usage log to records: a whole record, or, when a torn write and later appends share the
 * line, every piece of it that parses as a record.
 */
import { parseRecord, RECORD_PREFIX, type UsageRecord } from './record';
import type { ScannedLine } from './lineScanner';

/** The records a line holds, and a description of the damage when it was not one clean record. */
export interface LineResult {
  records: UsageRecord[];
  /** Set when the line was damaged: what was skipped and what was recovered, for the log. */
  damage?: string;
}

const NONE: LineResult = { records: [] };

/** Parses one line (`dropped` bytes of it already cut as garbage); `at` is its byte offset, for the message. */
export function parseLogLine(line: ScannedLine, at: number): LineResult {
  const text = line.bytes.toString('utf8').replace(/\r$/, '');
  if (line.dropped === 0) {
    if (text.trim() === '') return NONE;
    const record = parseRecord(text);
    if (record) return { records: [record] };
  }
  // A torn write followed by a good one shares a line: recover every piece that starts like a record.
  // The prefix cannot occur inside a record's strings, where quotes are escaped.
  const records: UsageRecord[] = [];
  const starts: number[] = [];
  for (let i = text.indexOf(RECORD_PREFIX); i !== -1; i = text.indexOf(RECORD_PREFIX, i + 1)) starts.push(i);
  starts.forEach((s, k) => {
    const r = parseRecord(text.slice(s, starts[k + 1] ?? text.length));
    if (r) records.push(r);
  });
  const preview = JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
  const size = line.dropped ? ` of ${line.dropped + line.bytes.length} bytes` : '';
  const recovered = records.length ? ` (recovered ${records.length} record${records.length === 1 ? '' : 's'} from it)` : '';
  return { records, damage: `skipped a damaged line${size} at byte ${at}${recovered}: ${preview}` };
}
