// Confinement of a path from model output to the workspace folders (pure Node, unit tested).
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/**
 * The real path of the regular file `path` names inside one of `folders` (relative paths are tried against
 * each folder in turn), or undefined: outside every folder, through a link that leads out, missing, or not
 * a regular file.
 */
export async function resolveWorkspaceFile(folders: readonly string[], path: string): Promise<string | undefined> {
  if (!path || path.includes('\0')) return undefined;
  for (const folder of folders) {
    const candidate = isAbsolute(path) ? resolve(path) : resolve(folder, path);
    if (!inside(folder, candidate)) continue;
    try {
      const [realFolder, realFile] = await Promise.all([realpath(folder), realpath(candidate)]);
      if (!inside(realFolder, realFile)) continue;
      if ((await stat(realFile)).isFile()) return realFile;
    } catch {
      // missing or unreadable: try the next folder
    }
  }
  return undefined;
}
