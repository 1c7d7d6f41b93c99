/** cmd.exe: statements split on `&`, `&&`, `||`, `|`; the common destructive built-ins and tools. */
import { destructive, safe, unsure, type ClassifyOptions, type Finding, type Shell } from './types';

type Nested = (text: string, shell: Shell, options: ClassifyOptions, depth: number) => Finding[];

/** Statements of words; `^` escapes the next character; double quotes group. */
export function cmdStatements(src: string): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  let tok = '';
  let inTok = false;
  const endTok = () => { if (inTok) cur.push(tok); tok = ''; inTok = false; };
  const endStmt = () => { endTok(); if (cur.length) out.push(cur); cur = []; };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '^' && i + 1 < src.length) { tok += src[++i]; inTok = true; continue; }
    if (c === '"') { inTok = true; for (i++; i < src.length && src[i] !== '"'; i++) tok += src[i]; continue; }
    if (c === '&' || c === '|' || c === '\n' || c === '(' || c === ')') { endStmt(); if (src[i + 1] === c) i++; continue; }
    if (c === '>' ) { endTok(); let op = '>'; if (src[i + 1] === '>') { op = '>>'; i++; } cur.push(op); continue; }
    if (/\s/.test(c)) { endTok(); continue; }
    tok += c; inTok = true;
  }
  endStmt();
  return out;
}

const ALWAYS: Record<string, string> = {
  format: 'formats a disk', diskpart: 'edits disks', taskkill: 'kills processes', tskill: 'kills processes', shutdown: 'shuts the machine down',
  bcdedit: 'changes boot settings', cipher: 'can wipe free space', vssadmin: 'manages shadow copies', wbadmin: 'manages backups', runas: 'runs as another user',
  fsutil: 'changes filesystems', takeown: 'takes ownership', schtasks: 'changes scheduled tasks',
};
const SAFE = /^(type|dir|echo|where|cd|chdir|ver|cls|findstr|find|more|sort|tree|whoami|hostname|ipconfig|systeminfo|tasklist|pushd|popd|title|vol|fc|comp|rem|date|time|path|set|echo\.|exit|call|ping|netstat|nslookup)$/;

function statement(words: string[], options: ClassifyOptions, depth: number, nested: Nested): Finding[] {
  const findings: Finding[] = [];
  const w: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] === '>' || words[i] === '>>') {
      const target = words[++i] ?? '';
      if (!/^(nul|con|&\d)$/i.test(target) && !/^\d$/.test(w[w.length - 1] ?? '') ) findings.push(words[i - 1] === '>>' ? unsure(`appends to ${target}`) : destructive(`truncating redirect onto ${target}`));
      else if (/^\d$/.test(w[w.length - 1] ?? '') && !/^(nul|&\d)$/i.test(target)) findings.push(destructive(`truncating redirect onto ${target}`));
      continue;
    }
    w.push(words[i]!);
  }
  if (w[0] === '@') w.shift();
  const name = (w[0] ?? '').replace(/^@/, '').toLowerCase().replace(/\.(exe|com)$/, '');
  const args = w.slice(1);
  const flag = (f: RegExp) => args.some((a) => f.test(a));
  if (!name) return findings;
  if (name === 'del' || name === 'erase') return [...findings, destructive(flag(/^\/s$/i) || flag(/[*?]/) ? 'del /s deletes files in every folder' : 'del deletes files')];
  if (name === 'rd' || name === 'rmdir') return [...findings, flag(/^\/s$/i) ? destructive('rd /s deletes a folder tree') : unsure('rd removes an empty folder')];
  if (name in ALWAYS) return [...findings, destructive(`${name} ${ALWAYS[name]}`)];
  if (name === 'reg') return [...findings, /^query$/i.test(args[0] ?? '') ? safe('reg query') : destructive(`reg ${args[0] ?? ''} changes the registry`)];
  if (name === 'sc') return [...findings, /^(query|queryex|qc)$/i.test(args[0] ?? '') ? safe('sc query') : destructive(`sc ${args[0] ?? ''} changes services`)];
  if (name === 'net') return [...findings, /^(view|config|statistics)$/i.test(args[0] ?? '') ? safe(`net ${args[0]}`) : destructive(`net ${args[0] ?? ''} changes users, shares or services`)];
  if (name === 'wmic') return [...findings, flag(/^(delete|call|set)$/i) ? destructive('wmic changes the system') : unsure('wmic')];
  if (name === 'robocopy') return [...findings, flag(/^\/(mir|purge|move|mov)$/i) ? destructive('robocopy /mir or /purge deletes files') : unsure('robocopy copies files')];
  if (name === 'icacls' || name === 'cacls') return [...findings, flag(/^\/t$/i) ? destructive(`${name} /t changes permissions recursively`) : unsure(`${name} changes permissions`)];
  if (/^(move|ren|rename|copy|xcopy|attrib|mklink|mkdir|md|start|setx)$/.test(name)) return [...findings, unsure(`${name} changes files or settings`)];
  if (SAFE.test(name)) return findings.length ? findings : [safe(`${name} only reads`)];
  if (name === 'cmd') {
    const i = args.findIndex((a) => /^\/[ck]$/i.test(a));
    return [...findings, ...(i >= 0 ? nested(args.slice(i + 1).join(' '), 'cmd', options, depth + 1) : [unsure('cmd starts a session')])];
  }
  const quote = (x: string) => `'${x.replace(/'/g, `'\\''`)}'`;
  return [...findings, ...nested(w.map(quote).join(' '), 'bash', options, depth + 1)];
}

export function classifyCmd(text: string, options: ClassifyOptions, depth: number, nested: Nested): Finding[] {
  if (depth > 6) return [unsure('commands nested too deep to read')];
  const findings = cmdStatements(text).flatMap((s) => statement(s, options, depth, nested));
  if (/%[^%\s]*:~|![^!\s]*:~/.test(text)) findings.push(destructive('builds text from variable slices (obfuscation)'));
  return findings.length ? findings : [text.trim() ? safe('nothing runs') : unsure('empty command')];
}
