/**
 * Where a write lands: harmless device files, the network (`/dev/tcp`), disks, dotfiles, or outside the
 * workspace. Without `workspaceRoots`, absolute paths outside /tmp and paths under `~` or `$HOME` count as
 * outside.
 */
import { posix } from 'node:path';
import { destructive, unsure, type ClassifyOptions, type Finding } from './types';
import type { Word } from './words';

const HARMLESS = /^\/dev\/(null|stdout|stderr|tty|fd\/\d+)$/;
const TEMP = /^\/(tmp|var\/tmp)(\/|$)/;

/** Device files that discard or print, and scratch space: a truncating write there loses nothing of value. */
export function isScratch(target: Word): boolean {
  return target.literal && (HARMLESS.test(target.text) || TEMP.test(target.text));
}

/** A finding when writing `target` is a problem by place alone; `undefined` for a plain workspace path. */
export function writeTargetRisk(target: Word, options: ClassifyOptions): Finding | undefined {
  const t = target.text;
  if (HARMLESS.test(t)) return undefined;
  if (/^\/dev\/(tcp|udp)\//.test(t)) return destructive(`sends data to the network through ${t}`);
  if (t.startsWith('/dev/')) return destructive(`writes to the device ${t}`);
  if (/^(~|\$HOME\b|\$\{HOME\})/.test(t)) return destructive(`writes to ${t} (outside the workspace)`);
  if (!target.literal) return unsure(`writes to a path known only at run time (${t})`);
  const cwd = options.cwd ?? options.workspaceRoots?.[0];
  const full = t.startsWith('/') ? posix.normalize(t) : cwd ? posix.resolve(cwd, t) : posix.normalize(t);
  // Dot segments count only inside the workspace (a workspace may itself live under a dot folder).
  let inWorkspace = full;
  if (full.startsWith('/')) {
    const roots = options.workspaceRoots ?? [];
    const root = roots.find((r) => full === r || full.startsWith(r.endsWith('/') ? r : `${r}/`));
    if (!TEMP.test(full) && !root) return destructive(`writes to ${t} (outside the workspace)`);
    inWorkspace = root ? full.slice(root.length) : full;
  } else if (full === '..' || full.startsWith('../')) {
    return destructive(`writes to ${t} (outside the workspace)`);
  }
  if (inWorkspace.split('/').some((seg) => seg.startsWith('.') && seg !== '.' && seg !== '..')) {
    return destructive(`writes to the dotfile ${t}`);
  }
  return undefined;
}

const SECRET = /(^|\/)(\.ssh\/|id_(rsa|ed25519|ecdsa|dsa)(\.pub)?$|\.aws\/credentials$|\.netrc$|\.pgpass$|\.npmrc$|\.pypirc$|\.docker\/config\.json$|\.kube\/config$|\.git-credentials$|\.gnupg\/|shadow$|\.env(\.(?!example$|sample$|template$)[\w.-]+)?$)/;

/** Files that hold keys or passwords: reading one puts it in the conversation, which leaves the machine. */
export function isSecretPath(text: string): boolean {
  return SECRET.test(text) || /^(~|\$HOME|\$\{HOME\})\/\.ssh(\/|$)/.test(text);
}
