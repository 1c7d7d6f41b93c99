// Runs the benchmarks: builds (node esbuild.mjs --tests), then runs every compiled out/bench/**/*.bench.js
// in its own Node process, one after the other. Each benchmark writes its JSON under bench/results/ and
// prints a markdown table. Add a benchmark by adding a bench/<name>.bench.ts file.
//
//   node scripts/bench.mjs [name-filter] [-- extra args passed to each benchmark]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
const filters = sep >= 0 ? argv.slice(0, sep) : argv;
const passThrough = sep >= 0 ? argv.slice(sep + 1) : [];

const build = spawnSync(process.execPath, ['esbuild.mjs', '--tests'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

function list(dir) {
  let names;
  try { names = readdirSync(dir); } catch { return []; }
  return names.flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? list(p) : p.endsWith('.bench.js') ? [p] : [];
  });
}

const files = list(join('out', 'bench')).sort().filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('bench: no benchmarks found under out/bench');
  process.exit(1);
}
let failed = 0;
for (const f of files) {
  console.log(`\n== ${relative('.', f)}`);
  const r = spawnSync(process.execPath, ['--expose-gc', f, ...passThrough], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
