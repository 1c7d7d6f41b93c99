/**
 * PowerShell: a small tokenizer (quotes, backtick escapes, comments, script blocks and subexpressions split
 * into their own statements) and the common destructive cmdlets and their aliases. Native programs (`git`,
 * `npm`, `kubectl`) go through the bash rules.
 */
import { destructive, safe, unsure, type ClassifyOptions, type Finding, type Shell } from './types';

type Nested = (text: string, shell: Shell, options: ClassifyOptions, depth: number) => Finding[];

interface Token { text: string; quoted: boolean; dynamic: boolean }

/** Splits into statements (on `;`, `|`, `&&`, `||`, newlines, braces and parentheses) of tokens. */
export function psStatements(src: string): Token[][] {
  const out: Token[][] = [];
  let cur: Token[] = [];
  let tok = '';
  let quoted = false;
  let dynamic = false;
  let inTok = false;
  const endTok = () => {
    if (inTok) cur.push({ text: tok, quoted, dynamic });
    tok = ''; quoted = false; dynamic = false; inTok = false;
  };
  const endStmt = () => { endTok(); if (cur.length) out.push(cur); cur = []; };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '`' && i + 1 < src.length) { tok += src[++i]; inTok = true; continue; }
    if (c === "'") {
      inTok = true; quoted = true;
      for (i++; i < src.length; i++) {
        if (src[i] === "'" && src[i + 1] === "'") { tok += "'"; i++; } else if (src[i] === "'") break; else tok += src[i];
      }
      continue;
    }
    if (c === '"') {
      inTok = true; quoted = true;
      for (i++; i < src.length && src[i] !== '"'; i++) {
        if (src[i] === '`' && i + 1 < src.length) tok += src[++i];
        else { if (src[i] === '$') dynamic = true; tok += src[i]; }
      }
      continue;
    }
    if (c === '#' && !inTok) { while (i < src.length && src[i] !== '\n') i++; endStmt(); continue; }
    if (c === '<' && src[i + 1] === '#') { const e = src.indexOf('#>', i + 2); i = e < 0 ? src.length : e + 1; continue; }
    if (/[;|\n{}()]/.test(c) || (c === '&' && src[i + 1] === '&')) { endStmt(); if (c === '&') i++; continue; }
    if (/\s/.test(c)) { endTok(); continue; }
    if (c === '$') dynamic = true;
    tok += c; inTok = true;
  }
  endStmt();
  return out;
}

const REMOVE = new Set(['remove-item', 'rm', 'del', 'erase', 'rd', 'ri', 'rmdir']);
const DESTRUCTIVE: Record<string, string> = {
  'format-volume': 'formats a volume', 'clear-disk': 'erases a disk', 'initialize-disk': 'initializes a disk', 'remove-partition': 'deletes a partition',
  'stop-process': 'kills processes', kill: 'kills processes', spps: 'kills processes', 'stop-computer': 'shuts the machine down', 'restart-computer': 'restarts the machine',
  'clear-content': 'empties files', clc: 'empties files', 'clear-item': 'empties items', cli: 'empties items', 'remove-itemproperty': 'deletes registry values', rp: 'deletes registry values',
  'set-executionpolicy': 'changes the execution policy', 'remove-service': 'deletes a service', 'stop-service': 'stops a service', spsv: 'stops a service',
  'uninstall-package': 'removes packages', 'uninstall-module': 'removes modules', 'remove-localuser': 'deletes a user', 'remove-aduser': 'deletes a user',
  'clear-recyclebin': 'empties the recycle bin', 'remove-appxpackage': 'removes an app', 'send-mailmessage': 'sends mail', 'set-content': 'overwrites files', sc: 'overwrites files',
  'out-file': 'writes files', 'remove-smbshare': 'deletes a share', 'clear-eventlog': 'clears event logs', 'remove-variable': '', 'disable-computerrestore': 'disables restore points',
};
const SAFE = /^(get-.*|select-string|sls|select-object|select|where-object|where|\?|foreach-object|foreach|%|sort-object|sort|measure-object|measure|format-.*|f[tlw]|out-string|out-host|out-null|write-output|echo|write|write-host|write-verbose|write-warning|test-path|resolve-path|split-path|join-path|set-location|cd|sl|chdir|push-location|pushd|pop-location|popd|ls|dir|gci|cat|gc|type|pwd|gl|compare-object|diff|convertto-.*|convertfrom-.*|start-sleep|sleep|clear-host|cls|group-object|group|tee-object|new-object|test-connection|measure-command|gal|gcm|gm|gps|ps|gsv|gv|history|h)$/;
const WEB = /^(invoke-webrequest|iwr|invoke-restmethod|irm|curl|wget|start-bitstransfer)$/;

function statement(tokens: Token[], options: ClassifyOptions, depth: number, nested: Nested): Finding[] {
  let t = tokens;
  const called = !!t[0] && (t[0].text === '&' || t[0].text === '.');
  if (called) t = t.slice(1);
  if (t[0]?.text.startsWith('$') && t[1] && /^[+\-*/]?=$/.test(t[1].text)) t = t.slice(2);
  // Without the call operator, a statement that starts with a variable is an expression, not a command.
  if (!called && t[0]?.dynamic && t[0].text.startsWith('$') && t.length === 1) return [safe('expression')];
  if (t.length === 0) return [];
  const findings: Finding[] = [];
  for (let i = 1; i < t.length; i++) {
    const m = /^(\d|\*)?(>>?)(.*)$/.exec(t[i]!.text);
    if (m && !t[i]!.quoted) {
      const target = m[3] || t[i + 1]?.text || '';
      if (!/^\$null$|^nul$/i.test(target) && !/^&\d$/.test(target)) findings.push(m[2] === '>>' ? unsure(`appends to ${target}`) : destructive(`truncating redirect onto ${target}`));
    }
  }
  const head = t[0]!;
  if (head.dynamic) return [...findings, unsure(`command name known only at run time (${head.text})`)];
  const name = head.text.toLowerCase().replace(/\.exe$/, '');
  const args = t.slice(1);
  const has = (re: RegExp) => args.some((a) => !a.quoted && re.test(a.text));
  if (REMOVE.has(name)) return [...findings, destructive(has(/^-r(e(c(u(r(s(e)?)?)?)?)?)?$/i) ? 'Remove-Item -Recurse deletes folders' : 'Remove-Item deletes files')];
  if (name in DESTRUCTIVE) return [...findings, DESTRUCTIVE[name] ? destructive(`${head.text} ${DESTRUCTIVE[name]}`) : safe(head.text)];
  if (name === 'invoke-expression' || name === 'iex') {
    const body = args.map((a) => a.text).join(' ');
    if (args.length === 0 || args.some((a) => a.dynamic)) return [...findings, destructive('Invoke-Expression of text built at run time')];
    return [...findings, ...nested(body, 'powershell', options, depth + 1)];
  }
  if (name === 'start-process' || name === 'saps' || name === 'start') return [...findings, has(/^runas$/i) ? destructive('Start-Process -Verb RunAs (elevation)') : unsure('Start-Process runs a program')];
  if (WEB.test(name)) return [...findings, has(/^-(method|infile|body)$/i) ? destructive(`${head.text} sends data to a network host`) : unsure(`${head.text} fetches from the network`)];
  if (/^(add-content|ac|new-item|ni|mkdir|md|copy-item|copy|cp|cpi|move-item|move|mv|mi|rename-item|ren|rni|set-item|si|set-itemproperty|sp|import-module|ipmo|install-module|install-package)$/.test(name)) return [...findings, unsure(`${head.text} changes files or settings`)];
  if (SAFE.test(name)) return findings.length ? findings : [safe(`${head.text} only reads`)];
  if (/^[a-z]+-[a-z]+$/.test(name)) return [...findings, unsure(`unknown cmdlet: ${head.text}`)];
  // A native program: let the bash rules judge it, with each token quoted as one word.
  const quote = (x: Token) => (x.dynamic ? `"${x.text.replace(/"/g, '\\"')}"` : `'${x.text.replace(/'/g, `'\\''`)}'`);
  return [...findings, ...nested(t.map(quote).join(' '), 'bash', options, depth + 1)];
}

export function classifyPowerShell(text: string, options: ClassifyOptions, depth: number, nested: Nested): Finding[] {
  if (depth > 6) return [unsure('commands nested too deep to read')];
  if (/-(e|ec|en|enc|encodedcommand)\s/i.test(text) && /\b(powershell|pwsh)\b/i.test(text)) return [destructive('runs an encoded PowerShell command (obfuscated)')];
  const findings = psStatements(text).flatMap((s) => statement(s, options, depth, nested));
  if (/FromBase64String|\[char\]\s*\d|-join\s*\(|DownloadString|DownloadFile|Net\.WebClient/i.test(text)) findings.push(destructive('decodes, assembles or downloads code (obfuscation or remote code)'));
  return findings.length ? findings : [text.trim() ? safe('nothing runs') : unsure('empty command')];
}
