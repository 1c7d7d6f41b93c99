/**
 * The bash/zsh classifier: parse, list every simple command, unwrap wrappers, and ask each command's rule.
 * Redirections, assignments and obfuscated words are judged apart from the command they belong to.
 */
import type { Ctx } from './context';
import { extract, type Redirect, type SimpleCommand, type StdinSource } from './extract';
import { parseBash } from './parser';
import { isScratch, isSecretPath, writeTargetRisk } from './paths';
import { ruleFor } from './rules/index';
import { destructive, safe, unsure, type ClassifyOptions, type Finding, type Shell } from './types';
import type { Word } from './words';
import { WRAPPERS } from './wrappers';

/** How deep `bash -c "bash -c '...'"` may nest before we stop reading and say unsure. */
const MAX_DEPTH = 6;

/** Variables that change what later programs load or run. */
const RISKY_VARIABLES = /^(LD_PRELOAD|LD_LIBRARY_PATH|LD_AUDIT|DYLD_\w+|BASH_ENV|ENV|PROMPT_COMMAND|IFS|PS4|GIT_SSH_COMMAND|GIT_EXEC_PATH|GIT_CONFIG_\w+|NODE_OPTIONS|PYTHONSTARTUP|PERL5OPT|RUBYOPT)$/;

export type NestedClassifier = (text: string, shell: Shell, options: ClassifyOptions, depth: number) => Finding[];

function redirectFinding(r: Redirect, options: ClassifyOptions): Finding | undefined {
  const op = r.op;
  if (!/>/.test(op)) return isSecretPath(r.target.text) ? unsure(`reads the secret file ${r.target.text} (its content would reach the model)`) : undefined;
  if (/^\d+$/.test(r.target.text) || r.target.text === '-') return undefined;
  if (op.includes('&') && /^\d+$/.test(r.target.text)) return undefined;
  if (isScratch(r.target)) return undefined;
  const place = writeTargetRisk(r.target, options);
  if (place) return place;
  if (op === '>>' || op === '&>>') return unsure(`appends to ${r.target.text}`);
  return destructive(`truncating redirect onto ${r.target.text}`);
}

export class BashClassifier {
  constructor(private readonly nestedShell: NestedClassifier) {}

  classify(text: string, options: ClassifyOptions, depth: number): Finding[] {
    if (depth > MAX_DEPTH) return [unsure('commands nested too deep to read')];
    const tree = parseBash(text);
    if (!tree) return [unsure('the shell parser is not loaded yet')];
    let ex;
    try {
      ex = extract(tree.rootNode);
    } finally {
      tree.delete();
    }
    const findings: Finding[] = ex.errors.map((e) => unsure(`the parser cannot read it: ${e}`));
    for (const r of ex.redirects) {
      const f = redirectFinding(r, options);
      if (f) findings.push(f);
    }
    const ctx = this.ctx(options, depth);
    for (const cmd of ex.commands) findings.push(...this.simple(cmd, ctx));
    if (findings.length === 0) findings.push(text.trim() ? safe('nothing runs') : unsure('empty command'));
    return findings;
  }

  private ctx(options: ClassifyOptions, depth: number): Ctx {
    return {
      options,
      nested: (text, shell) => this.nestedShell(text, shell, options, depth + 1),
      argv: (words, stdin) => this.argv(words, stdin, this.ctx(options, depth + 1), depth + 1),
    };
  }

  private simple(cmd: SimpleCommand, ctx: Ctx): Finding[] {
    const findings: Finding[] = [];
    for (const a of cmd.assignments) {
      if (RISKY_VARIABLES.test(a.name)) findings.push(unsure(`sets ${a.name}, which changes what programs load or run`));
      if (a.value.obfuscated) findings.push(destructive(`assigns text hidden by an expansion to ${a.name}`));
    }
    if (cmd.words.length === 0) return findings.length ? findings : [safe('assignment only')];
    findings.push(...this.argv(cmd.words, cmd.stdin, ctx, 0));
    return findings;
  }

  private argv(words: Word[], stdin: StdinSource | undefined, ctx: Ctx, depth: number): Finding[] {
    if (depth > MAX_DEPTH) return [unsure('wrappers nested too deep to read')];
    const findings: Finding[] = [];
    for (const w of words) {
      if (w.obfuscated) findings.push(destructive(`obfuscated expansion ${w.text}`));
      else if (isSecretPath(w.text)) findings.push(unsure(`touches the secret file ${w.text} (its content would reach the model)`));
    }
    let current = words;
    let feed = stdin;
    for (let hops = 0; current.length > 0; hops++) {
      const head = current[0]!;
      if (head.ansiC) return [...findings, destructive('command name written in ANSI-C quoting (obfuscation)')];
      if (!head.literal) return [...findings, head.obfuscated ? destructive('command name hidden by expansion') : unsure(`command name known only at run time (${head.text})`)];
      if (head.text === '') return [...findings, unsure('empty command name')];
      const name = head.text.replace(/^.*\//, '');
      const wrapper = hops < MAX_DEPTH ? WRAPPERS[name] : undefined;
      if (!wrapper) {
        const rule = ruleFor(name);
        if (!rule) return [...findings, unsure(`unknown command: ${name}`)];
        const out = rule({ name, args: current.slice(1), stdin: feed }, ctx);
        if (out === undefined) return [...findings, unsure(`unknown command: ${name}`)];
        return [...findings, ...(Array.isArray(out) ? out : [out])];
      }
      const u = wrapper(current);
      if (!u) return [...findings, unsure(`unknown command: ${name}`)];
      findings.push(...u.findings);
      if (u.shellText !== undefined) return [...findings, ...ctx.nested(u.shellText, 'bash')];
      if (u.stdinLost) feed = undefined;
      current = u.words;
      if (current.length === 0 && u.findings.length === 0) findings.push(safe(`${name} alone`));
    }
    return findings;
  }
}
