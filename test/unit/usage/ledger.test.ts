import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UsageLedger, type LedgerChange, type UsageLedgerOptions } from '../../../src/usage/ledger';
import { statusBarText } from '../../../src/usage/format';
import { tempDir, usage, waitFor } from './usageTestKit';
import type { UsageRecord } from '../../../src/usage/record';

/** Every record of the ledger's log, streamed. */
async function history(ledger: UsageLedger): Promise<UsageRecord[]> {
  const out: UsageRecord[] = [];
  for await (const r of ledger.history()) out.push(r);
  return out;
}

suite('usage ledger', () => {
  let dir: string;
  let cleanup: () => void;
  const ledgers: UsageLedger[] = [];

  async function openLedger(options: Partial<UsageLedgerOptions> = {}): Promise<UsageLedger> {
    const l = await UsageLedger.open({ path: join(dir, 'usage.jsonl'), sessionId: 'window-a', watch: false, pollIntervalMs: 0, ...options });
    ledgers.push(l);
    return l;
  }

  setup(() => ({ dir, cleanup } = tempDir()));
  teardown(() => {
    for (const l of ledgers.splice(0)) l.dispose();
    cleanup();
  });

  test('a recorded usage is in the totals once the call resolves, counted once', async () => {
    const ledger = await openLedger({ now: () => new Date(2024, 4, 17, 12).getTime() });
    const changes: LedgerChange[] = [];
    ledger.onDidChange((c) => changes.push(c));
    const r = await ledger.record(usage({ cost: 0.0123 }));
    await ledger.refresh();
    const s = ledger.summary();
    assert.equal(s.today.totals.requests, 1);
    assert.equal(s.session.totals.knownCostNanos, 12_300_000);
    assert.equal(statusBarText(s.today.totals), '$(pulse) $0.0123');
    assert.deepEqual(await history(ledger), [r]);
    assert.equal(changes.length, 1);
    assert.deepEqual(changes[0].added, [r]);
  });

  test('an attempt without usage counts as a request with unknown cost', async () => {
    const ledger = await openLedger();
    await ledger.record({ usageKnown: false, modelId: 'mini', category: 'probe' });
    const t = ledger.summary().all.totals;
    assert.deepEqual([t.requests, t.requestsWithoutUsage, t.unknownCostRequests], [1, 1, 1]);
  });

  test("another window's records are read at open and counted outside this session", async () => {
    const other = await openLedger({ sessionId: 'window-b' });
    await other.record(usage({ cost: 0.5 }));
    const mine = await openLedger({ sessionId: 'window-a' });
    await mine.record(usage({ cost: 0.25 }));
    const s = mine.summary();
    assert.equal(s.all.totals.knownCostNanos, 750_000_000);
    assert.equal(s.session.totals.knownCostNanos, 250_000_000);
  });

  test('totals grow incrementally with each change rather than being recomputed', async () => {
    const a = await openLedger({ sessionId: 'a' });
    const b = await openLedger({ sessionId: 'b' });
    const sizes: number[] = [];
    b.onDidChange((c) => sizes.push(c.added.length));
    await a.record(usage());
    await a.record(usage());
    await b.refresh();
    await a.record(usage());
    await b.refresh();
    assert.deepEqual(sizes, [2, 1], 'each change carries only the new records');
    assert.equal(b.summary().all.totals.requests, 3);
  });

  test('a reset in one window empties the totals of the others and keeps a backup', async () => {
    const a = await openLedger({ sessionId: 'a' });
    const b = await openLedger({ sessionId: 'b' });
    await a.record(usage());
    await b.refresh();
    assert.equal(b.summary().all.totals.requests, 1);
    const resets: boolean[] = [];
    b.onDidChange((c) => resets.push(c.reset));
    const backup = await a.reset();
    assert.ok(backup);
    await b.refresh();
    assert.equal(b.summary().all.totals.requests, 0);
    assert.deepEqual(await history(b), []);
    assert.deepEqual(resets, [true]);
  });

  test('a window sees another window record through polling, without reading explicitly', async () => {
    const a = await openLedger({ sessionId: 'a' });
    const b = await openLedger({ sessionId: 'b', pollIntervalMs: 100 });
    await a.record(usage());
    // A generous bound on a shared machine: the property is that polling delivers it at all.
    await waitFor(() => b.summary().all.totals.requests === 1, 10_000, 'the other window to see the record');
  });

  test('when the log cannot be written the record still counts in this window and a warning is given', async () => {
    const warnings: string[] = [];
    const ledger = await openLedger({ warn: (m) => warnings.push(m) });
    await ledger.record(usage());
    // A folder where the log should be: every append fails.
    rmSync(join(dir, 'usage.jsonl'));
    mkdirSync(join(dir, 'usage.jsonl'));
    await ledger.record(usage());
    assert.equal(ledger.summary().all.totals.requests, 2);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /could not write to the usage log .*; this record counts in this window only/);
  });

  test('an unreadable log does not stop the ledger from opening; the trouble is reported', async () => {
    mkdirSync(join(dir, 'usage.jsonl'));
    const warnings: string[] = [];
    const ledger = await openLedger({ warn: (m) => warnings.push(m) });
    assert.equal(ledger.summary().all.totals.requests, 0);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /could not read the usage log/);
  });
});
