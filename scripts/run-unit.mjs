// Runs the unit suite: mocha (tdd UI) in plain Node over out/test/unit/**/*.test.js. The layers (no runtime
// `vscode` outside the glue) are guarded by the linter (eslint.config.mjs), which `npm test` runs first.
//
//   node scripts/run-unit.mjs [--results file.json] [--grep text] [extra test files...]
import Mocha from 'mocha';
import { readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';

const argv = process.argv.slice(2);
let resultsFile;
let grep;
const explicit = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--results') resultsFile = argv[++i];
  else if (argv[i] === '--grep') grep = argv[++i];
  else explicit.push(resolve(argv[i]));
}

function list(dir) {
  let names;
  try { names = readdirSync(dir); } catch { return []; }
  return names.flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? list(p) : p.endsWith('.test.js') ? [resolve(p)] : [];
  });
}

const files = explicit.length ? explicit : list('out/test/unit').sort();
const mocha = new Mocha({ ui: 'tdd', reporter: 'spec', timeout: 20000, color: process.stdout.isTTY });
if (grep) mocha.grep(grep);
for (const f of files) mocha.addFile(f);

let passed = 0;
let failed = 0;
try {
  await mocha.loadFilesAsync();
} catch (err) {
  console.error(`unit: could not load the test files: ${err?.stack ?? err}`);
  failed++;
}
if (files.length === 0) {
  console.error('unit: no test files found under out/test/unit (did the build run?)');
  failed++;
}
const runner = mocha.run(() => {
  passed += runner.stats?.passes ?? 0;
  failed += runner.stats?.failures ?? 0;
  if (resultsFile) {
    mkdirSync(dirname(resultsFile), { recursive: true });
    writeFileSync(resultsFile, JSON.stringify({ suite: 'unit', passed, failed }));
  }
  process.exitCode = failed > 0 ? 1 : 0;
});
