// Runs test/integration inside a real VS Code extension host.
// - With VSCODE_EXECUTABLE (a desktop VS Code): @vscode/test-electron's runTests.
// - Otherwise: code-server 4.100.3 on 127.0.0.1 with a sandboxed HOME, the tests loaded through the workbench's
//   `payload` URL in headless Chromium, the exit code taken from codeAutomationExit, the server stopped by PID.
//
//   node scripts/run-integration.mjs [--results file.json]
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { format } from 'node:util';
import { startCodeServer } from './lib/codeServer.mjs';
import { launchBrowser } from './lib/browser.mjs';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const resultsArg = process.argv.indexOf('--results');
const resultsFile = resolve(resultsArg > 0 ? process.argv[resultsArg + 1] : '.test-results/integration.json');
const testsDir = join(root, 'out', 'test', 'integration');
// The workbench's own start-up chatter (and its failed marketplace lookup, offline) is not test output.
const WORKBENCH_NOISE = /^(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin|\[Service Worker\]|ChatSessionStore:|getaddrinfo ENOTFOUND open-vsx\.org|CodeExpectedError)/;
const TIMEOUT_MS = Number(process.env.SWITCHBOARD_INTEGRATION_TIMEOUT_MS ?? 300_000);

mkdirSync(dirname(resultsFile), { recursive: true });
rmSync(resultsFile, { force: true });

function finish(code, fallbackMessage) {
  if (!existsSync(resultsFile)) {
    // The tests never reported (the host crashed, the payload was ignored, a timeout): one failure, explained.
    console.error(`integration: ${fallbackMessage}`);
    writeFileSync(resultsFile, JSON.stringify({ suite: 'integration', passed: 0, failed: 1, error: fallbackMessage }));
  }
  const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
  process.exit(code !== 0 || r.failed > 0 ? 1 : 0);
}

if (!existsSync(join(testsDir, 'index.js'))) finish(1, `${testsDir}/index.js is missing: build the tests first (node esbuild.mjs --tests)`);

const runDir = join(root, '.cache', 'run', 'integration');
rmSync(runDir, { recursive: true, force: true });
const workspace = join(runDir, 'workspace');
cpSync(join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
const env = { SWITCHBOARD_TEST_RESULTS: resultsFile, SWITCHBOARD_REPO_ROOT: root };

if (process.env.VSCODE_EXECUTABLE) {
  const { runTests } = await import('@vscode/test-electron');
  Object.assign(process.env, env);
  let code = 1;
  try {
    code = await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE,
      extensionDevelopmentPath: root,
      extensionTestsPath: join(testsDir, 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${join(runDir, 'user-data')}`],
    });
  } catch (err) {
    console.error(`integration: ${err?.message ?? err}`);
  }
  finish(code, `VS Code at ${process.env.VSCODE_EXECUTABLE} exited with ${code} before reporting results`);
} else {
  let server;
  let browser;
  let code = 1;
  let why = 'the extension host never reported results';
  try {
    server = await startCodeServer({ root, runDir, workspace, env });
    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(root)],
      ['extensionTestsPath', remote(testsDir)],
    ]);
    const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;
    browser = await launchBrowser();
    const page = browser.pages()[0] ?? (await browser.newPage());
    const exit = new Promise((resolveExit) => {
      void page.exposeFunction('codeAutomationExit', (c) => resolveExit(Number(c)));
    });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      if (!process.env.SWITCHBOARD_DEBUG_LOG && WORKBENCH_NOISE.test(text)) return;
      (type === 'error' ? process.stderr : process.stdout).write(`${text}\n`);
    });
    await page.goto(url);
    const timeout = new Promise((r) => setTimeout(() => r('timeout'), TIMEOUT_MS));
    const outcome = await Promise.race([exit, timeout]);
    if (outcome === 'timeout') why = `no result within ${TIMEOUT_MS / 1000} s (see ${server.logFile})`;
    else {
      code = outcome;
      if (code !== 0) why = `the extension host exited with ${code} before reporting results`;
    }
  } catch (err) {
    why = err?.message ?? String(err);
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
  }
  finish(code, why);
}
