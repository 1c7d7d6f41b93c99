import { strict as assert } from 'node:assert';
import { appendFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LedgerFile } from '../../../src/usage/ledgerFile';
import { UsageLedger, type LedgerChange, type UsageLedgerOptions } from '../../../src/usage/ledger';
import { LineScanner, MAX_CARRY_BYTES } from '../../../src/usage/lineScanner';
import { readUsageHistory } from '../../../src/usage/history';
import { toCsv, toJson, writeExport } from '../../../src/usage/export';
import { serializeRecord, type UsageRecord } from '../../../src/usage/record';
import { usageReportMarkdown } from '../../../src/usage/report';
import { summarize } from '../../../src/usage/totals';
import { record, tempDir, usage } from './usageTestKit';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

function lines(n: number, prefix = 'r'): UsageRecord[] {
  return Array.from({ length: n }, (_, i) => record({ category: ['chat', 'probe', 'summarize'][i % 3] }, { id: `${prefix}${i}`, time: 1_700_000_000_000 + i * 60_000 }));
}

suite('usage log at scale', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  const disposables: { dispose(): void }[] = [];

  setup(() => {
    ({ dir, cleanup } = tempDir());
    path = join(dir, 'usage.jsonl');
  });
  teardown(() => {
    for (const d of disposables.splice(0)) d.dispose();
    cleanup();
  });

  function ledger(options: Partial<UsageLedgerOptions> = {}): UsageLedger {
    const l = UsageLedger.create({ path, sessionId: 'me', watch: false, pollIntervalMs: 0, ...options });
    disposables.push(l);
    return l;
  }

  test('the line scanner gives the same lines for every way of cutting the input into two chunks', () => {
    const text = Buffer.from('one\ntwo\r\n\nthree, a longer line\nunterminated');
    const split = (chunks: Buffer[]) => {
      const s = new LineScanner();
      const out: string[] = [];
      for (const c of chunks) s.push(c, (l) => out.push(l.bytes.toString()));
      out.push(`rest:${s.takeRest().bytes.toString()}`);
      return out;
    };
    const whole = split([text]);
    assert.deepEqual(whole, ['one', 'two\r', '', 'three, a longer line', 'rest:unterminated']);
    for (let cut = 0; cut <= text.length; cut++) assert.deepEqual(split([text.subarray(0, cut), text.subarray(cut)]), whole, `cut at ${cut}`);
  });

  test('the line scanner keeps only the end of an over-long line and counts what it dropped', () => {
    const s = new LineScanner(16);
    const seen: { text: string; dropped: number }[] = [];
    s.push(Buffer.from('x'.repeat(40)), () => assert.fail('no newline yet'));
    assert.equal(s.pendingBytes, 40);
    s.push(Buffer.from('0123456789abcdef\nok\n'), (l) => seen.push({ text: l.bytes.toString(), dropped: l.dropped }));
    assert.deepEqual(seen, [{ text: '0123456789abcdef', dropped: 40 }, { text: 'ok', dropped: 0 }]);
  });

  test('10 MB of garbage without a newline is read once in all, however often the log is polled, and a record after it is recovered', async () => {
    let clock = 0;
    const warnings: string[] = [];
    const f = new LedgerFile({ path, watch: false, pollIntervalMs: 0, now: () => clock, stalePartialMs: 3000, warn: (m) => warnings.push(m) });
    disposables.push(f);
    const ids: string[] = [];
    f.onDidAppend((rs) => ids.push(...rs.map((r) => r.id)));
    await f.append(record({}, { id: 'before' }));
    // Written in pieces, with a read after each, as a runaway writer would be seen by a polling window.
    const piece = Buffer.alloc(1 << 20, 0x61);
    for (let i = 0; i < 10; i++) {
      appendFileSync(path, piece);
      await f.readNew();
      clock += 500;
    }
    for (let i = 0; i < 10; i++) {
      await f.readNew();
      clock += 500;
    }
    assert.deepEqual(ids, ['before']);
    await f.append(record({}, { id: 'after' }));
    await f.readNew();
    const size = statSync(path).size;
    assert.deepEqual(ids, ['before', 'after']);
    // Every byte once: no re-reading of the unterminated tail (the old reader read it again at every poll).
    assert.equal(f.stats.bytesRead, size, `read ${f.stats.bytesRead} bytes of a ${size}-byte log`);
    assert.ok(f.stats.chunksRead <= 24, `${f.stats.chunksRead} chunks read`);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /skipped a damaged line of 1048\d{4} bytes at byte \d+/);
  });

  test('a 10 MB garbage line that ends with a newline is skipped in one pass, keeping the records around it', async () => {
    const before = serializeRecord(record({}, { id: 'a' }));
    const after = serializeRecord(record({}, { id: 'b' }));
    writeFileSync(path, `${before}\n${'z'.repeat(10 << 20)}\n${after}\n`);
    const f = new LedgerFile({ path, watch: false, pollIntervalMs: 0 });
    disposables.push(f);
    const ids: string[] = [];
    f.onDidAppend((rs) => ids.push(...rs.map((r) => r.id)));
    await f.readNew();
    assert.deepEqual(ids, ['a', 'b']);
    assert.equal(f.stats.bytesRead, statSync(path).size);
  });

  test('a long history arrives in chunks, never as one array of every record', async () => {
    const all = lines(12_000);
    writeFileSync(path, all.map((r) => `${serializeRecord(r)}\n`).join(''));
    const f = new LedgerFile({ path, watch: false, pollIntervalMs: 0 });
    disposables.push(f);
    const sizes: number[] = [];
    f.onDidAppend((rs) => sizes.push(rs.length));
    assert.equal(await f.readNew(), 12_000);
    assert.ok(sizes.length >= 2, `delivered in ${sizes.length} batch(es)`);
    assert.ok(Math.max(...sizes) < 12_000);
    assert.equal(sizes.reduce((a, b) => a + b, 0), 12_000);
  });

  test('create() returns before the history is read; load() fills the totals and tells once, without a change per chunk', async () => {
    writeFileSync(path, lines(9_000).map((r) => `${serializeRecord(r)}\n`).join(''));
    const l = ledger();
    assert.equal(l.loaded, false);
    assert.equal(l.summary().all.totals.requests, 0, 'nothing read yet');
    const changes: LedgerChange[] = [];
    let loads = 0;
    l.onDidChange((c) => changes.push(c));
    l.onDidLoad(() => loads++);
    await l.load();
    await l.load();
    assert.equal(l.loaded, true);
    assert.equal(l.summary().all.totals.requests, 9_000);
    assert.equal(loads, 1);
    assert.deepEqual(changes, []);
    await l.record(usage());
    assert.equal(l.summary().all.totals.requests, 9_001);
    assert.equal(changes.length, 1);
  });

  test('a record made before the history is read is counted once, after the history', async () => {
    writeFileSync(path, lines(3).map((r) => `${serializeRecord(r)}\n`).join(''));
    const l = ledger();
    const r = l.record(usage({ cost: 1 }));
    await r;
    assert.equal(l.summary().all.totals.requests, 4);
    assert.equal(l.summary().session.totals.requests, 1);
  });

  test('a record whose write failed but whose bytes reached the log (a torn last line, then a later append) is counted once', async () => {
    const warnings: string[] = [];
    const told: string[] = [];
    const l = ledger({ warn: (m) => warnings.push(m), onWriteFailure: (m) => told.push(m) });
    await l.load();
    // The log cannot be written: a folder stands where it should be.
    mkdirSync(path);
    const lost = await l.record(usage({ cost: 0.5 }));
    assert.equal(l.summary().all.totals.requests, 1, 'counted in this window');
    rmSync(path, { recursive: true });
    // Its bytes landed after all, without their newline (a short write); the next record follows on the same line.
    writeFileSync(path, serializeRecord(lost));
    await l.record(usage({ cost: 0.25 }));
    const t = l.summary().all.totals;
    assert.equal(t.requests, 2);
    assert.equal(t.knownCostNanos, 750_000_000);
    assert.equal(told.length, 1);
    // Another window reading the same log counts both records too.
    const other = await UsageLedger.open({ path, sessionId: 'other', watch: false, pollIntervalMs: 0 });
    disposables.push(other);
    assert.equal(other.summary().all.totals.requests, 2);
  });

  test('a log that cannot be written is told to the user once per failing streak, and every failure to the log', async () => {
    const warnings: string[] = [];
    const told: string[] = [];
    const l = ledger({ warn: (m) => warnings.push(m), onWriteFailure: (m) => told.push(m) });
    mkdirSync(path);
    await l.record(usage());
    await l.record(usage());
    await l.record(usage());
    assert.equal(told.length, 1);
    assert.match(told[0], /EISDIR|ENOTDIR/, 'the reason, from the file system');
    assert.equal(warnings.filter((w) => w.includes('could not write')).length, 3);
    rmSync(path, { recursive: true });
    await l.record(usage());
    assert.equal(told.length, 1, 'a good write ends the streak without telling anyone');
    rmSync(path);
    mkdirSync(path);
    await l.record(usage());
    assert.equal(told.length, 2, 'a new streak is told again');
    assert.equal(l.summary().all.totals.requests, 5);
  });

  test('the history streams every record in file order, skips damaged lines, takes a last record without its newline and passes over one being written', async () => {
    const rs = lines(5);
    writeFileSync(path, `${serializeRecord(rs[0])}\n${serializeRecord(rs[1])}\nnot a record\n${serializeRecord(rs[2])}\n${serializeRecord(rs[3])}\n${serializeRecord(rs[4])}`);
    const warnings: string[] = [];
    assert.deepEqual(await collect(readUsageHistory(path, { warn: (m) => warnings.push(m) })), rs);
    assert.equal(warnings.length, 1);
    assert.deepEqual(await collect(readUsageHistory(join(dir, 'missing.jsonl'))), []);
    // A last line still being written is not a damaged one.
    appendFileSync(path, `\n${serializeRecord(rs[0]).slice(0, 30)}`);
    assert.deepEqual(await collect(readUsageHistory(path, { warn: (m) => warnings.push(m) })), rs);
    assert.equal(warnings.length, 2, 'only the damaged line in the middle, again');
  });

  test('export written from a stream is byte for byte the CSV and JSON made in memory', async () => {
    const rs = lines(2_500);
    writeFileSync(path, rs.map((r) => `${serializeRecord(r)}\n`).join(''));
    for (const [format, make] of [['csv', toCsv], ['json', toJson]] as const) {
      const out = join(dir, `out.${format}`);
      assert.equal(await writeExport(out, format, readUsageHistory(path)), rs.length);
      assert.equal(readFileSync(out, 'utf8'), make(rs), format);
      const empty = join(dir, `empty.${format}`);
      assert.equal(await writeExport(empty, format, readUsageHistory(join(dir, 'none'))), 0);
      assert.equal(readFileSync(empty, 'utf8'), make([]));
    }
    assert.deepEqual(JSON.parse(toJson(rs)), rs);
  });

  test('an export onto a folder rejects with the file system error; one into a missing folder creates it', async () => {
    writeFileSync(path, `${serializeRecord(record())}\n`);
    mkdirSync(join(dir, 'taken.csv'));
    await assert.rejects(writeExport(join(dir, 'taken.csv'), 'csv', readUsageHistory(path)), /EISDIR/);
    assert.equal(await writeExport(join(dir, 'new', 'folder', 'x.csv'), 'csv', readUsageHistory(path)), 1);
  });

  test("Show Usage breaks each day's cost down by category", () => {
    const now = new Date(2024, 4, 17, 18).getTime();
    const at = (h: number) => new Date(2024, 4, 17, h).getTime();
    const rs = [
      record({ category: 'chat', cost: 0.5 }, { time: at(9) }),
      record({ category: 'chat', cost: 0.25 }, { time: at(10) }),
      record({ category: 'delegate', cost: 0.125 }, { time: at(11) }),
      record({ category: 'memory_summarize', cost: undefined, costSource: 'unknown' }, { time: at(12) }),
      record({ category: 'chat', cost: 1 }, { time: new Date(2024, 4, 16, 9).getTime() }),
    ];
    const md = usageReportMarkdown(summarize(rs, { now, sessionId: 'me' }));
    const table = md.slice(md.indexOf('## Last 30 days'));
    const rows = table.split('\n');
    assert.ok(rows.includes('| Day | Requests | Prompt tokens | Completion tokens | Cost | chat | memory\\_summarize | delegate |'), table);
    assert.ok(rows.includes('| 2024-05-17 | 4 | 400 | 80 | \\$0\\.875 \\+ unknown | \\$0\\.75 | unknown | \\$0\\.125 |'), table);
    assert.ok(rows.includes('| 2024-05-16 | 1 | 100 | 20 | \\$1\\.00 | \\$1\\.00 | — | — |'), table);
    assert.ok(!table.includes('| probe |'), 'no column for a category without records');
  });

  test('the carry cap is larger than any record', () => {
    assert.ok(MAX_CARRY_BYTES > 4000 * 4);
  });
});
