// Runs the UI tests (test/e2e) with mocha in Node, driving Debian's Chromium (playwright-core) against a real
// code-server workbench that has the packaged VSIX installed and the sample workspace open.
//
// It runs once per supported VS Code (every code-server in CODE_SERVERS: the oldest and the newest), each
// test's title naming the one it ran on.
//
//   node scripts/run-e2e.mjs [--results file.json] [--vsix file.vsix] [--code-server 4.139.1] [--grep text]
import Mocha from 'mocha';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { installVsix, startCodeServer } from './lib/codeServer.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { CODE_SERVERS } from './lib/prereqs.mjs';

const require = createRequire(import.meta.url);
const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const pkg = require(join(root, 'package.json'));
const arg = (name, fallback) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const resultsFile = resolve(arg('--results', '.test-results/e2e.json'));
const vsix = resolve(arg('--vsix', join(root, '.cache', 'vsix', `${pkg.name}-${pkg.version}.vsix`)));
const screenshotDir = join(root, '.test-results', 'screenshots');

mkdirSync(dirname(resultsFile), { recursive: true });
mkdirSync(screenshotDir, { recursive: true });
const report = (passed, failed, error) => {
  writeFileSync(resultsFile, JSON.stringify({ suite: 'e2e', passed, failed, ...(error ? { error } : {}) }));
  process.exitCode = failed > 0 ? 1 : 0;
};

const list = (dir) => (existsSync(dir) ? readdirSync(dir) : []).flatMap((n) => {
  const p = join(dir, n);
  return statSync(p).isDirectory() ? list(p) : p.endsWith('.test.js') ? [p] : [];
});

/** Runs every UI test file against one code-server; resolves to mocha's stats. */
async function runOn(target, files) {
  const runDir = join(root, '.cache', 'run', `e2e-${target.version}`);
  let server;
  let browser;
  try {
    rmSync(runDir, { recursive: true, force: true });
    const workspace = join(runDir, 'workspace');
    cpSync(join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
    mkdirSync(join(runDir, 'extensions'), { recursive: true });
    installVsix(root, runDir, join(runDir, 'extensions'), vsix, target.version);
    server = await startCodeServer({ root, runDir, workspace, version: target.version });
    browser = await launchBrowser();
    const ctx = {
      workbenchUrl: `${server.url}/?folder=${encodeURIComponent(workspace)}`,
      browser,
      screenshotDir,
      settingsFile: server.settingsFile,
      machineSettingsFile: server.machineSettingsFile,
      userDataDir: server.dirs.userData,
      vscodeVersion: target.vscode,
      page: undefined,
    };
    globalThis.switchboardE2E = ctx;

    const mocha = new Mocha({
      ui: 'tdd',
      reporter: 'spec',
      timeout: 90_000,
      color: process.stdout.isTTY,
      rootHooks: {
        async afterEach() {
          const t = this.currentTest;
          if (t?.state === 'failed' && ctx.page && !ctx.page.isClosed()) {
            const name = t.fullTitle().replace(/[^a-z0-9]+/gi, '-').slice(0, 120);
            const path = join(screenshotDir, `FAILED-${name}.png`);
            await ctx.page.screenshot({ path }).then(() => console.error(`    screenshot: ${path}`), () => {});
          }
        },
      },
    });
    const grep = arg('--grep');
    if (grep) mocha.grep(grep);
    for (const f of files) mocha.addFile(f);
    await mocha.loadFilesAsync();
    // Every test's full title says which VS Code it ran on.
    for (const suite of mocha.suite.suites) suite.title = `VS Code ${target.vscode}: ${suite.title}`;
    const stats = await new Promise((r) => {
      const runner = mocha.run(() => r(runner.stats));
    });
    // The same files load again for the next VS Code.
    mocha.unloadFiles();
    return { passes: stats.passes, failures: stats.failures };
  } catch (err) {
    console.error(`e2e on VS Code ${target.vscode}: ${err?.stack ?? err}`);
    return { passes: 0, failures: 1, error: `VS Code ${target.vscode}: ${err?.message ?? String(err)}` };
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
  }
}

try {
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package first`);
  const files = list(join(root, 'out', 'test', 'e2e')).sort();
  if (files.length === 0) throw new Error('no UI test files under out/test/e2e (did the build run?)');
  const only = arg('--code-server');
  const targets = CODE_SERVERS.filter((c) => !only || c.version === only || c.vscode === only);
  if (targets.length === 0) throw new Error(`no code-server ${only} (known: ${CODE_SERVERS.map((c) => c.version).join(', ')})`);
  let passed = 0;
  let failed = 0;
  const errors = [];
  for (const target of targets) {
    console.log(`\n--- UI tests on code-server ${target.version} (VS Code ${target.vscode}) ---`);
    const r = await runOn(target, files);
    passed += r.passes;
    failed += r.failures;
    if (r.error) errors.push(r.error);
  }
  report(passed, failed, errors.join('; ') || undefined);
} catch (err) {
  console.error(`e2e: ${err?.stack ?? err}`);
  report(0, 1, err?.message ?? String(err));
}
