/**
 * Every sub-command of a command line, as words, after removing assignments and wrappers (`sudo`, `env`,
 * `timeout`, `xargs`...) and opening `bash -c '...'` strings and `find -exec`: what allow and deny rules are
 * matched against.
 */
import { cmdStatements } from './cmd';
import { extract } from './extract';
import { parseBash } from './parser';
import { psStatements } from './powershell';
import type { Shell } from './types';
import type { Word } from './words';
import { WRAPPERS } from './wrappers';

export interface SubCommands {
  commands: string[][];
  /** False when the parser could not read everything (or is not loaded): rules must not auto-approve. */
  complete: boolean;
}

const SHELL = /^(bash|sh|zsh|dash|ksh|mksh|ash)$/;

function unwrap(words: Word[], depth: number, out: SubCommands): void {
  let current = words;
  for (let hops = 0; current.length && hops < 8; hops++) {
    const name = current[0]!.text.replace(/^.*\//, '');
    const wrapper = current[0]!.literal ? WRAPPERS[name] : undefined;
    if (!wrapper) break;
    const u = wrapper(current);
    if (!u) break;
    if (u.shellText !== undefined) return listInto(u.shellText, 'bash', depth + 1, out);
    current = u.words;
  }
  if (current.length === 0) return;
  out.commands.push(current.map((w) => w.text));
  const name = current[0]!.text.replace(/^.*\//, '');
  if (SHELL.test(name)) {
    const c = current.findIndex((w, i) => i > 0 && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(w.text));
    if (c > 0 && current[c + 1]) {
      if (current[c + 1]!.literal) listInto(current[c + 1]!.text, 'bash', depth + 1, out);
      else out.complete = false;
    }
  } else if (name === 'find') {
    for (let i = 1; i < current.length; i++) {
      if (!/^-(exec|execdir|ok|okdir)$/.test(current[i]!.text)) continue;
      let j = i + 1;
      while (j < current.length && !/^[;+]$/.test(current[j]!.text)) j++;
      unwrap(current.slice(i + 1, j), depth + 1, out);
      i = j;
    }
  }
}

function listInto(text: string, shell: Shell, depth: number, out: SubCommands): void {
  if (depth > 6) {
    out.complete = false;
    return;
  }
  if (shell === 'powershell') {
    for (const s of psStatements(text)) out.commands.push(s.map((t) => t.text));
    return;
  }
  if (shell === 'cmd') {
    for (const s of cmdStatements(text)) out.commands.push(s);
    return;
  }
  const tree = parseBash(text);
  if (!tree) {
    out.complete = false;
    return;
  }
  try {
    const ex = extract(tree.rootNode);
    if (ex.errors.length) out.complete = false;
    for (const c of ex.commands) unwrap(c.words, depth, out);
  } finally {
    tree.delete();
  }
}

/** The sub-commands of `text` in order of appearance. Never throws. */
export function listSubCommands(text: string, shell: Shell = 'bash'): SubCommands {
  const out: SubCommands = { commands: [], complete: true };
  try {
    listInto(text, shell, 0, out);
  } catch {
    out.complete = false;
  }
  return out;
}
