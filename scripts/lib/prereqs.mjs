// Installs, idempotently, what the suites need beyond npm dependencies: Debian packages (Chromium, ripgrep,
// the Kerberos headers code-server's native module builds against; tinyproxy and openssl, which the network
// tests run for real) and code-server 4.100.3 (VS Code 1.100.3 with the normal Node extension host) in an
// ignored cache folder.
// Returns problems instead of throwing, so the test runner can report each one as a failing test.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
export const CHROMIUM = process.env.SWITCHBOARD_CHROMIUM || '/usr/bin/chromium';
const DEBIAN_PACKAGES = ['libkrb5-dev', 'ripgrep', 'chromium', 'tinyproxy', 'openssl'];
/** What the unit suite needs: a real proxy and a real openssl for the network tests. */
const UNIT_DEBIAN_PACKAGES = ['tinyproxy', 'openssl'];
// @vscode/ripgrep downloads rg from GitHub at install time; it accepts a pre-seeded cache instead.
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export function codeServerDir(root) {
  return join(root, '.cache', 'code-server');
}

export function codeServerBin(root) {
  return join(codeServerDir(root), 'node_modules', '.bin', 'code-server');
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

function ensureCodeServer(root, log) {
  const dir = codeServerDir(root);
  const marker = join(dir, 'installed.json');
  if (existsSync(marker) && existsSync(codeServerBin(root))) {
    try {
      if (JSON.parse(readFileSync(marker, 'utf8')).version === CODE_SERVER_VERSION) return [];
    } catch {
      // A torn marker: reinstall below.
    }
  }
  if (!existsSync('/usr/bin/rg')) return ['code-server cannot be installed: /usr/bin/rg (Debian package ripgrep) is missing'];
  log(`prereqs: installing code-server ${CODE_SERVER_VERSION} into ${dir} (about a minute)`);
  rmSync(dir, { recursive: true, force: true });
  const tmp = join(dir, 'tmp');
  mkdirSync(join(tmp, 'rg'), { recursive: true });
  mkdirSync(join(tmp, RIPGREP_CACHE, '..'), { recursive: true });
  copyFileSync('/usr/bin/rg', join(tmp, 'rg', 'rg'));
  execFileSync('tar', ['czf', join(tmp, RIPGREP_CACHE), '-C', join(tmp, 'rg'), 'rg']);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'switchboard-code-server', private: true }));
  const env = {
    ...process.env,
    TMPDIR: tmp,
    npm_config_unsafe_perm: 'true', // its postinstall refuses to run as root otherwise
    npm_config_nodedir: '/usr', // node-gyp builds against the local Node headers, no download
    npm_config_yes: 'true', // node-pty's postinstall runs npx node-gyp, which must not prompt
    npm_config_dangerously_allow_all_scripts: 'true', // npm 11 blocks dependency install scripts by default
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--no-save', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], { cwd: dir, env, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(codeServerBin(root))) {
    return [`code-server ${CODE_SERVER_VERSION} could not be installed (npm exit ${r.status}); see the output above`];
  }
  const version = spawnSync(codeServerBin(root), ['--version'], { env: { ...process.env, HOME: tmp }, encoding: 'utf8' });
  // It prints an info line about its config file first, then `<version> <commit> with Code <vscode version>`.
  const line = version.stdout.split('\n').find((l) => l.startsWith(`${CODE_SERVER_VERSION} `));
  if (version.status !== 0 || !line) {
    return [`code-server installed but does not start: ${version.stderr || version.stdout}`];
  }
  writeFileSync(marker, JSON.stringify({ version: CODE_SERVER_VERSION, about: line }));
  return [];
}

/** Installs what the unit suite needs (Debian's tinyproxy and openssl); returns problems, like ensurePrerequisites. */
export function ensureUnitPrerequisites(log = console.log) {
  return ensureDebian(log, UNIT_DEBIAN_PACKAGES);
}

/** Installs what is missing; returns a list of human-readable problems (empty when everything is ready). */
export function ensurePrerequisites(root, log = console.log) {
  const problems = ensureDebian(log);
  if (!existsSync(CHROMIUM)) problems.push(`Chromium not found at ${CHROMIUM} (Debian package chromium, or set SWITCHBOARD_CHROMIUM)`);
  problems.push(...ensureCodeServer(root, log));
  return problems;
}
