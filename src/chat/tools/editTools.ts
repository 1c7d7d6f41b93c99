// Pure planning (over ToolFileSystem) of write_file and edit_file: the new content and the diff the card shows,
// computed before anything is written. The extension applies a plan as a WorkspaceEdit so Undo works;
// applyPlanToDisk writes it directly (tests, and no editor around).
import { promises as fsp } from 'node:fs';
import * as nodePath from 'node:path';
import { resolveInWorkspace } from './confinement';
import { unifiedDiff } from './diff';
import { closestLineHint } from './editHints';
import { decodeUtf8, looksBinary, utf8Head, utf8Length } from './text';
import { OUTPUT_CAP_BYTES, type ToolArgs, type ToolContext, type WorkspacePath } from './types';

/** Existing files larger than this are not edited through the tools. */
export const MAX_EDIT_FILE_BYTES = 8 * 1024 * 1024;

/** A write or edit, ready to show and to apply. */
export interface EditPlan {
  tool: 'write_file' | 'edit_file';
  path: WorkspacePath;
  /** False when the file is created. */
  existed: boolean;
  /** The content the plan was computed from (undefined for a new file); apply refuses if the file changed since. */
  oldContent: string | undefined;
  newContent: string;
  /** Unified diff, capped at OUTPUT_CAP_BYTES ("" when the content does not change). */
  diff: string;
  diffTruncated: boolean;
  added: number;
  removed: number;
}

export type PlanResult = { ok: true; plan: EditPlan } | { ok: false; error: string };
type Args<T extends ToolArgs['tool']> = Omit<Extract<ToolArgs, { tool: T }>, 'tool'>;

/** Plans write_file: the whole content replaced (or the file created). A CRLF file stays CRLF. */
export async function planWrite(args: Args<'write_file'>, ctx: ToolContext): Promise<PlanResult> {
  return guard(async () => {
    const current = await readCurrent(args.path, ctx);
    if (!current.ok) return current;
    const content = current.text !== undefined && isCrlf(current.text) ? toCrlf(args.content) : args.content;
    return { ok: true, plan: makePlan('write_file', current.path, current.text, content) };
  });
}

/** Plans edit_file: oldText must occur exactly once; the message for none or several says where to look. */
export async function planEdit(args: Args<'edit_file'>, ctx: ToolContext): Promise<PlanResult> {
  return guard(async () => {
    const current = await readCurrent(args.path, ctx);
    if (!current.ok) return current;
    const shown = current.path.relative;
    if (current.text === undefined) return { ok: false, error: `"${shown}" does not exist: use write_file to create it` };
    // Models write "\n"; in a file that is CRLF throughout, match and replace on LF and convert back.
    const crlf = isCrlf(current.text);
    const text = crlf ? current.text.replace(/\r\n/g, '\n') : current.text;
    const oldText = crlf ? args.oldText.replace(/\r\n/g, '\n') : args.oldText;
    const newText = crlf ? args.newText.replace(/\r\n/g, '\n') : args.newText;
    const at = occurrences(text, oldText);
    if (at.length === 0) return { ok: false, error: `oldText was not found in "${shown}". ${closestLineHint(text, oldText)}` };
    if (at.length > 1) {
      const lines = at.slice(0, 10).map((i) => lineOf(text, i));
      return {
        ok: false,
        error: `oldText occurs ${at.length} times in "${shown}" (at lines ${lines.join(', ')}${at.length > 10 ? ', …' : ''}): include more of the surrounding lines so it matches exactly once`,
      };
    }
    const replaced = text.slice(0, at[0]) + newText + text.slice(at[0] + oldText.length);
    return { ok: true, plan: makePlan('edit_file', current.path, current.text, crlf ? toCrlf(replaced) : replaced) };
  });
}

/** Writes a plan to disk, refusing when the file changed since it was planned. Never throws. */
export async function applyPlanToDisk(plan: EditPlan): Promise<{ ok: true } | { ok: false; error: string }> {
  const target = plan.path.absolute;
  try {
    if (plan.existed) {
      const now = decodeUtf8(await fsp.readFile(target));
      if (now !== plan.oldContent) return { ok: false, error: `"${plan.path.relative}" changed since the diff was made: plan the change again` };
      await fsp.writeFile(target, plan.newContent, 'utf8');
    } else {
      await fsp.mkdir(nodePath.dirname(target), { recursive: true });
      // `wx`: fails if something (a file, a link) appeared there since the plan, rather than writing through it.
      await fsp.writeFile(target, plan.newContent, { encoding: 'utf8', flag: 'wx' });
    }
    return { ok: true };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EEXIST') return { ok: false, error: `"${plan.path.relative}" was created since the diff was made: plan the change again` };
    if (err.code === 'ENOENT' && plan.existed) return { ok: false, error: `"${plan.path.relative}" was deleted since the diff was made` };
    return { ok: false, error: `could not write "${plan.path.relative}": ${err.message}` };
  }
}

function makePlan(tool: EditPlan['tool'], path: WorkspacePath, oldContent: string | undefined, newContent: string): EditPlan {
  const { diff, added, removed } = unifiedDiff(oldContent, newContent, path.relative);
  const capped = capDiff(diff);
  return { tool, path, existed: oldContent !== undefined, oldContent, newContent, diff: capped.text, diffTruncated: capped.cut, added, removed };
}

function capDiff(diff: string): { text: string; cut: boolean } {
  if (utf8Length(diff) <= OUTPUT_CAP_BYTES) return { text: diff, cut: false };
  const head = utf8Head(diff, OUTPUT_CAP_BYTES - 200);
  const whole = head.slice(0, head.lastIndexOf('\n') + 1);
  const rest = diff.slice(whole.length).split('\n').length - 1;
  return { text: `${whole}[diff cut at ${OUTPUT_CAP_BYTES / 1024} KB: ${rest} more diff lines not shown]\n`, cut: true };
}

async function readCurrent(input: string, ctx: ToolContext): Promise<{ ok: true; path: WorkspacePath; text: string | undefined } | { ok: false; error: string }> {
  const where = await resolveInWorkspace(input, ctx.roots, ctx.fs, { forWrite: true, exclude: ctx.exclude });
  if (!where.ok) return where;
  const shown = where.path.relative;
  const st = await ctx.fs.stat(where.path.absolute).catch(() => undefined);
  if (!st) return { ok: true, path: where.path, text: undefined };
  if (!st.isFile) return { ok: false, error: `"${shown}" is not a regular file` };
  if (st.size > MAX_EDIT_FILE_BYTES) return { ok: false, error: `"${shown}" is ${Math.round(st.size / 1024)} KB, too large to change through the tools` };
  const bytes = await ctx.fs.readFile(where.path.absolute);
  if (looksBinary(bytes)) return { ok: false, error: `"${shown}" is a binary file: only text files can be written or edited` };
  return { ok: true, path: where.path, text: decodeUtf8(bytes) };
}

/** A file counts as CRLF when it has line endings and every one of them is CRLF. */
function isCrlf(text: string): boolean {
  const lf = (text.match(/\n/g) ?? []).length;
  return lf > 0 && (text.match(/\r\n/g) ?? []).length === lf;
}

function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) found.push(i);
  return found;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

async function guard(run: () => Promise<PlanResult>): Promise<PlanResult> {
  try {
    return await run();
  } catch (e) {
    return { ok: false, error: `the change could not be planned: ${(e as Error).message}` };
  }
}
