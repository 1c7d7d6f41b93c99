/**
 * Commands that run other text as code: shells (`bash -c`, `sh script`, `... | sh`), `eval`, `source`,
 * `find -exec`, and PowerShell or cmd started from bash.
 */
import type { StdinSource } from '../extract';
import { type Ctx, type Rule } from '../context';
import { destructive, safe, unsure, type Finding } from '../types';

const SHELLS = /^(bash|sh|zsh|dash|ksh|mksh|ash|fish|yash|csh|tcsh|busybox)$/;
const FETCH = /^(curl|wget|http|xh|fetch|nc|ncat|socat|aria2c|lwp-request|GET)$/;
const FETCHED_TEXT = /\b(curl|wget|fetch|nc|lwp-request|Invoke-WebRequest|iwr)\b/;
const DECODED_TEXT = /\b(base64|base32|xxd|od|openssl|gunzip|zcat|bunzip2|uudecode|rev|tr)\b|\\x[0-9a-f]{2}/i;

const baseName = (w: { text: string } | undefined): string => w?.text.replace(/^.*\//, '') ?? '';

/** Whether a pipeline feeds downloaded or decoded text (the two ways to hide what will run). */
export function stdinOrigin(stdin: StdinSource | undefined): 'fetched' | 'decoded' | undefined {
  if (stdin?.kind !== 'commands') return undefined;
  if (stdin.commands.some((c) => FETCH.test(baseName(c.words[0])))) return 'fetched';
  const decode = stdin.commands.some((c) => {
    const n = baseName(c.words[0]);
    const args = c.words.slice(1).map((w) => w.text);
    return (/^(base64|base32)$/.test(n) && args.some((a) => /^(-d|--decode|-D)$/.test(a))) || (n === 'xxd' && args.includes('-r')) || /^(openssl|uudecode|gunzip|zcat|rev)$/.test(n) || (n === 'printf' && args.some((a) => /\\x|\\[0-7]{3}/.test(a)));
  });
  return decode ? 'decoded' : undefined;
}

/** What a shell or interpreter reading standard input would run. */
export function stdinFindings(who: string, stdin: StdinSource | undefined, ctx: Ctx): Finding[] {
  if (!stdin) return [unsure(`${who} reads commands from the terminal`)];
  if (stdin.kind === 'text') {
    return stdin.literal ? ctx.nested(stdin.text, 'bash') : [unsure(`${who} runs a here-document with expansions`)];
  }
  const ups = stdin.commands;
  const origin = stdinOrigin(stdin);
  if (origin === 'fetched') return [destructive(`pipes downloaded text into ${who} (remote code)`)];
  if (origin === 'decoded') return [destructive(`pipes decoded text into ${who} (obfuscated code)`)];
  const lit = ups.every((c) => /^(echo|printf)$/.test(c.words[0]?.text ?? '') && c.words.slice(1).every((w) => w.literal));
  if (lit && ups.length) return ctx.nested(ups.map((c) => c.words.slice(1).filter((w) => !/^-[neE]+$/.test(w.text)).map((w) => w.text).join(' ')).join('\n'), 'bash');
  const fromHeredoc = ups.length === 1 && ups[0]!.words[0]?.text === 'cat' && ups[0]!.words.length === 1 && ups[0]!.stdin;
  if (fromHeredoc) return stdinFindings(who, ups[0]!.stdin, ctx);
  return [unsure(`${who} runs text produced by another command`)];
}

/** Text built at run time and then run: destructive when it is fetched or decoded. */
function dynamicCode(what: string, raw: string): Finding {
  if (FETCHED_TEXT.test(raw)) return destructive(`${what} of downloaded text (remote code)`);
  if (DECODED_TEXT.test(raw)) return destructive(`${what} of decoded text (obfuscated code)`);
  return unsure(`${what} of text built at run time`);
}

const shell: Rule = (cmd, ctx) => {
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (t === '--') break;
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(t) && !t.startsWith('--')) {
      const code = args[i + 1];
      if (!code) return unsure(`${cmd.name} -c without a command`);
      return code.literal ? ctx.nested(code.text, cmd.name === 'zsh' ? 'zsh' : 'bash') : [dynamicCode(`${cmd.name} -c`, code.text)];
    }
    if (t === '-s' || t === '-i' || t === '-l' || t === '--login' || t === '--norc' || t === '--noprofile' || /^-[a-zA-Z]+$/.test(t) || /^[-+]o$/.test(t)) {
      if (/^[-+]o$/.test(t)) i++;
      continue;
    }
    if (!args[i]!.literal) return [dynamicCode(`${cmd.name} running a script`, t)];
    return [unsure(`${cmd.name} runs the script ${t}`)];
  }
  return stdinFindings(cmd.name, cmd.stdin, ctx);
};

const evalRule: Rule = (cmd, ctx) => {
  if (cmd.args.length === 0) return safe('eval of nothing');
  if (cmd.args.every((a) => a.literal)) return ctx.nested(cmd.args.map((a) => a.text).join(' '), 'bash');
  return dynamicCode('eval', cmd.args.map((a) => a.text).join(' '));
};

const source: Rule = (cmd) => {
  const file = cmd.args[0];
  if (!file) return unsure(`${cmd.name} without a file`);
  if (!file.literal) return dynamicCode(cmd.name, file.text);
  return unsure(`${cmd.name} runs the script ${file.text}`);
};

const find: Rule = (cmd, ctx) => {
  const findings: Finding[] = [];
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (t === '-delete') findings.push(destructive('find -delete deletes every match'));
    else if (/^-(fprint|fprint0|fprintf|fls)$/.test(t)) findings.push(unsure(`find ${t} writes a file`));
    else if (/^-(exec|execdir|ok|okdir)$/.test(t)) {
      let j = i + 1;
      while (j < args.length && args[j]!.text !== ';' && args[j]!.text !== '+') j++;
      const inner = args.slice(i + 1, j);
      findings.push(...(inner.length ? ctx.argv(inner) : [unsure('find -exec without a command')]));
      i = j;
    }
  }
  return findings.length ? findings : safe('find only lists files');
};

/** `trap 'code' EXIT`: the code runs later, in this shell. */
const trap: Rule = (cmd, ctx) => {
  const code = cmd.args[0];
  if (!code || code.text.startsWith('-') || cmd.args.length === 1) return safe('trap lists or resets handlers');
  return code.literal ? ctx.nested(code.text, 'bash') : unsure('trap runs code known only at run time');
};

const powershell: Rule = (cmd, ctx) => {
  const i = cmd.args.findIndex((a) => /^[-/](c|command|e|ec|en|enc|encodedcommand|f|file)$/i.test(a.text));
  if (i < 0) return cmd.args.length ? unsure(`${cmd.name} runs a script`) : unsure(`${cmd.name} starts a session`);
  const flag = cmd.args[i]!.text.toLowerCase();
  if (/^[-/](e|ec|en|enc|encodedcommand)$/.test(flag)) return destructive(`${cmd.name} runs an encoded command (obfuscated)`);
  if (/^[-/](f|file)$/.test(flag)) return unsure(`${cmd.name} runs a script`);
  const rest = cmd.args.slice(i + 1);
  if (!rest.every((a) => a.literal)) return dynamicCode(cmd.name, rest.map((a) => a.text).join(' '));
  return ctx.nested(rest.map((a) => a.text).join(' '), 'powershell');
};

const cmdExe: Rule = (cmd, ctx) => {
  const i = cmd.args.findIndex((a) => /^\/[ck]$/i.test(a.text));
  if (i < 0) return unsure('cmd starts a session');
  return ctx.nested(cmd.args.slice(i + 1).map((a) => a.text).join(' '), 'cmd');
};

export const shellRules: Record<string, Rule> = {
  eval: evalRule, trap, source, '.': source, find, powershell, pwsh: powershell, 'powershell.exe': powershell, 'pwsh.exe': powershell, cmd: cmdExe, 'cmd.exe': cmdExe,
};

/** Shells and interpreters take the same rule whatever their name. */
export function shellRule(name: string): Rule | undefined {
  return SHELLS.test(name) ? shell : undefined;
}

