/** What a rule sees: one simple command (wrappers removed) and a way to classify nested shell text. */
import type { StdinSource } from './extract';
import type { ClassifyOptions, Finding, Shell } from './types';
import type { Word } from './words';

export interface Cmd {
  /** The program's base name (`/usr/bin/rm` -> `rm`). */
  name: string;
  args: Word[];
  stdin?: StdinSource;
}

export interface Ctx {
  options: ClassifyOptions;
  /** Classifies text that a shell or an interpreter will run (`bash -c`, `eval`, `ssh host cmd`). */
  nested(text: string, shell: Shell): Finding[];
  /** Classifies a command line a wrapper will run (`find -exec`, `xargs`, `git -c alias.x=!...`). */
  argv(words: Word[], stdin?: StdinSource): Finding[];
}

/** A rule returns nothing when it does not know the command. */
export type Rule = (cmd: Cmd, ctx: Ctx) => Finding | Finding[] | undefined;

export interface Options {
  short: Set<string>;
  long: Set<string>;
  operands: Word[];
}

/** Short flags (each letter of `-rf`), long flags (`--force`, without `=value`) and operands, in any order. */
export function optionsOf(args: Word[]): Options {
  const o: Options = { short: new Set(), long: new Set(), operands: [] };
  let ended = false;
  for (const a of args) {
    const t = a.text;
    if (!ended && t === '--') ended = true;
    else if (!ended && t.startsWith('--')) o.long.add(t.split('=')[0]!);
    else if (!ended && t.startsWith('-') && t.length > 1) for (const ch of t.slice(1)) o.short.add(ch);
    else o.operands.push(a);
  }
  return o;
}

/** True when any of the given flags is present: single letters are short flags, `--x` long ones. */
export function hasFlag(o: Options, ...flags: string[]): boolean {
  return flags.some((f) => (f.startsWith('--') ? o.long.has(f) : o.short.has(f)));
}

/** The first argument that is not an option: a subcommand such as `status` in `git status`. */
export function firstOperand(args: Word[], withValue?: Set<string>): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (!t.startsWith('-')) return t;
    if (withValue?.has(t)) i++;
  }
  return undefined;
}

export const texts = (args: Word[]): string[] => args.map((a) => a.text);
