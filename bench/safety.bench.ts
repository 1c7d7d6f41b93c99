/**
 * Safety classifier: cold load (require + initSafety, in fresh processes), and classification time per
 * command over the measured table (p50/p99/max over many passes, after a warm-up pass).
 *
 *   node out/bench/safety.bench.js [--reps N] [--loads N] [--out file.json]
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildSync } from 'esbuild';
import { classifyCommand, initSafety } from '../src/safety';
import { TABLE } from '../test/unit/safety/commandTable';
import { markdownTable, median, writeJson } from './benchKit';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const REPS = Number(arg('--reps', process.env.BENCH_REPS ?? '50'));
const LOADS = Number(arg('--loads', '7'));
const OUT = arg('--out', join(__dirname, '..', '..', 'bench', 'results', 'safety.json'));

/**
 * Bundles the layer as the extension ships it (one minified CommonJS file, the .wasm files beside it) into a
 * temporary folder; returns the bundle's path and size.
 */
function bundle(): { dir: string; file: string; bytes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'safety-bench-'));
  const file = join(dir, 'safety.js');
  buildSync({ entryPoints: [join(__dirname, '..', '..', 'src', 'safety', 'index.ts')], bundle: true, minify: true, platform: 'node', format: 'cjs', target: 'es2022', outfile: file, logLevel: 'error' });
  for (const p of ['web-tree-sitter/web-tree-sitter.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm']) copyFileSync(require.resolve(p), join(dir, p.split('/')[1]!));
  return { dir, file, bytes: statSync(file).size };
}

/** Milliseconds to require the bundled layer and to load the parser, in a fresh Node process each time. */
function coldLoad(file: string): { requireMs: number; initMs: number } {
  const entry = JSON.stringify(file);
  const script = `const t0 = performance.now(); const s = require(${entry}); const t1 = performance.now();
    s.initSafety().then(() => { const t2 = performance.now(); s.classifyCommand('ls');
      process.stdout.write(JSON.stringify({ requireMs: t1 - t0, initMs: t2 - t1 })); });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function main(): Promise<void> {
  const built = bundle();
  const loads = Array.from({ length: LOADS }, () => coldLoad(built.file));
  rmSync(built.dir, { recursive: true, force: true });
  await initSafety();
  for (const row of TABLE) classifyCommand(row.command, { shell: row.shell });
  const times: number[] = [];
  for (let r = 0; r < REPS; r++) {
    for (const row of TABLE) {
      const t0 = process.hrtime.bigint();
      classifyCommand(row.command, { shell: row.shell });
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  times.sort((a, b) => a - b);
  const wasm = (p: string) => statSync(require.resolve(p)).size;
  const result = {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    commands: TABLE.length,
    passes: REPS,
    classifyMs: { p50: quantile(times, 0.5), p99: quantile(times, 0.99), max: times[times.length - 1]! },
    coldLoadMs: { require: median(loads.map((l) => l.requireMs)), init: median(loads.map((l) => l.initMs)) },
    bundleBytes: built.bytes,
    wasmBytes: { runtime: wasm('web-tree-sitter/web-tree-sitter.wasm'), bash: wasm('tree-sitter-bash/tree-sitter-bash.wasm') },
  };
  writeJson(OUT, result);
  console.log(`\nSafety classifier: ${TABLE.length} commands x ${REPS} passes (${result.node}, ${result.platform})\n`);
  console.log(
    markdownTable(
      ['Measure', 'Value', 'Target'],
      [
        ['classification p50', `${result.classifyMs.p50.toFixed(3)} ms`, ''],
        ['classification p99', `${result.classifyMs.p99.toFixed(3)} ms`, '< 1 ms'],
        ['classification max', `${result.classifyMs.max.toFixed(3)} ms`, ''],
        ['bundled layer (minified JS, web-tree-sitter included)', `${(built.bytes / 1024).toFixed(0)} KB`, ''],
        [`cold require of the bundle (median of ${LOADS} processes)`, `${result.coldLoadMs.require.toFixed(1)} ms`, ''],
        ['cold initSafety (both .wasm files)', `${result.coldLoadMs.init.toFixed(1)} ms`, ''],
        ['.wasm shipped (runtime + bash grammar)', `${((result.wasmBytes.runtime + result.wasmBytes.bash) / 1024).toFixed(0)} KB`, ''],
      ],
    ),
  );
  console.log(`\nwrote ${relative(process.cwd(), OUT)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
