// Real folders in the system's temporary directory for the tool tests: files written from a map, removed after.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { nodeFileSystem } from '../../../src/chat/tools/nodeFileSystem';
import type { ToolContext } from '../../../src/chat/tools/types';

/** A fresh folder (realpath'd, so comparisons hold where the temp dir is a link) holding `files`. */
export function makeFolder(files: Record<string, string | Uint8Array> = {}, name = 'ws'): string {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'switchboard-tools-')));
  const root = join(base, name);
  mkdirSync(root);
  writeFiles(root, files);
  return root;
}

/** Writes files (relative paths with `/`) under `root`, creating folders. */
export function writeFiles(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, ...rel.split('/'));
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}

/** Removes a folder made by makeFolder (its temporary parent too). */
export function removeFolder(root: string): void {
  rmSync(dirname(root), { recursive: true, force: true });
}

/** A tool context over real files. */
export function contextFor(roots: string[], extra: Partial<ToolContext> = {}): ToolContext {
  return { roots, fs: nodeFileSystem, ...extra };
}
