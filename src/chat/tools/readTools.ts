// Pure (over ToolFileSystem, plus ripgrep when given): the three read-only tools. Each answers text for the
// model, capped at OUTPUT_CAP_BYTES with a note that says what was cut and how to ask for the rest; failures
// are messages the model can act on, never throws.
import { resolveInWorkspace } from './confinement';
import { matchGlob } from './glob';
import { decodeUtf8, looksBinary, plural, utf8Head, utf8Length } from './text';
import { findText } from './textSearch';
import { OUTPUT_CAP_BYTES, type ToolArgs, type ToolContext, type ToolResult } from './types';
import { walkFiles } from './walk';

/** Files larger than this are not read at all (even in parts): they are data, not source. */
export const MAX_READ_FILE_BYTES = 16 * 1024 * 1024;
/** Room kept under the cap for the note that says what was cut. */
const NOTE_ROOM = 400;

type Args<T extends ToolArgs['tool']> = Omit<Extract<ToolArgs, { tool: T }>, 'tool'>;

/** read_file: the file's lines (all, or startLine..endLine) with their numbers. */
export async function readFileTool(args: Args<'read_file'>, ctx: ToolContext): Promise<ToolResult> {
  return guard(async () => {
    const where = await resolveInWorkspace(args.path, ctx.roots, ctx.fs, { exclude: ctx.exclude });
    if (!where.ok) return where;
    const shown = where.path.relative;
    const st = await ctx.fs.stat(where.path.absolute).catch(() => undefined);
    if (!st) return { ok: false, error: `"${shown}" does not exist: use list_files to find the right path` };
    if (st.isDirectory) return { ok: false, error: `"${shown}" is a folder: use list_files with the glob "${shown ? `${shown}/` : ''}**" to see its files` };
    if (!st.isFile) return { ok: false, error: `"${shown}" is not a regular file` };
    if (st.size > MAX_READ_FILE_BYTES) return { ok: false, error: `"${shown}" is ${mb(st.size)}, too large to read: use search_text to find the part you need` };
    const bytes = await ctx.fs.readFile(where.path.absolute);
    if (looksBinary(bytes)) return { ok: false, error: `"${shown}" is a binary file (${plural(bytes.length, 'byte')}): only text files can be read` };
    const lines = splitLines(decodeUtf8(bytes));
    if (lines.length === 0) return { ok: true, output: `${shown} is empty`, truncated: false };
    const start = args.startLine ?? 1;
    if (start > lines.length) return { ok: false, error: `"${shown}" has ${plural(lines.length, 'line')}: send a startLine from 1 to ${lines.length}` };
    const end = Math.min(args.endLine ?? lines.length, lines.length);
    const width = String(end).length;
    const header = `${shown} (lines ${start}-${end} of ${lines.length})\n`;
    let out = header;
    const budget = OUTPUT_CAP_BYTES - NOTE_ROOM;
    let used = utf8Length(out);
    for (let n = start; n <= end; n++) {
      const row = `${String(n).padStart(width)}\t${lines[n - 1]}\n`;
      const size = utf8Length(row);
      if (used + size > budget) {
        if (n === start) {
          // One line longer than the whole cap (minified code): show its beginning rather than nothing.
          out += `${utf8Head(row, budget - used)}\n[line ${n} is ${plural(size, 'byte')} long and was cut at the ${OUTPUT_CAP_BYTES / 1024} KB output cap]\n`;
          if (n < end) out += `[lines ${n + 1}-${end} not shown: call read_file with startLine=${n + 1}]\n`;
        } else {
          out += `[cut at the ${OUTPUT_CAP_BYTES / 1024} KB output cap: lines ${n}-${end} not shown; call read_file with startLine=${n} to read on]\n`;
        }
        return { ok: true, output: out, truncated: true };
      }
      out += row;
      used += size;
    }
    return { ok: true, output: out, truncated: false };
  });
}

/** list_files: the workspace files matching a glob, sorted. */
export async function listFilesTool(args: Args<'list_files'>, ctx: ToolContext): Promise<ToolResult> {
  return guard(async () => {
    const found: string[] = [];
    const walk = await walkFiles(ctx, (file) => {
      if (matchGlob(args.glob, file.relative) || (file.shown !== file.relative && matchGlob(args.glob, file.shown))) found.push(file.shown);
    });
    if (found.length === 0) {
      const hint = !args.glob.includes('/') && !args.glob.includes('**') ? ` ("${args.glob}" only matches at the top level: try "**/${args.glob}")` : '';
      return { ok: true, output: `no files match "${args.glob}"${hint}${walk.stopped ? ` (${walk.stopped})` : ''}`, truncated: false };
    }
    let out = '';
    let used = 0;
    for (let i = 0; i < found.length; i++) {
      const row = `${found[i]}\n`;
      if (used + utf8Length(row) > OUTPUT_CAP_BYTES - NOTE_ROOM) {
        out += `[cut at the ${OUTPUT_CAP_BYTES / 1024} KB output cap: ${found.length - i} more of ${plural(found.length, 'file')} not shown; send a narrower glob]\n`;
        return { ok: true, output: out, truncated: true };
      }
      out += row;
      used += utf8Length(row);
    }
    out += `${plural(found.length, 'file')}${walk.stopped ? ` (${walk.stopped}: there may be more; send a narrower glob)` : ''}\n`;
    return { ok: true, output: out, truncated: walk.stopped !== undefined };
  });
}

/** search_text: "path:line: text" for every line containing the query (literal, ignoring case). */
export async function searchTextTool(args: Args<'search_text'>, ctx: ToolContext): Promise<ToolResult> {
  return guard(async () => {
    const { matches, limited, note } = await findText(args.query, args.glob, ctx);
    const scope = args.glob ? ` in files matching "${args.glob}"` : '';
    if (matches.length === 0) return { ok: true, output: `no matches for "${args.query}"${scope}${note ? ` (${note})` : ''}`, truncated: false };
    let out = '';
    let used = 0;
    for (let i = 0; i < matches.length; i++) {
      const m = matches[i];
      const row = `${m.shown}:${m.line}: ${m.text}\n`;
      if (used + utf8Length(row) > OUTPUT_CAP_BYTES - NOTE_ROOM) {
        out += `[cut at the ${OUTPUT_CAP_BYTES / 1024} KB output cap: ${matches.length - i}${limited ? '+' : ''} more matches not shown; search for something more specific or pass a glob]\n`;
        return { ok: true, output: out, truncated: true };
      }
      out += row;
      used += utf8Length(row);
    }
    const files = new Set(matches.map((m) => m.shown)).size;
    out += limited
      ? `[the first ${plural(matches.length, 'match', 'matches')} (in ${plural(files, 'file')}) are shown; there are more: search for something more specific or pass a glob]\n`
      : `${plural(matches.length, 'match', 'matches')} in ${plural(files, 'file')}${note ? ` (${note})` : ''}\n`;
    return { ok: true, output: out, truncated: limited };
  });
}

/** A file's lines without their endings; a final line ending does not start another line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

async function guard(run: () => Promise<ToolResult>): Promise<ToolResult> {
  try {
    return await run();
  } catch (e) {
    return { ok: false, error: `the tool failed: ${(e as Error).message}` };
  }
}

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
