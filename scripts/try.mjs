// `npm run try`: installs what is missing, builds and packages the extension, and serves a real VS Code
// (code-server) in the browser with the VSIX installed and a sample workspace open. Ctrl+C stops it.
//
//   PORT=3210 npm run try
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { ensurePrerequisites } from './lib/prereqs.mjs';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const require = createRequire(import.meta.url);
const pkg = require(join(root, 'package.json'));

const step = (label, cmd, args) => {
  console.log(`\n=== ${label} ===`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    console.error(`try: ${label} failed (exit ${r.status})`);
    process.exit(1);
  }
};

if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) step('npm install', 'npm', ['install', '--no-audit', '--no-fund']);
// Chromium is only needed by the tests; a missing one does not stop a try-out.
const problems = ensurePrerequisites(root).filter((p) => !/Chromium|chromium/.test(p));
if (problems.length) {
  console.error(`try: cannot start:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
step('package', process.execPath, ['scripts/package.mjs']);

const { freePort, installVsix, startCodeServer } = await import('./lib/codeServer.mjs');
const runDir = join(root, '.cache', 'try');
const workspace = join(runDir, 'workspace');
// Keep the workspace (the user's edits) between runs; refresh the installed extension every time.
if (!existsSync(workspace)) cpSync(join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
rmSync(join(runDir, 'extensions'), { recursive: true, force: true });
mkdirSync(join(runDir, 'extensions'), { recursive: true });
installVsix(root, runDir, join(runDir, 'extensions'), join(root, '.cache', 'vsix', `${pkg.name}-${pkg.version}.vsix`));

let port = Number(process.env.PORT) || 3210;
if (!process.env.PORT) {
  // Prefer a stable port so a bookmarked URL keeps working; fall back to any free one.
  const probe = await import('node:net').then(({ createServer }) => new Promise((r) => {
    const s = createServer().once('error', () => r(false)).listen(port, '127.0.0.1', () => s.close(() => r(true)));
  }));
  if (!probe) port = await freePort();
}
// A demo model so the chat answers at once: the chain tries a local llama.cpp on :8080 first and falls back
// to the demo, which shows the fallback note when no local server runs.
const { startDemoServer } = await import('./lib/demoServer.mjs');
const demo = await startDemoServer();
const machineSettings = join(runDir, 'user-data', 'Machine', 'settings.json');
mkdirSync(dirname(machineSettings), { recursive: true });
let current = {};
try {
  current = existsSync(machineSettings) ? JSON.parse(readFileSync(machineSettings, 'utf8')) : {};
} catch {
  console.warn(`try: ${machineSettings} is not plain JSON; the demo model is not added to it`);
  current = null;
}
if (current) {
  const models = { local: { endpoint: 'http://127.0.0.1:8080', model: 'local' }, ...(current['switchboard.models'] ?? {}) };
  models.demo = { endpoint: demo.url, model: 'demo' };
  current['switchboard.models'] = models;
  current['switchboard.chains'] ??= { chat: ['local', 'demo'], summarize: ['local', 'demo'], probe: ['demo'] };
  writeFileSync(machineSettings, JSON.stringify(current, null, 2));
}
const server = await startCodeServer({ root, runDir, workspace, port });
const url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
console.log(`\nSwitchboard is running in VS Code at:\n\n  ${url}\n\nOpen it in a browser and click the Switchboard icon in the activity bar.\nA demo model answers at ${demo.url} (the chat chain tries a local server on :8080 first).\nCtrl+C stops everything.`);
const stop = async () => {
  await server.stop();
  await demo.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => {}, 1 << 30);
