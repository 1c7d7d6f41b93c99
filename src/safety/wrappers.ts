/**
 * Wrappers that run another command: `env`, `sudo`, `timeout`, `nice`, `nohup`, `stdbuf`, `xargs`, `command`,
 * `exec`, `busybox`, `time`, `watch`, ... Each strips its own options and hands back the command it runs,
 * with findings of its own (`sudo` is destructive by itself: it runs with root privileges).
 */
import { destructive, safe, unsure, type Finding } from './types';
import { literalWord, type Word } from './words';

export interface Unwrapped {
  words: Word[];
  findings: Finding[];
  /** The wrapped command's stdin is no longer what the pipeline fed the wrapper (xargs). */
  stdinLost?: boolean;
  /** The wrapper runs its words through a shell (`watch`, `env -S`, `flock -c`): classify them as text. */
  shellText?: string;
}

/** Skips options; `withValue` lists options that take the next word. Returns the index of the first operand. */
function skipOptions(words: Word[], start: number, withValue: Set<string>): number {
  let i = start;
  for (; i < words.length; i++) {
    const t = words[i]!.text;
    if (t === '--') return i + 1;
    if (!t.startsWith('-') || t === '-') return i;
    if (withValue.has(t)) i++;
  }
  return i;
}

const set = (...xs: string[]): Set<string> => new Set(xs);

type Unwrapper = (words: Word[]) => Unwrapped | undefined;

const simple = (withValue: Set<string>, leadingOperands = 0): Unwrapper => (words) => {
  const i = skipOptions(words, 1, withValue) + leadingOperands;
  return { words: words.slice(i), findings: [] };
};

const env: Unwrapper = (words) => {
  let i = 1;
  for (; i < words.length; i++) {
    const t = words[i]!.text;
    if (t === '-S' || t === '--split-string' || t.startsWith('--split-string=')) {
      const s = t.includes('=') ? t.split('=').slice(1).join('=') : words[i + 1]?.text ?? '';
      return { words: [], findings: [], shellText: [s, ...words.slice(i + (t.includes('=') ? 1 : 2)).map((w) => w.text)].join(' ') };
    }
    if (t === '-u' || t === '-C' || t === '--unset' || t === '--chdir') i++;
    else if (t === '--') continue;
    else if (!t.startsWith('-') && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(t)) break;
  }
  return { words: words.slice(i), findings: [] };
};

const privileged: Unwrapper = (words) => {
  const i = skipOptions(words, 1, set('-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '--user', '--group', '--chdir'));
  let rest = words.slice(i);
  while (rest[0] && /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[0].text)) rest = rest.slice(1);
  return { words: rest, findings: [destructive(`runs with root privileges (${words[0]!.text})`)] };
};

const xargs: Unwrapper = (words) => {
  const i = skipOptions(words, 1, set('-I', '-i', '-n', '-P', '-d', '-E', '-e', '-L', '-l', '-s', '-a', '--arg-file', '--delimiter', '--max-args', '--max-procs', '--replace', '--max-lines', '--eof', '--max-chars', '--process-slot-var'));
  const inner = words.slice(i);
  return { words: inner.length ? inner : [literalWord('echo')], findings: [], stdinLost: true };
};

const command: Unwrapper = (words) => {
  if (words.slice(1).some((w) => w.text === '-v' || w.text === '-V')) return { words: [], findings: [safe('command -v looks a name up')] };
  return simple(set())(words);
};

const watch: Unwrapper = (words) => {
  const i = skipOptions(words, 1, set('-n', '--interval', '-d', '-q', '--equexit', '-g'));
  return { words: [], findings: [], shellText: words.slice(i).map((w) => w.text).join(' ') };
};

const flock: Unwrapper = (words) => {
  const c = words.findIndex((w) => w.text === '-c' || w.text === '--command');
  if (c > 0) return { words: [], findings: [], shellText: words[c + 1]?.text ?? '' };
  const i = skipOptions(words, 1, set('-w', '--timeout', '-E', '--conflict-exit-code'));
  return { words: words.slice(i + 1), findings: [] };
};

export const WRAPPERS: Record<string, Unwrapper> = {
  env,
  sudo: privileged, doas: privileged, pkexec: privileged, runuser: privileged, run0: privileged,
  timeout: simple(set('-s', '--signal', '-k', '--kill-after'), 1),
  nice: simple(set('-n', '--adjustment')),
  renice: () => ({ words: [], findings: [unsure('renice changes process priority')] }),
  ionice: simple(set('-c', '-n', '-p', '-P', '-u', '--class', '--classdata')),
  nohup: simple(set()),
  setsid: simple(set()),
  stdbuf: simple(set('-i', '-o', '-e', '--input', '--output', '--error')),
  unbuffer: simple(set()),
  caffeinate: simple(set('-t', '-w')),
  chrt: simple(set(), 1),
  taskset: simple(set(), 1),
  time: simple(set('-f', '--format', '-o', '--output')),
  command,
  builtin: simple(set()),
  exec: simple(set('-a')),
  xargs,
  npx: simple(set('-p', '--package', '-c', '--call', '--cache', '--registry')),
  bunx: simple(set('-p', '--package')),
  pnpx: simple(set('-p', '--package')),
  busybox: (words) => ({ words: words.slice(1), findings: [] }),
  watch,
  flock,
  strace: simple(set('-o', '-e', '-p', '-s', '-u', '-E', '-P', '-I', '-b', '-O', '-S', '-X', '-a')),
  ltrace: simple(set('-o', '-e', '-p', '-s', '-u', '-a', '-n')),
  chroot: (words) => ({ words: words.slice(skipOptions(words, 1, set('--userspec', '--groups')) + 1), findings: [destructive('chroot runs with root privileges')] }),
};
