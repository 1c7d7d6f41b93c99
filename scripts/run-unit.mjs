// Runs the unit suite: mocha (tdd UI) in plain Node over out/test/unit/**/*.test.js.
// Any runtime `require('vscode')` from a loaded file throws, so a pure layer that leaks an editor
// import fails the suite instead of passing by accident on a machine that happens to resolve it.
//
//   node scripts/run-unit.mjs [--results file.json] [--grep text] [extra test files...]
import Mocha from 'mocha';
import { createRequire } from 'node:module';
import { readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';

const require = createRequire(import.meta.url);
const Module = require('module');
const originalLoad = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'vscode') {
    throw new Error(`unit tests must not load 'vscode' at runtime (required from ${parent?.filename ?? 'unknown'})`);
  }
  return originalLoad.apply(this, arguments);
};

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
