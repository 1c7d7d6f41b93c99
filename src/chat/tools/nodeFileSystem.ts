// Node: the ToolFileSystem over the real disk, for tests and for when no editor is around (the extension may
// wrap it to see unsaved editor contents).
import { promises as fsp } from 'node:fs';
import type { ToolFileSystem } from './types';

/** Real files through node:fs. */
export const nodeFileSystem: ToolFileSystem = {
  realpath: (path) => fsp.realpath(path),
  readFile: (path) => fsp.readFile(path),
  async stat(path) {
    const s = await fsp.stat(path);
    return { isFile: s.isFile(), isDirectory: s.isDirectory(), size: s.size };
  },
  async readDirectory(path) {
    const entries = await fsp.readdir(path, { withFileTypes: true });
    return entries.map((e) => ({
      name: e.name,
      type: e.isSymbolicLink() ? 'symlink' : e.isDirectory() ? 'directory' : e.isFile() ? 'file' : 'other',
    }));
  },
};
