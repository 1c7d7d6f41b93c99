import { strict as assert } from 'node:assert';
import { fork, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, readdirSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { LedgerFile, type LedgerFileOptions } from '../../../src/usage/ledgerFile';
import { parseRecord, serializeRecord, type UsageRecord } from '../../../src/usage/record';
import { record, tempDir, waitFor } from './usageTestKit';

const WORKER = join(__dirname, 'appendWorker.js');

/** Forks append workers and resolves once each has said "ready". */
async function startWorkers(path: string, names: string[], count: number): Promise<ChildProcess[]> {
  return Promise.all(
    names.map(
      (name) =>
        new Promise<ChildProcess>((resolve, reject) => {
          const child = fork(WORKER, [path, name, String(count)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
          child.once('message', (m) => (m === 'ready' ? resolve(child) : reject(new Error(`unexpected ${String(m)}`))));
          child.once('error', reject);
        }),
    ),
  );
}

/** Reads what is new and returns the ids of the records that came out of it, in order. */
async function readIds(f: LedgerFile): Promise<string[]> {
  const ids: string[] = [];
  const sub = f.onDidAppend((rs) => ids.push(...rs.map((r) => r.id)));
  try {
    await f.readNew();
  } finally {
    sub.dispose();
  }
  return ids;
}

/** Resolves when a worker exits cleanly. */
function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) return child.exitCode === 0 ? resolve() : reject(new Error(`worker exited ${child.exitCode}`));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited ${code}`))));
  });
}

suite('usage log file', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  const open: LedgerFile[] = [];
  const children: ChildProcess[] = [];

  /** A reader/writer that is disposed after the test; no watching or polling unless asked. */
  function ledgerFile(options: Partial<LedgerFileOptions> = {}): LedgerFile {
    const f = new LedgerFile({ path, watch: false, pollIntervalMs: 0, ...options });
    open.push(f);
    return f;
  }

  setup(() => {
    ({ dir, cleanup } = tempDir());
    path = join(dir, 'usage', 'usage.jsonl');
  });

  teardown(() => {
    for (const f of open.splice(0)) f.dispose();
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill();
    cleanup();
  });

  test('appended records are read back once each, and only new bytes are read', async () => {
    const f = ledgerFile();
    const seen: UsageRecord[][] = [];
    f.onDidAppend((rs) => seen.push(rs));
    await f.append(record({}, { id: 'a' }));
    await f.append(record({}, { id: 'b' }));
    assert.deepEqual(await readIds(f), ['a', 'b']);
    assert.deepEqual(await readIds(f), []);
    await f.append(record({}, { id: 'c' }));
    assert.deepEqual(await readIds(f), ['c']);
    assert.deepEqual(seen.map((rs) => rs.map((r) => r.id)), [['a', 'b'], ['c']]);
    assert.equal(readFileSync(path, 'utf8').split('\n').length, 4, 'one line per record plus the final newline');
  });

  test('a missing log reads as empty, and the folder is created by the first append', async () => {
    const f = ledgerFile();
    assert.deepEqual(await readIds(f), []);
    await f.append(record({}, { id: 'first' }));
    assert.deepEqual(await readIds(f), ['first']);
  });

  test('a torn or malformed complete line is skipped with a warning, and the lines around it are read', async () => {
    const warnings: string[] = [];
    const f = ledgerFile({ warn: (m) => warnings.push(m) });
    const good1 = serializeRecord(record({}, { id: 'g1' }));
    const good2 = serializeRecord(record({}, { id: 'g2' }));
    await f.append(record({}, { id: 'g0' }));
    appendFileSync(path, `${good1.slice(0, 40)}\nnot json at all\n{"v":1,"id":"x"}\n${good2}\n`);
    const ids = await readIds(f);
    assert.deepEqual(ids, ['g0', 'g2']);
    assert.equal(warnings.length, 3);
    assert.match(warnings[0], /skipped a damaged line at byte \d+/);
  });

  test('a record appended after a torn write on the same line is recovered', async () => {
    const warnings: string[] = [];
    const f = ledgerFile({ warn: (m) => warnings.push(m) });
    const torn = serializeRecord(record({}, { id: 'torn' })).slice(0, 50);
    await f.append(record({}, { id: 'before' }));
    appendFileSync(path, torn);
    await f.append(record({}, { id: 'after' }));
    assert.deepEqual(await readIds(f), ['before', 'after']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /recovered 1 record/);
  });

  test('a trailing line without its newline waits until it is completed', async () => {
    const f = ledgerFile();
    const line = serializeRecord(record({}, { id: 'slow' }));
    await f.append(record({}, { id: 'done' }));
    appendFileSync(path, line.slice(0, 30));
    assert.deepEqual(await readIds(f), ['done']);
    assert.deepEqual(await readIds(f), [], 'the half-written line is not consumed');
    appendFileSync(path, `${line.slice(30)}\n`);
    assert.deepEqual(await readIds(f), ['slow']);
  });

  test('a trailing partial line that stays unchanged past the stale limit is skipped with a warning', async () => {
    let clock = 1_000_000;
    const warnings: string[] = [];
    const f = ledgerFile({ now: () => clock, stalePartialMs: 3000, warn: (m) => warnings.push(m) });
    await f.append(record({}, { id: 'ok' }));
    appendFileSync(path, '{"v":1,"id":"crash');
    assert.deepEqual(await readIds(f), ['ok']);
    clock += 2999;
    assert.deepEqual(await readIds(f), []);
    assert.equal(warnings.length, 0, 'not stale yet: a writer may still finish it');
    clock += 1;
    assert.deepEqual(await readIds(f), []);
    assert.equal(warnings.length, 1);
    await f.append(record({}, { id: 'next' }));
    assert.deepEqual(await readIds(f), ['next'], 'the next record is read cleanly after the skipped fragment');
    assert.equal(warnings.length, 1);
  });

  test('a stale trailing line that is a whole record (its newline lost) is taken', async () => {
    let clock = 0;
    const f = ledgerFile({ now: () => clock, stalePartialMs: 100 });
    await f.append(record({}, { id: 'x' }));
    appendFileSync(path, serializeRecord(record({}, { id: 'no-newline' })));
    assert.deepEqual(await readIds(f), ['x']);
    clock += 100;
    assert.deepEqual(await readIds(f), ['no-newline']);
  });

  test('reset keeps the old log as a backup, and another reader starts over from the new log', async () => {
    const a = ledgerFile();
    const b = ledgerFile();
    let resets = 0;
    b.onDidReset(() => resets++);
    for (const id of ['1', '2', '3']) await a.append(record({}, { id }));
    assert.equal((await readIds(b)).length, 3);
    const backup = await a.reset();
    assert.ok(backup && existsSync(backup));
    assert.match(backup, /usage\.backup-[0-9T-]+Z\.jsonl$/);
    assert.equal(readFileSync(backup, 'utf8').trim().split('\n').length, 3);
    assert.equal(readFileSync(path, 'utf8'), '', 'the new log starts empty');
    await a.append(record({}, { id: 'new' }));
    assert.deepEqual(await readIds(b), ['new']);
    assert.equal(resets, 1);
  });

  test('two resets in the same millisecond keep two distinct backups', async () => {
    const a = ledgerFile({ now: () => 0 });
    await a.append(record());
    const first = await a.reset();
    await a.append(record());
    const second = await a.reset();
    assert.ok(first && second && first !== second);
    assert.equal(readdirSync(join(dir, 'usage')).length, 3);
  });

  test('a log cut shorter than what was read is read again from the start', async () => {
    const f = ledgerFile();
    let resets = 0;
    f.onDidReset(() => resets++);
    await f.append(record({}, { id: 'a' }));
    await f.append(record({}, { id: 'b' }));
    await f.readNew();
    truncateSync(path, 0);
    appendFileSync(path, `${serializeRecord(record({}, { id: 'c' }))}\n`);
    assert.deepEqual(await readIds(f), ['c']);
    assert.equal(resets, 1);
  });

  test('six processes appending 500 records each at once lose nothing, and a live reader sees each once', async function () {
    const names = ['w0', 'w1', 'w2', 'w3', 'w4', 'w5'];
    const perWorker = 500;
    const warnings: string[] = [];
    const reader = ledgerFile({ watch: true, pollIntervalMs: 20, warn: (m) => warnings.push(m) });
    const live: string[] = [];
    reader.onDidAppend((rs) => live.push(...rs.map((r) => r.id)));
    await reader.start();
    const workers = await startWorkers(path, names, perWorker);
    children.push(...workers);
    for (const w of workers) w.send('go');
    await Promise.all(workers.map(exited));
    await reader.readNew();

    const expected = names.flatMap((n) => Array.from({ length: perWorker }, (_, i) => `${n}-${i}`)).sort();
    const lines = readFileSync(path, 'utf8').split('\n');
    assert.equal(lines.pop(), '', 'the log ends with a newline');
    assert.equal(lines.length, names.length * perWorker);
    const parsed = lines.map((l) => parseRecord(l));
    assert.ok(parsed.every((r) => r !== undefined), 'every line parses');
    assert.deepEqual(parsed.map((r) => r!.id).sort(), expected, 'every record exactly once');
    assert.deepEqual([...live].sort(), expected, 'the live reader saw every record exactly once');
    assert.deepEqual(warnings, []);
  });

  for (const [label, options] of [
    ['with polling alone', { watch: false, pollIntervalMs: 500 }],
    // Undefined overrides the helper's "off" settings, so the real defaults apply.
    ['with watching and polling (the defaults)', { watch: undefined, pollIntervalMs: undefined }],
  ] as const) {
    test(`a record appended by another process is seen without an explicit read ${label}`, async () => {
      const reader = ledgerFile(options);
      await reader.start();
      const seen = new Promise<number>((resolve, reject) => {
        reader.onDidAppend(() => resolve(Date.now()));
        // Generous on a shared machine; the time is printed, the property is that it arrives by itself.
        setTimeout(() => reject(new Error('not seen within 10 s')), 10_000).unref();
      });
      const [worker] = await startWorkers(path, ['other'], 1);
      children.push(worker);
      const sent = Date.now();
      worker.send('go');
      console.log(`      seen ${(await seen) - sent} ms after the other process appended it`);
      await exited(worker);
    });
  }

  test('after dispose no more reads or events happen', async () => {
    const f = ledgerFile({ pollIntervalMs: 10 });
    await f.start();
    let events = 0;
    f.onDidAppend(() => events++);
    f.dispose();
    await ledgerFile().append(record());
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await readIds(f), []);
    assert.equal(events, 0);
  });
});
