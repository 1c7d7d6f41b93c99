/**
 * Activation and the status bar's totals in a real VS Code (code-server 4.100.3, the packaged VSIX, headless
 * Chromium) with 0, 1k, 10k and 100k records in the usage log.
 *
 * For each size the log is written into the server's global storage before a window opens, then several
 * windows are opened one after another (each has its own extension host, so each activates the extension
 * afresh). Read from Switchboard's own log in each window: how long `activate()` took, and how long after it
 * began the history was read and the totals shown. Seen from the page: from opening the workbench URL until
 * the status bar shows the expected total. The empty log is the baseline of the same run.
 *
 *   node out/bench/workbench.bench.js [--windows N] [--out file.json]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { recordFromUsage, serializeRecord } from '../src/usage/record';
import { markdownTable, median, writeJson } from './benchKit';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const ROOT = join(__dirname, '..', '..');
const WINDOWS = Number(arg('--windows', process.env.BENCH_WINDOWS ?? '3'));
const SIZES = [0, 1_000, 10_000, 100_000];
const OUT = arg('--out', join(ROOT, 'bench', 'results', 'workbench.json'));

// The launch helpers are the test harness's own (ES modules).
const load = <T>(path: string): Promise<T> => import(pathToFileURL(join(ROOT, path)).href);
interface CodeServerLib {
  installVsix(root: string, runDir: string, extensionsDir: string, vsix: string): void;
  startCodeServer(o: { root: string; runDir: string; workspace: string }): Promise<{ url: string; stop(): Promise<void> }>;
}
interface BrowserLib {
  launchBrowser(): Promise<import('playwright-core').BrowserContext>;
}
interface PrereqLib {
  CODE_SERVERS: { version: string; vscode: string }[];
  ensurePrerequisites(root: string): string[];
}

/** `n` records of today costing $0.0001 each, so the status bar reads n / 10,000 dollars. */
function history(n: number): string {
  const now = Date.now();
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = recordFromUsage(
      { promptTokens: 1000, completionTokens: 200, totalTokens: 1200, cost: 0.0001, costSource: 'provider', modelId: `m${i % 4}`, model: `model-${i % 4}`, category: i % 5 ? 'chat' : 'probe' },
      { time: now - (i % 10_000), sessionId: `earlier-${i % 6}`, id: `bench-${i}` },
    );
    lines.push(`${serializeRecord(r)}\n`);
  }
  return lines.join('');
}

/** Every "activated in" and "totals shown" line in the Switchboard logs under `logs`. */
function readTimings(logs: string): { activation: number[]; totals: number[] } {
  const found = { activation: [] as number[], totals: [] as number[] };
  const walk = (dir: string): void => {
    for (const name of existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []) {
      const p = join(dir, name.name);
      if (name.isDirectory()) walk(p);
      else if (name.name === 'Switchboard.log') {
        const text = readFileSync(p, 'utf8');
        for (const m of text.matchAll(/activated in ([\d.]+) ms/g)) found.activation.push(Number(m[1]));
        for (const m of text.matchAll(/totals shown ([\d.]+) ms after activation began/g)) found.totals.push(Number(m[1]));
      }
    }
  };
  walk(logs);
  return found;
}

async function main(): Promise<void> {
  const prereqs = await load<PrereqLib>('scripts/lib/prereqs.mjs');
  const { installVsix, startCodeServer } = await load<CodeServerLib>('scripts/lib/codeServer.mjs');
  const { launchBrowser } = await load<BrowserLib>('scripts/lib/browser.mjs');
  const problems = prereqs.ensurePrerequisites(ROOT);
  if (problems.length) throw new Error(`prerequisites missing: ${problems.join('; ')}`);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = join(ROOT, '.cache', 'vsix', `${pkg.name}-${pkg.version}.vsix`);
  if (spawnSync(process.execPath, ['scripts/package.mjs'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) throw new Error('packaging failed');
  spawnSync(process.execPath, ['esbuild.mjs', '--tests'], { cwd: ROOT, stdio: 'inherit' });

  const rows: (string | number)[][] = [];
  const result: Record<string, unknown> = { windows: WINDOWS, vscode: prereqs.CODE_SERVERS[0]!.vscode, sizes: {} };
  for (const n of SIZES) {
    const runDir = join(ROOT, '.cache', 'run', `bench-workbench-${n}`);
    rmSync(runDir, { recursive: true, force: true });
    const workspace = join(runDir, 'workspace');
    cpSync(join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
    mkdirSync(join(runDir, 'extensions'), { recursive: true });
    installVsix(ROOT, runDir, join(runDir, 'extensions'), vsix);
    const storage = join(runDir, 'user-data', 'User', 'globalStorage', 'switchboard.switchboard');
    mkdirSync(storage, { recursive: true });
    writeFileSync(join(storage, 'usage.jsonl'), history(n));
    const server = await startCodeServer({ root: ROOT, runDir, workspace });
    const browser = await launchBrowser();
    const expected = `$${(n / 10_000).toFixed(2)}`;
    const pageMs: number[] = [];
    const logs = join(runDir, 'user-data', 'logs');
    try {
      for (let w = 0; w < WINDOWS; w++) {
        const page = await browser.newPage();
        const t0 = Date.now();
        await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
        await page.locator('.statusbar-item', { hasText: expected }).first().waitFor({ state: 'visible', timeout: 120_000 });
        pageMs.push(Date.now() - t0);
        // The window's log is written a little later; keep it open until its lines are there.
        const until = Date.now() + 20_000;
        for (let t = readTimings(logs); t.activation.length <= w || t.totals.length <= w; t = readTimings(logs)) {
          if (Date.now() > until) throw new Error(`window ${w + 1}: no timing lines in Switchboard's log`);
          await new Promise((r) => setTimeout(r, 100));
        }
        await page.close();
      }
    } finally {
      await browser.close();
      await server.stop();
    }
    const t = readTimings(logs);
    if (t.activation.length < WINDOWS || t.totals.length < WINDOWS) throw new Error(`found ${t.activation.length} activation and ${t.totals.length} totals lines for ${WINDOWS} windows`);
    const r = { records: n, activationMs: median(t.activation), totalsShownMs: median(t.totals), pageToTotalsMs: median(pageMs) };
    (result.sizes as Record<string, unknown>)[n] = r;
    rows.push([n.toLocaleString('en-US'), r.activationMs.toFixed(1), r.totalsShownMs.toFixed(0), r.pageToTotalsMs.toFixed(0)]);
    rmSync(runDir, { recursive: true, force: true });
  }
  writeJson(OUT, result);
  console.log(markdownTable(['Records', 'activate() ms', 'Totals shown ms after activation began', 'Workbench opened to totals shown ms'], rows));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
