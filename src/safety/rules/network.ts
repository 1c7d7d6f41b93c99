/** The network: uploads and remote shells are destructive (data leaves the machine); fetches are unsure. */
import { optionsOf, type Rule } from '../context';
import { destructive, unsure, type Finding } from '../types';

const UPLOAD_FLAGS = /^(-d|--data|--data-binary|--data-raw|--data-urlencode|--data-ascii|-F|--form|--form-string|-T|--upload-file|--json)$/;

const curl: Rule = (cmd) => {
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^(--[a-z-]+)=(.*)$/s.exec(a.text);
    const flag = m ? m[1]! : a.text;
    const value = m ? { ...a, text: m[2]! } : args[i + 1];
    if (/^-[a-zA-Z]*T/.test(a.text) && !a.text.startsWith('--')) return destructive('curl uploads a file');
    if (UPLOAD_FLAGS.test(flag) && value) {
      if (flag === '-T' || flag === '--upload-file') return destructive('curl uploads a file');
      if (value.text.startsWith('@') || /=@|<@?|@-/.test(value.text) || !value.literal) return destructive('curl sends a file, standard input or variables to a network host');
      return unsure('curl sends data to a network host');
    }
  }
  if (args.some((a) => !a.literal && /\$/.test(a.text) && !a.text.startsWith('-'))) return destructive('curl sends variables in a request');
  if (args.some((a) => /^(-X|--request)$/.test(a.text)) && args.some((a) => /^(POST|PUT|DELETE|PATCH)$/i.test(a.text))) return unsure('curl changes remote data');
  return unsure('curl fetches from the network');
};

const wget: Rule = (cmd) =>
  cmd.args.some((a) => /^--(post-file|body-file|post-data|method)/.test(a.text)) ? destructive('wget sends data to a network host') : unsure('wget downloads from the network');

/** `host:path` or `user@host:path` (not a Windows drive letter or a local path with a colon after a slash). */
const isRemote = (t: string): boolean => /^([\w.-]+@)?[\w.-]+:/.test(t) && !/^[A-Za-z]:[\\/]/.test(t) && !t.startsWith('/');

const copyRemote: Rule = (cmd) => {
  const o = optionsOf(cmd.args);
  const ops = o.operands.map((w) => w.text);
  const dest = ops[ops.length - 1] ?? '';
  if (cmd.name === 'rsync' && cmd.args.some((a) => a.text.startsWith('--delete') || a.text === '--remove-source-files')) return destructive('rsync deletes files (--delete)');
  if (ops.length >= 2 && (isRemote(dest) || /^rsync:\/\//.test(dest))) return destructive(`${cmd.name} sends files to another host`);
  return ops.slice(0, -1).some(isRemote) ? unsure(`${cmd.name} downloads files`) : unsure(`${cmd.name} copies files`);
};

const ssh: Rule = (cmd, ctx) => {
  const withValue = new Set(['-p', '-i', '-l', '-o', '-F', '-J', '-L', '-R', '-D', '-b', '-c', '-E', '-m', '-S', '-W', '-w', '-B', '-e', '-O', '-Q']);
  let i = 0;
  for (; i < cmd.args.length; i++) {
    const t = cmd.args[i]!.text;
    if (!t.startsWith('-')) break;
    if (withValue.has(t)) i++;
  }
  const remote = cmd.args.slice(i + 1);
  if (remote.length === 0) return unsure('ssh opens a remote shell');
  const findings: Finding[] = [unsure('ssh runs a command on another host')];
  if (remote.every((w) => w.literal)) findings.push(...ctx.nested(remote.map((w) => w.text).join(' '), 'bash'));
  return findings;
};

const netcat: Rule = (cmd) => {
  const s = cmd.stdin;
  if (s?.kind === 'commands' || (s?.kind === 'text' && s.text.length)) return destructive(`${cmd.name} sends data to a network host`);
  if (cmd.args.some((a) => a.text === '-e' || a.text === '-c' || /^exec:/i.test(a.text))) return destructive(`${cmd.name} serves a shell to the network`);
  return unsure(`${cmd.name} opens a network connection`);
};

export const networkRules: Record<string, Rule> = {
  curl, wget, http: curl, xh: curl,
  scp: copyRemote, rsync: copyRemote, sftp: copyRemote,
  ssh,
  nc: netcat, ncat: netcat, netcat: netcat, socat: netcat, telnet: netcat,
  ftp: () => unsure('ftp transfers files'),
  mail: () => destructive('sends mail'),
  sendmail: () => destructive('sends mail'),
};

