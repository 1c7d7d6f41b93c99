// Node: finding a literal text in the workspace's files, with ripgrep when the extension has one (fast on big
// trees) and a plain scan otherwise. Both see the same files (no ignore files, hidden files included, no
// symlinks followed, `.git`, excluded and big or binary files skipped) and return matches in the same order,
// so the model gets the same answer either way.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { isExcluded, isInGitFolder } from './confinement';
import { matchGlob } from './glob';
import { decodeUtf8, looksBinary } from './text';
import type { ToolContext } from './types';
import { comparePaths, walkFiles } from './walk';
import * as nodePath from 'node:path';

/** Files larger than this are not searched (generated bundles, logs, data). */
export const MAX_SEARCH_FILE_BYTES = 4 * 1024 * 1024;
/** The most matches collected; the output cap usually cuts sooner. */
export const MAX_MATCHES = 2000;
const MAX_LINE_CHARS = 300;

/** One matching line. */
export interface TextMatch { rootIndex: number; relative: string; shown: string; line: number; text: string }

/** Matches of `query` (literal, ignoring case) in files matching `glob`; `limited` when MAX_MATCHES cut them. */
export async function findText(query: string, glob: string | undefined, ctx: ToolContext): Promise<{ matches: TextMatch[]; limited: boolean; note?: string }> {
  const rg = ctx.rgPath ? await searchWithRipgrep(ctx.rgPath, query, glob, ctx) : undefined;
  const found = rg ?? (await searchByScan(query, glob, ctx));
  found.matches.sort((a, b) => comparePaths(a, b) || a.line - b.line);
  return found;
}

function accepts(relative: string, rootIndex: number, glob: string | undefined, ctx: ToolContext): boolean {
  if (isInGitFolder(relative) || isExcluded(relative, ctx.roots[rootIndex], ctx.exclude)) return false;
  if (glob === undefined) return true;
  const shown = ctx.roots.length > 1 ? `${nodePath.basename(ctx.roots[rootIndex])}/${relative}` : relative;
  return matchGlob(glob, relative) || matchGlob(glob, shown);
}

function clip(text: string): string {
  const line = text.replace(/\r?\n$/, '');
  return line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line;
}

async function searchByScan(query: string, glob: string | undefined, ctx: ToolContext): Promise<{ matches: TextMatch[]; limited: boolean; note?: string }> {
  const needle = query.toLowerCase();
  const matches: TextMatch[] = [];
  let limited = false;
  const walk = await walkFiles(ctx, async (file) => {
    if (!accepts(file.relative, file.rootIndex, glob, ctx)) return;
    const st = await ctx.fs.stat(file.absolute).catch(() => undefined);
    if (!st || !st.isFile || st.size > MAX_SEARCH_FILE_BYTES) return;
    const bytes = await ctx.fs.readFile(file.absolute).catch(() => undefined);
    if (!bytes || looksBinary(bytes)) return;
    const lines = decodeUtf8(bytes).split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].toLowerCase().includes(needle)) continue;
      if (matches.length >= MAX_MATCHES) {
        limited = true;
        return false;
      }
      matches.push({ rootIndex: file.rootIndex, relative: file.relative, shown: file.shown, line: i + 1, text: clip(lines[i]) });
    }
  });
  return { matches, limited, note: walk.stopped || undefined };
}

/** Ripgrep per folder; undefined when the binary cannot be started, so the caller scans instead. */
async function searchWithRipgrep(rgPath: string, query: string, glob: string | undefined, ctx: ToolContext): Promise<{ matches: TextMatch[]; limited: boolean; note?: string } | undefined> {
  const matches: TextMatch[] = [];
  let limited = false;
  for (let rootIndex = 0; rootIndex < ctx.roots.length && !limited; rootIndex++) {
    const root = ctx.roots[rootIndex];
    const prefix = ctx.roots.length > 1 ? `${nodePath.basename(root)}/` : '';
    const args = ['--json', '--fixed-strings', '--ignore-case', '--no-config', '--no-ignore', '--hidden', '--sort', 'path',
      '--max-filesize', String(MAX_SEARCH_FILE_BYTES), '--glob', '!.git', '--regexp', query, '--', '.'];
    const started = await new Promise<boolean>((resolve) => {
      const child = spawn(rgPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
      const stopOnAbort = () => child.kill();
      ctx.signal?.addEventListener('abort', stopOnAbort, { once: true });
      child.once('error', () => resolve(false));
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (raw) => {
        if (limited) return;
        const m = parseMatch(raw);
        if (!m || !accepts(m.relative, rootIndex, glob, ctx)) return;
        if (matches.length >= MAX_MATCHES) {
          limited = true;
          child.kill();
          return;
        }
        matches.push({ rootIndex, relative: m.relative, shown: prefix + m.relative, line: m.line, text: clip(m.text) });
      });
      child.once('close', () => {
        ctx.signal?.removeEventListener('abort', stopOnAbort);
        resolve(true);
      });
    });
    if (!started) return undefined;
  }
  return { matches, limited, note: ctx.signal?.aborted ? 'stopped by the user' : undefined };
}

function parseMatch(raw: string): { relative: string; line: number; text: string } | undefined {
  let event: { type?: string; data?: { path?: { text?: string; bytes?: string }; lines?: { text?: string; bytes?: string }; line_number?: number } };
  try {
    event = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (event.type !== 'match' || !event.data) return undefined;
  const path = textOf(event.data.path);
  if (path === undefined || typeof event.data.line_number !== 'number') return undefined;
  return { relative: path.replace(/\\/g, '/').replace(/^\.\//, ''), line: event.data.line_number, text: textOf(event.data.lines) ?? '' };
}

/** ripgrep sends names and lines that are not valid UTF-8 as base64 `bytes`. */
function textOf(field: { text?: string; bytes?: string } | undefined): string | undefined {
  if (!field) return undefined;
  if (typeof field.text === 'string') return field.text;
  return typeof field.bytes === 'string' ? Buffer.from(field.bytes, 'base64').toString('utf8') : undefined;
}
