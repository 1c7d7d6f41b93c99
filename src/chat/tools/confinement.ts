// Pure (Node's path only): where a path the model names really is, and whether the tools may touch it. A path
// must stay inside a workspace folder lexically (no `..` out, no absolute path elsewhere) and physically
// (symlinks resolved: the file's own realpath, or its nearest existing parent's for a file still to be
// created), and never reach into `.git/` or a file the user excluded.
import * as nodePath from 'node:path';
import type { ToolFileSystem, WorkspacePath } from './types';

/** Options of resolveInWorkspace. */
export interface ResolveOptions {
  /** The path is about to be written: a folder is refused. */
  forWrite?: boolean;
  /** True for a path (relative to its folder, `/` separators) to refuse, e.g. from `files.exclude`. */
  exclude?: (relative: string, root: string) => boolean;
}

export type Resolved = { ok: true; path: WorkspacePath } | { ok: false; error: string };

const IS_WINDOWS = process.platform === 'win32';
const path = IS_WINDOWS ? nodePath.win32 : nodePath.posix;

/**
 * Resolves a path the model sent into the workspace: relative paths against the first folder (or, with several
 * folders, the one whose name is the first segment), absolute paths only inside a folder. Never throws: every
 * refusal is an error message saying what to send instead.
 */
export async function resolveInWorkspace(input: string, roots: string[], fs: ToolFileSystem, opts: ResolveOptions = {}): Promise<Resolved> {
  try {
    return await resolve(input, roots, fs, opts);
  } catch (e) {
    return { ok: false, error: `could not resolve "${input}": ${(e as Error).message}` };
  }
}

async function resolve(input: string, roots: string[], fs: ToolFileSystem, opts: ResolveOptions): Promise<Resolved> {
  if (roots.length === 0) return { ok: false, error: 'no workspace folder is open, so no file can be read or written' };
  if (typeof input !== 'string' || input.trim() === '') return { ok: false, error: 'the path is empty: send a path relative to the workspace folder, e.g. "src/index.ts"' };
  if (input.includes('\0')) return { ok: false, error: 'the path contains a NUL character' };
  // Models trained on Windows transcripts send `src\a.ts`; on POSIX a backslash in a name is almost never meant.
  const cleaned = IS_WINDOWS ? input : input.replace(/\\/g, '/');
  const lexRoots = roots.map((r) => path.resolve(r));

  let candidate: string;
  if (isAbsolute(cleaned)) {
    if (!IS_WINDOWS && /^[A-Za-z]:\//.test(cleaned)) return outside(input, lexRoots);
    candidate = path.resolve(cleaned);
    if (!lexRoots.some((r) => isInside(candidate, r))) return outside(input, lexRoots);
  } else {
    const rel = cleaned.replace(/^(\.\/)+/, '');
    const first = rel.split('/')[0];
    const named = lexRoots.length > 1 ? lexRoots.find((r) => path.basename(r) === first) : undefined;
    const base = named ?? lexRoots[0];
    candidate = path.resolve(base, named ? rel.slice(first.length + 1) : rel);
    if (!isInside(candidate, base)) {
      return { ok: false, error: `"${input}" leads out of the workspace folder with "..": only files inside ${describeRoots(lexRoots)} can be used` };
    }
  }

  // The lexical root decides the `.git` and exclude checks on the path as written, before symlinks are followed.
  const lexRoot = longestRoot(candidate, lexRoots);
  const lexCheck = checkRelative(input, toRelative(candidate, lexRoot), lexRoot, opts);
  if (lexCheck) return { ok: false, error: lexCheck };

  const real = await realpathOrNearest(candidate, fs);
  if (real.danglingLink) {
    return { ok: false, error: `"${input}" is (or passes through) a symbolic link whose target does not exist: refused, since writing through it could land anywhere` };
  }
  const realRoots = await Promise.all(lexRoots.map(async (r) => fs.realpath(r).catch(() => r)));
  const index = longestRootIndex(real.path, realRoots);
  if (index < 0) {
    return { ok: false, error: `"${input}" is a symbolic link (or inside one) that points out of the workspace, to ${real.path}: refused` };
  }
  const root = lexRoots[index];
  const relative = toRelative(real.path, realRoots[index]);
  const realCheck = checkRelative(input, relative, root, opts);
  if (realCheck) return { ok: false, error: realCheck };

  if (opts.forWrite && real.exists) {
    const st = await fs.stat(real.path);
    if (st.isDirectory) return { ok: false, error: `"${input}" is a folder: send the path of a file` };
  }
  const shown = lexRoots.length > 1 ? (relative === '' ? path.basename(root) : `${path.basename(root)}/${relative}`) : relative;
  return { ok: true, path: { absolute: real.path, relative: shown, root } };
}

/** Whether `child` is `parent` or inside it (lexically, same platform rules as the paths). */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** A path relative to its root with `/` separators ("" for the root itself). */
export function toRelative(absolute: string, root: string): string {
  return path.relative(root, absolute).split(path.sep).join('/');
}

/** Whether a relative path enters a `.git` folder (any case: case-insensitive disks see `.GIT` as the same). */
export function isInGitFolder(relative: string): boolean {
  return relative.split('/').some((s) => s.toLowerCase() === '.git');
}

/** Whether a relative path, or one of its parent folders, is excluded. */
export function isExcluded(relative: string, root: string, exclude: ResolveOptions['exclude']): boolean {
  if (!exclude || relative === '') return false;
  const parts = relative.split('/');
  for (let i = 1; i <= parts.length; i++) if (exclude(parts.slice(0, i).join('/'), root)) return true;
  return false;
}

function checkRelative(input: string, relative: string, root: string, opts: ResolveOptions): string | undefined {
  if (isInGitFolder(relative)) return `"${input}" is inside .git, which the tools never touch: use git through run_command instead`;
  if (isExcluded(relative, root, opts.exclude)) return `"${input}" is excluded by the user's files.exclude setting, so the tools skip it`;
  return undefined;
}

function isAbsolute(p: string): boolean {
  return path.isAbsolute(p) || /^[A-Za-z]:[\\/]/.test(p);
}

function outside(input: string, roots: string[]): Resolved {
  return { ok: false, error: `"${input}" is outside the workspace: send a path inside ${describeRoots(roots)}, preferably relative to it` };
}

function describeRoots(roots: string[]): string {
  return roots.length === 1 ? `the workspace folder (${roots[0]})` : `one of the workspace folders (${roots.join(', ')})`;
}

function longestRootIndex(p: string, roots: string[]): number {
  let best = -1;
  roots.forEach((r, i) => {
    if (isInside(p, r) && (best < 0 || r.length > roots[best].length)) best = i;
  });
  return best;
}

function longestRoot(p: string, roots: string[]): string {
  return roots[longestRootIndex(p, roots)] ?? roots[0];
}

/** The realpath of `p`, or of its nearest existing parent joined with the parts that do not exist yet. */
async function realpathOrNearest(p: string, fs: ToolFileSystem): Promise<{ path: string; exists: boolean; danglingLink: boolean }> {
  const missing: string[] = [];
  let current = p;
  for (;;) {
    let real: string | undefined;
    try {
      real = await fs.realpath(current);
    } catch {
      real = undefined;
    }
    if (real !== undefined) {
      if (missing.length === 0) return { path: real, exists: true, danglingLink: false };
      missing.reverse();
      // realpath fails on a link to nowhere as on a missing file; the folder listing tells them apart.
      const entries = await fs.readDirectory(real).catch(() => []);
      const danglingLink = entries.some((e) => e.name === missing[0] && e.type === 'symlink');
      return { path: path.join(real, ...missing), exists: false, danglingLink };
    }
    const parent = path.dirname(current);
    if (parent === current) return { path: p, exists: false, danglingLink: false };
    missing.push(path.basename(current));
    current = parent;
  }
}
