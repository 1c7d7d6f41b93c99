// Starts code-server (a real VS Code with the Node extension host; 1.100 or 1.139, see CODE_SERVERS) on 127.0.0.1 with a sandboxed HOME,
// temp folder, user-data and extensions folders, and stops it with every child process it started.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { codeServerBin, codeServerEnv } from './prereqs.mjs';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Installs a VSIX into an extensions folder with code-server's own CLI. */
export function installVsix(root, runDir, extensionsDir, vsix, version) {
  const r = spawnSync(codeServerBin(root, version), ['--extensions-dir', extensionsDir, '--user-data-dir', join(runDir, 'user-data'), '--install-extension', vsix], {
    env: codeServerEnv(root, version, { ...process.env, HOME: join(runDir, 'home'), TMPDIR: join(runDir, 'tmp') }),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`installing ${vsix} failed (exit ${r.status}): ${r.stderr || r.stdout}`);
}

/**
 * @param {object} o
 * @param {string} o.root       the repository root
 * @param {string} o.runDir     a fresh folder for this server's HOME, TMPDIR, user data and extensions
 * @param {string} o.workspace  the folder to open
 * @param {object} [o.settings] user settings.json content
 * @param {number} [o.port]
 * @param {Record<string,string>} [o.env] extra environment for the server (and so its extension hosts)
 * @param {string} [o.version]  which installed code-server (see CODE_SERVERS); default the first
 * @param {object} [o.machineSettings] the remote machine's settings.json content (machine-scoped settings)
 * @param {string[]} [o.args]   extra command-line arguments
 */
export async function startCodeServer({ root, runDir, workspace, settings = {}, machineSettings, port, env = {}, version, args = [] }) {
  const dirs = { home: join(runDir, 'home'), tmp: join(runDir, 'tmp'), userData: join(runDir, 'user-data'), extensions: join(runDir, 'extensions') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  const settingsFile = join(dirs.userData, 'User', 'settings.json');
  const defaults = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'security.workspace.trust.enabled': false,
    'chat.disableAIFeatures': true,
    'git.openRepositoryInParentFolders': 'never',
  };
  writeFileSync(settingsFile, JSON.stringify({ ...defaults, ...settings }, null, 2));
  const machineSettingsFile = join(dirs.userData, 'Machine', 'settings.json');
  if (machineSettings) {
    mkdirSync(join(dirs.userData, 'Machine'), { recursive: true });
    writeFileSync(machineSettingsFile, JSON.stringify(machineSettings, null, 2));
  }
  port ??= await freePort();
  const logFile = join(runDir, 'code-server.log');
  const { openSync } = await import('node:fs');
  const out = openSync(logFile, 'a');
  const child = spawn(
    codeServerBin(root, version),
    ['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--disable-getting-started-override', '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, ...args, workspace],
    { env: codeServerEnv(root, version, { ...process.env, ...env, HOME: dirs.home, TMPDIR: dirs.tmp }), stdio: ['ignore', out, out], detached: true },
  );
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  child.on('error', (err) => { exited = { error: err.message }; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`code-server exited before it was ready (${JSON.stringify(exited)}):\n${tail(logFile)}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stopGroup(child.pid);
      throw new Error(`code-server did not answer /healthz within 60 s:\n${tail(logFile)}`);
    }
    await sleep(150);
  }
  return {
    url,
    port,
    pid: child.pid,
    dirs,
    settingsFile,
    // Machine-scoped settings (Switchboard's models and chains) live here in a remote window such as code-server's.
    machineSettingsFile,
    logFile,
    /** Stops the server and every process it started (extension hosts, watchers, pty hosts). */
    async stop() {
      stopGroup(child.pid);
      const until = Date.now() + 5000;
      while (!exited && Date.now() < until) await sleep(50);
      if (!exited) stopGroup(child.pid, 'SIGKILL');
    },
  };
}

function stopGroup(pid, signal = 'SIGTERM') {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function tail(file, lines = 40) {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)';
}
