// Pure: the tools as the model sees them (OpenAI function specs) and the check of what it sends back. Every
// refusal says what to send instead, because the model reads it and tries again.
import type { ToolSpec } from '../../broker';
import { globProblem } from './glob';
import { TOOL_NAMES, type ToolArgs, type ToolName } from './types';

/** The largest file write_file takes (bytes of UTF-8). */
export const MAX_WRITE_BYTES = 4 * 1024 * 1024;
/** The largest oldText / newText of edit_file. */
export const MAX_EDIT_TEXT_BYTES = 1024 * 1024;
/** The longest path, glob, query and command. */
export const MAX_PATH_CHARS = 4096;
export const MAX_QUERY_CHARS = 1000;
export const MAX_COMMAND_CHARS = 16 * 1024;
const MAX_LINE = 10_000_000;

type FieldKind = 'path' | 'text' | 'nonEmptyText' | 'line' | 'glob' | 'query' | 'command';
interface Field { name: string; kind: FieldKind; required: boolean; description: string; maxBytes?: number }

const FIELDS: Record<ToolName, Field[]> = {
  read_file: [
    { name: 'path', kind: 'path', required: true, description: 'The file, relative to the workspace folder (e.g. "src/index.ts").' },
    { name: 'startLine', kind: 'line', required: false, description: 'First line to read, counting from 1. Leave out to start at the top.' },
    { name: 'endLine', kind: 'line', required: false, description: 'Last line to read (inclusive). Leave out to read to the end (the output is capped at 64 KB).' },
  ],
  list_files: [
    { name: 'glob', kind: 'glob', required: true, description: 'A glob over paths relative to the workspace folder: "**/*.ts", "src/**", "*.{json,md}". `*` stays within one folder, `**` crosses folders.' },
  ],
  search_text: [
    { name: 'query', kind: 'query', required: true, description: 'The text to find, taken literally (not a regular expression), ignoring case.' },
    { name: 'glob', kind: 'glob', required: false, description: 'Only search files whose relative path matches this glob, e.g. "src/**/*.ts".' },
  ],
  write_file: [
    { name: 'path', kind: 'path', required: true, description: 'The file to create or replace, relative to the workspace folder.' },
    { name: 'content', kind: 'text', required: true, maxBytes: MAX_WRITE_BYTES, description: 'The whole new content of the file.' },
  ],
  edit_file: [
    { name: 'path', kind: 'path', required: true, description: 'The file to edit, relative to the workspace folder.' },
    { name: 'oldText', kind: 'nonEmptyText', required: true, maxBytes: MAX_EDIT_TEXT_BYTES, description: 'The exact text to replace, including whitespace and indentation. It must occur exactly once in the file: include enough surrounding lines to make it unique.' },
    { name: 'newText', kind: 'text', required: true, maxBytes: MAX_EDIT_TEXT_BYTES, description: 'The text that replaces oldText (may be empty to delete it).' },
  ],
  run_command: [
    { name: 'command', kind: 'command', required: true, description: "A shell command line, run with the user's shell in the workspace folder. It is killed after 60 seconds; output is capped." },
    { name: 'cwd', kind: 'path', required: false, description: 'The folder to run in, relative to the workspace folder. Leave out for the workspace folder itself.' },
  ],
};

const DESCRIPTIONS: Record<ToolName, string> = {
  read_file: 'Read a text file of the workspace, with line numbers. Read large files in parts with startLine/endLine.',
  list_files: 'List the files of the workspace whose path matches a glob, sorted. Excluded files and .git are skipped.',
  search_text: 'Search the workspace files for a text; answers "path:line: text" lines, sorted by path and line.',
  write_file: 'Create a file, or replace a whole file, in the workspace. The user sees the diff and may refuse. Prefer edit_file for a change to part of a file.',
  edit_file: 'Replace one exact occurrence of oldText by newText in a workspace file. The user sees the diff and may refuse.',
  run_command: "Run a shell command in the workspace. The user sees the command and may refuse; output (stdout and stderr together) and the exit code come back.",
};

/** The OpenAI function specs of the given tools (all six by default), in a stable order. */
export function toolSpecs(names: readonly ToolName[] = TOOL_NAMES): ToolSpec[] {
  return TOOL_NAMES.filter((n) => names.includes(n)).map((name) => ({
    type: 'function',
    function: {
      name,
      description: DESCRIPTIONS[name],
      parameters: {
        type: 'object',
        properties: Object.fromEntries(FIELDS[name].map((f) => [f.name, { type: f.kind === 'line' ? 'integer' : 'string', ...(f.kind === 'line' ? { minimum: 1 } : {}), description: f.description }])),
        required: FIELDS[name].filter((f) => f.required).map((f) => f.name),
        additionalProperties: false,
      },
    },
  }));
}

export type Validated = { ok: true; args: ToolArgs } | { ok: false; error: string };

/** Checks a call's arguments against its tool; never throws. */
export function validateToolArgs(name: string, args: Record<string, unknown>): Validated {
  if (!(TOOL_NAMES as readonly string[]).includes(name)) {
    return { ok: false, error: `there is no tool named "${name}": use one of ${TOOL_NAMES.join(', ')}` };
  }
  const tool = name as ToolName;
  const fields = FIELDS[tool];
  const usage = `${tool} takes ${fields.map((f) => (f.required ? f.name : `${f.name}?`)).join(', ')}`;
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return { ok: false, error: `the arguments must be a JSON object: ${usage}` };
  const extra = Object.keys(args).filter((k) => !fields.some((f) => f.name === k));
  if (extra.length) return { ok: false, error: `unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')}: ${usage}` };
  const out: Record<string, unknown> = { tool };
  for (const f of fields) {
    const value = args[f.name];
    // Strict-mode schemas make models send null for an optional field they mean to leave out.
    if (value === undefined || (value === null && !f.required)) {
      if (f.required) return { ok: false, error: `"${f.name}" is missing: ${usage}` };
      continue;
    }
    const problem = checkField(f, value);
    if (problem) return { ok: false, error: `"${f.name}" ${problem}` };
    out[f.name] = value;
  }
  if (tool === 'read_file' && typeof out.startLine === 'number' && typeof out.endLine === 'number' && out.endLine < out.startLine) {
    return { ok: false, error: `endLine (${out.endLine}) is before startLine (${out.startLine}): send endLine >= startLine, or leave endLine out to read to the end` };
  }
  if (tool === 'edit_file' && out.oldText === out.newText) return { ok: false, error: 'oldText and newText are the same, so the edit would change nothing' };
  return { ok: true, args: out as ToolArgs };
}

function checkField(f: Field, value: unknown): string | undefined {
  if (f.kind === 'line') {
    if (typeof value !== 'number' || !Number.isInteger(value)) return `must be a whole number (a line, counting from 1), not ${describe(value)}`;
    if (value < 1) return `must be 1 or more (lines count from 1), not ${value}`;
    if (value > MAX_LINE) return `is ${value}, more lines than any file the tools read: send a smaller line number`;
    return undefined;
  }
  if (typeof value !== 'string') return `must be a string, not ${describe(value)}`;
  const empty = value.trim() === '';
  switch (f.kind) {
    case 'path':
      if (empty) return f.required ? 'is empty: send a path relative to the workspace folder, e.g. "src/index.ts"' : 'is empty: leave it out for the workspace folder';
      if (value.length > MAX_PATH_CHARS) return `is ${value.length} characters long: no path is that long`;
      if (value.includes('\0')) return 'contains a NUL character';
      return undefined;
    case 'glob':
      if (empty) return 'is empty: send a glob such as "**/*.ts", or "**" for every file';
      if (value.length > MAX_QUERY_CHARS) return `is ${value.length} characters long: send a glob under ${MAX_QUERY_CHARS}`;
      const problem = globProblem(value);
      return problem ? `is not a valid glob: ${problem}` : undefined;
    case 'query':
      if (value === '') return 'is empty: send the text to search for';
      if (value.includes('\n')) return 'spans several lines: search for one line of text';
      if (value.length > MAX_QUERY_CHARS) return `is ${value.length} characters long: search for a shorter, distinctive part`;
      return undefined;
    case 'command':
      if (empty) return 'is empty: send the command line to run';
      if (value.length > MAX_COMMAND_CHARS) return `is ${value.length} characters long: write a script with write_file and run that`;
      if (value.includes('\0')) return 'contains a NUL character';
      return undefined;
    case 'nonEmptyText':
      if (value === '') return 'is empty: send the exact text to replace (to create a file, use write_file)';
      return tooBig(f, value);
    case 'text':
      return tooBig(f, value);
  }
}

function tooBig(f: Field, value: string): string | undefined {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (f.maxBytes !== undefined && bytes > f.maxBytes) {
    return `is ${Math.round(bytes / 1024)} KB, over the ${Math.round(f.maxBytes / 1024)} KB limit: split the change into smaller edits`;
  }
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value === 'object' ? 'an object' : `the ${typeof value} ${String(value)}`}`;
}
