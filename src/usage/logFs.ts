/** Small file-system steps of the usage log: error codes, opening for append, naming a backup. */
import { access, mkdir, open, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

/** The `code` of a Node error (`ENOENT`, ...), if it has one. */
export function errCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null ? ((err as { code?: unknown }).code as string | undefined) : undefined;
}

/** An error's message, or the thrown value as text. */
export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Opens `path` for appending (O_APPEND), creating its folder when missing. */
export async function openForAppend(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'a');
  } catch (err) {
    if (errCode(err) !== 'ENOENT') throw err;
    await mkdir(dirname(path), { recursive: true });
    return await open(path, 'a');
  }
}

/** A backup name beside `path` stamped with `time` ("usage.backup-2024-05-17T12-00-00-000Z.jsonl") that no file has yet. */
export async function freeBackupPath(path: string, time: number): Promise<string> {
  const ext = extname(path);
  const stem = join(dirname(path), basename(path, ext));
  // No colons: the name must be valid on Windows too.
  const stamp = new Date(time).toISOString().replace(/[:.]/g, '-');
  for (let n = 1; ; n++) {
    const candidate = `${stem}.backup-${stamp}${n > 1 ? `-${n}` : ''}${ext}`;
    try {
      await access(candidate);
    } catch {
      return candidate;
    }
  }
}
