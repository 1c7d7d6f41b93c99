// Pure (over ToolFileSystem): the workspace's files in a stable order (folders in order, names sorted by code
// unit, depth first: the order ripgrep's --sort path gives), skipping `.git`, excluded paths and symlinks
// (a link may lead out of the workspace or into a loop, so the walk never follows one).
import * as nodePath from 'node:path';
import { isExcluded, isInGitFolder } from './confinement';
import type { ToolContext } from './types';

/** The most entries one walk looks at, so a huge tree (a node_modules) cannot hold a call for minutes. */
export const MAX_WALK_ENTRIES = 200_000;

/** One file found by the walk. */
export interface WalkedFile {
  absolute: string;
  /** Relative to its folder, `/` separators. */
  relative: string;
  /** As the model sees it: prefixed by the folder's name when there are several folders. */
  shown: string;
  root: string;
  rootIndex: number;
}

/** Walks every folder's files; `stopped` says why the walk ended early (entry cap, abort), if it did. */
export async function walkFiles(ctx: ToolContext, visit: (file: WalkedFile) => Promise<boolean | void> | boolean | void): Promise<{ stopped?: string }> {
  let seen = 0;
  let stopped: string | undefined;
  const walkDir = async (root: string, rootIndex: number, prefix: string, dir: string): Promise<void> => {
    const entries = await ctx.fs.readDirectory(dir === '' ? root : nodePath.join(root, ...dir.split('/'))).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (stopped !== undefined) return;
      if (ctx.signal?.aborted) stopped = 'stopped by the user';
      else if (++seen > MAX_WALK_ENTRIES) stopped = `the walk stopped after ${MAX_WALK_ENTRIES} entries`;
      if (stopped !== undefined) return;
      const relative = dir === '' ? e.name : `${dir}/${e.name}`;
      if (isInGitFolder(relative) || isExcluded(relative, root, ctx.exclude)) continue;
      if (e.type === 'directory') {
        await walkDir(root, rootIndex, prefix, relative);
      } else if (e.type === 'file') {
        const file = { absolute: nodePath.join(root, ...relative.split('/')), relative, shown: prefix + relative, root, rootIndex };
        if ((await visit(file)) === false) stopped = '';
      }
    }
  };
  for (let i = 0; i < ctx.roots.length && stopped === undefined; i++) {
    await walkDir(ctx.roots[i], i, ctx.roots.length > 1 ? `${nodePath.basename(ctx.roots[i])}/` : '', '');
  }
  return stopped ? { stopped } : {};
}

/** Orders shown paths as the walk does: by folder, then component by component. */
export function comparePaths(a: { rootIndex: number; relative: string }, b: { rootIndex: number; relative: string }): number {
  if (a.rootIndex !== b.rootIndex) return a.rootIndex - b.rootIndex;
  const pa = a.relative.split('/');
  const pb = b.relative.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return pa.length - pb.length;
}
