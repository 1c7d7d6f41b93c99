// `npm test`: installs the prerequisites, builds, packages, then runs the three suites (unit, integration in a
// real VS Code extension host, UI in a real browser) and ends with one line `N passed, N failed`.
// A prerequisite that cannot be installed is a failing test with its reason, never a silent skip.
//
//   node scripts/test.mjs [unit|integration|e2e ...]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { codeServerVersions, ensurePrerequisites, ensureUnitPrerequisites } from './lib/prereqs.mjs';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const ALL = ['unit', 'integration', 'e2e'];
const asked = process.argv.slice(2).filter((a) => ALL.includes(a));
const suites = asked.length ? asked : ALL;
const resultsDir = join(root, '.test-results');
mkdirSync(resultsDir, { recursive: true });

const totals = { passed: 0, failed: 0 };
const lines = [];
const fail = (what, why) => {
  totals.failed++;
  lines.push(`FAILED ${what}: ${why}`);
  console.error(`\n✘ ${what}: ${why}\n`);
};
const node = (args, label) => {
  console.log(`\n=== ${label} ===`);
  return spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root }).status;
};
const started = Date.now();

let prereqProblems = [];
if (suites.some((s) => s !== 'unit')) {
  prereqProblems = ensurePrerequisites(root, console.log, codeServerVersions(suites));
  for (const p of prereqProblems) fail('prerequisite', p);
} else {
  // The unit suite runs a real tinyproxy and openssl; a missing one fails its tests with the reason too.
  for (const p of ensureUnitPrerequisites()) fail('prerequisite', p);
}

const buildOk = node(['esbuild.mjs', '--tests'], 'build') === 0;
if (!buildOk) fail('build', 'esbuild failed (see above)');
const typesOk = node([join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', '.'], 'type check (extension, tests)') === 0
  && node([join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'webview'], 'type check (webview)') === 0;
if (!typesOk) fail('type check', 'tsc --noEmit reported errors (see above)');
// The linter guards the layers (runtime `vscode` imports only in the glue) and refuses import cycles.
console.log('\n=== lint ===');
const lintOk = spawnSync(process.execPath, [join(root, 'node_modules/eslint/bin/eslint.js'), '--max-warnings', '0', 'src', 'test', 'webview', 'bench'], { stdio: 'inherit', cwd: root }).status === 0;
if (lintOk) {
  totals.passed++;
  lines.push('lint: 1 passed, 0 failed');
} else fail('lint', 'eslint reported problems (see above)');
const packageOk = !suites.includes('e2e') || node(['scripts/package.mjs'], 'package (VSIX)') === 0;
if (!packageOk) fail('package', 'npm run package failed (see above)');
// package.mjs leaves production bundles in dist/; the integration suite runs the development build.
if (packageOk && suites.includes('e2e') && node(['esbuild.mjs'], 'rebuild (development bundles)') !== 0) fail('build', 'esbuild failed');

const runners = { unit: 'scripts/run-unit.mjs', integration: 'scripts/run-integration.mjs', e2e: 'scripts/run-e2e.mjs' };
for (const suite of suites) {
  if (!buildOk) break;
  if (suite !== 'unit' && prereqProblems.length) {
    fail(`${suite} suite`, 'not run: a prerequisite is missing (see above)');
    continue;
  }
  if (suite === 'e2e' && !packageOk) {
    fail('e2e suite', 'not run: the VSIX could not be built');
    continue;
  }
  const results = join(resultsDir, `${suite}.json`);
  rmSync(results, { force: true });
  const status = node([runners[suite], '--results', results], `${suite} tests`);
  if (!existsSync(results)) {
    fail(`${suite} suite`, `the runner exited with ${status} without reporting results`);
    continue;
  }
  const r = JSON.parse(readFileSync(results, 'utf8'));
  totals.passed += r.passed;
  totals.failed += r.failed;
  lines.push(`${suite}: ${r.passed} passed, ${r.failed} failed${r.error ? ` (${r.error})` : ''}`);
  if (status !== 0 && r.failed === 0) fail(`${suite} suite`, `the runner exited with ${status}`);
}

console.log(`\n=== summary (${((Date.now() - started) / 1000).toFixed(0)} s) ===`);
for (const l of lines) console.log(l);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
