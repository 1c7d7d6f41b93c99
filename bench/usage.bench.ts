/**
 * The usage log at scale: what activation pays for the usage history, when the status bar's totals show,
 * and how much memory the totals hold, with 1k, 10k and 100k records in the log (a year of use, several
 * models, every category).
 *
 * Measured on the pure layers the status bar runs (`UsageLedger`, `statusBarText`, `usageTooltipMarkdown`):
 * - activation: `UsageLedger.create`, the first status-bar render (the "reading the history" state) and
 *   starting the background read, which is all `activate()` does for usage;
 * - totals shown: from `create` to the status bar's render after `onDidLoad` (text and tooltip with tables);
 * - the baseline, in the same run: waiting for the whole history before rendering, as activation used to;
 * - memory retained by a loaded ledger (heap after GC, minus the heap before), against holding the records
 *   themselves (what the ledger used to keep), per 100k records.
 * Plus Show Usage's report (from the totals of a loaded ledger) and a streamed CSV export of the whole log.
 *
 *   node --expose-gc out/bench/usage.bench.js [--reps N] [--out file.json]
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeExport } from '../src/usage/export';
import { statusBarText } from '../src/usage/format';
import { UsageLedger } from '../src/usage/ledger';
import { recordFromUsage, serializeRecord, type UsageRecord } from '../src/usage/record';
import { usageReportMarkdown } from '../src/usage/report';
import { usageTooltipMarkdown } from '../src/usage/tooltip';
import { markdownTable, median, writeJson } from './benchKit';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const REPS = Number(arg('--reps', process.env.BENCH_REPS ?? '5'));
const SIZES = [1_000, 10_000, 100_000];
const OUT = arg('--out', join(__dirname, '..', '..', 'bench', 'results', 'usage.json'));
const NOW = Date.UTC(2026, 10, 30, 12);
const YEAR_MS = 365 * 86_400_000;

const MODELS = [
  ['local', 'qwen2.5-coder-7b'],
  ['mini', 'openai/gpt-4o-mini'],
  ['sonnet', 'anthropic/claude-sonnet-4'],
  ['flash', 'google/gemini-2.5-flash'],
] as const;
const CATEGORIES = ['chat', 'chat', 'chat', 'summarize', 'probe', 'memory_summarize', 'delegate'];

/** `n` records spread evenly over the year before NOW, from six windows, a few with unknown cost. */
function makeLog(path: string, n: number): number {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const [modelId, model] = MODELS[i % MODELS.length]!;
    const known = modelId !== 'local' || i % 2 === 0;
    const r: UsageRecord = recordFromUsage(
      {
        promptTokens: 1000 + (i % 5000),
        completionTokens: 100 + (i % 700),
        totalTokens: 1100 + (i % 5000) + (i % 700),
        cachedTokens: i % 3 === 0 ? 500 : 0,
        cost: known ? 0.0001 * (1 + (i % 40)) : null,
        costSource: known ? 'provider' : 'unknown',
        modelId,
        model,
        category: CATEGORIES[i % CATEGORIES.length]!,
      },
      { time: NOW - YEAR_MS + Math.floor((i * YEAR_MS) / n), sessionId: `window-${i % 6}`, id: `rec-${i}` },
    );
    lines.push(`${serializeRecord(r)}\n`);
  }
  writeFileSync(path, lines.join(''));
  return statSync(path).size;
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

/** What the status bar renders: its text and its tooltip with the period's tables. */
function renderStatusBar(ledger: UsageLedger): number {
  if (!ledger.loaded) return `$(pulse) …`.length;
  const summary = ledger.summary(NOW);
  return statusBarText(summary.today.totals).length + usageTooltipMarkdown(summary, 'today').length;
}

function open(path: string): UsageLedger {
  return UsageLedger.create({ path, sessionId: 'window-0', watch: false, pollIntervalMs: 0, now: () => NOW });
}

async function measure(path: string) {
  // Activation: create, render the loading state, start the read; then the totals when they are in.
  const t0 = process.hrtime.bigint();
  const ledger = open(path);
  renderStatusBar(ledger);
  const loaded = new Promise<void>((resolve) => ledger.onDidLoad(() => resolve()));
  void ledger.load();
  const activation = ms(t0);
  await loaded;
  renderStatusBar(ledger);
  const totalsShown = ms(t0);
  ledger.dispose();

  // Baseline: wait for the whole history, then render (activation before the history moved to the background).
  const t1 = process.hrtime.bigint();
  const waited = await UsageLedger.open({ path, sessionId: 'window-0', watch: false, pollIntervalMs: 0, now: () => NOW });
  renderStatusBar(waited);
  const baseline = ms(t1);
  waited.dispose();
  return { activation, totalsShown, baseline };
}

async function memory(path: string) {
  const before = heap();
  const ledger = open(path);
  await ledger.load();
  const ledgerBytes = heap() - before;
  if (ledger.summary(NOW).all.totals.requests === 0) throw new Error('nothing loaded');
  ledger.dispose();
  // What the ledger used to hold: every record.
  const before2 = heap();
  const held: UsageRecord[] = [];
  for await (const r of UsageLedger.create({ path, sessionId: 'x', watch: false, pollIntervalMs: 0 }).history()) held.push(r);
  const recordsBytes = heap() - before2;
  if (held.length === 0) throw new Error('nothing read');
  return { ledgerBytes, recordsBytes };
}

async function main(): Promise<void> {
  if (!(globalThis as { gc?: unknown }).gc) throw new Error('run with node --expose-gc (npm run bench does)');
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-usage-bench-'));
  const rows: (string | number)[][] = [];
  const result: Record<string, unknown> = { reps: REPS, node: process.version, sizes: {} };
  try {
    for (const n of SIZES) {
      const path = join(dir, `usage-${n}.jsonl`);
      const bytes = makeLog(path, n);
      await measure(path); // warm-up
      const runs = [];
      for (let i = 0; i < REPS; i++) runs.push(await measure(path));
      const mem = await memory(path);
      const l = await UsageLedger.open({ path, sessionId: 'window-0', watch: false, pollIntervalMs: 0, now: () => NOW });
      // Show Usage renders from the running totals: no record is read for it.
      const report = process.hrtime.bigint();
      usageReportMarkdown(l.summary(NOW));
      const reportMs = ms(report);
      const ex = process.hrtime.bigint();
      const exported = await writeExport(join(dir, 'export.csv'), 'csv', l.history());
      const exportMs = ms(ex);
      l.dispose();
      if (exported !== n) throw new Error(`exported ${exported} of ${n}`);
      const r = {
        records: n,
        logMB: mb(bytes),
        activationMs: median(runs.map((x) => x.activation)),
        totalsShownMs: median(runs.map((x) => x.totalsShown)),
        baselineWaitMs: median(runs.map((x) => x.baseline)),
        ledgerHeapMB: mb(mem.ledgerBytes),
        recordsHeapMB: mb(mem.recordsBytes),
        showUsageMs: reportMs,
        exportCsvMs: exportMs,
      };
      (result.sizes as Record<string, unknown>)[n] = r;
      rows.push([
        n.toLocaleString('en-US'),
        r.logMB,
        r.activationMs.toFixed(2),
        r.totalsShownMs.toFixed(0),
        r.baselineWaitMs.toFixed(0),
        r.ledgerHeapMB,
        r.recordsHeapMB,
        r.showUsageMs.toFixed(2),
        r.exportCsvMs.toFixed(0),
      ]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const big = (result.sizes as Record<string, { activationMs: number; totalsShownMs: number; ledgerHeapMB: number }>)[100_000]!;
  result.targets = {
    activationUnder50ms: big.activationMs < 50,
    totalsWithin500ms: big.totalsShownMs < 500,
    ledgerHeapPer100kMB: big.ledgerHeapMB,
  };
  writeJson(OUT, result);
  console.log(
    markdownTable(
      ['Records', 'Log MB', 'Activation ms', 'Totals shown ms', 'Baseline: wait for history ms', 'Ledger heap MB', 'Records held MB (old design)', 'Show Usage ms', 'Export CSV ms'],
      rows,
    ),
  );
  console.log(`\nwith 100,000 records: activation ${big.activationMs.toFixed(2)} ms (target < 50), totals shown after ${big.totalsShownMs.toFixed(0)} ms (target < 500), ledger heap ${big.ledgerHeapMB} MB`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
