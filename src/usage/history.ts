/**
 * The whole usage log, streamed: records are yielded as each chunk of the file is read and nothing is kept,
 * so exporting a long history needs memory for one chunk, not for every record.
 */
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { LineScanner, type ScannedLine } from './lineScanner';
import { errCode } from './logFs';
import { parseLogLine } from './logLine';
import { parseRecord, type UsageRecord } from './record';

const CHUNK_BYTES = 1 << 20;

/**
 * Yields every record of the log at `path` in file order, a missing log being empty. Damaged lines are
 * skipped and told to `warn`; a last line without its newline counts when it is a whole record, and is
 * otherwise passed over in silence (another window may be writing it).
 */
export async function* readUsageHistory(path: string, options: { warn?: (message: string) => void } = {}): AsyncGenerator<UsageRecord> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if (errCode(err) === 'ENOENT') return;
    throw err;
  }
  try {
    const scanner = new LineScanner();
    const buf = Buffer.alloc(CHUNK_BYTES);
    let offset = 0;
    const take = (line: ScannedLine, into: UsageRecord[]) => {
      const result = parseLogLine(line, offset);
      offset += line.dropped + line.bytes.length + 1;
      into.push(...result.records);
      if (result.damage) options.warn?.(`usage log ${basename(path)}: ${result.damage}`);
    };
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      const records: UsageRecord[] = [];
      if (bytesRead === 0) {
        // A last line without its newline may be an append in progress: taken only when it is a whole record.
        const rest = scanner.takeRest();
        const last = rest.dropped === 0 && rest.bytes.length ? parseRecord(rest.bytes.toString('utf8')) : undefined;
        if (last) records.push(last);
        yield* records;
        return;
      }
      scanner.push(buf.subarray(0, bytesRead), (line) => take(line, records));
      yield* records;
    }
  } finally {
    await fh.close();
  }
}
