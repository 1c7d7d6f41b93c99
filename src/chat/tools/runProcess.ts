// Node: one command through the user's shell, in its own process group so a timeout or Stop kills everything it
// started (`make` and its compilers, `npm test` and its servers), with its output streamed and capped.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import * as nodePath from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { HeadTailBuffer } from './outputBuffer';
import { OUTPUT_CAP_BYTES, type CommandRun } from './types';

/** Options of runCommand. */
export interface RunOptions {
  cwd: string;
  /** Killed after this long (default 60 s). */
  timeoutMs?: number;
  /** Bytes of output kept for the model: the head and the tail (default OUTPUT_CAP_BYTES). */
  outputCapBytes?: number;
  env?: NodeJS.ProcessEnv;
  /** Live output, decoded, stdout and stderr interleaved as they arrive (stops at the cap with a note). */
  onOutput?: (chunk: string) => void;
  signal?: AbortSignal;
  /** The shell; default `/bin/sh` on POSIX, `%ComSpec%` (cmd.exe) on Windows. */
  shell?: string;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
/** How long the pipes may stay open after the process group was killed (a child that left the group). */
const DRAIN_AFTER_KILL_MS = 500;
const IS_WINDOWS = process.platform === 'win32';
type Result = Awaited<CommandRun['done']>;

/** Runs `command` through a shell; never throws (a failure to start is reported in `done`). */
export function runCommand(command: string, opts: RunOptions): CommandRun {
  const buffer = new HeadTailBuffer(opts.outputCapBytes ?? OUTPUT_CAP_BYTES);
  const result = (extra: Partial<Result>): Result => ({ exitCode: null, signal: null, timedOut: false, killed: false, output: buffer.text(), truncated: buffer.cut > 0, ...extra });
  const problem = checkCwd(opts.cwd);
  if (problem) return { done: Promise.resolve(result({ error: problem })), kill: () => undefined };
  if (opts.signal?.aborted) return { done: Promise.resolve(result({ killed: true })), kill: () => undefined };

  const [file, args, verbatim] = shellCommand(command, opts.shell);
  let child: ChildProcess;
  try {
    child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group on POSIX, so one kill reaches the grandchildren; Windows uses taskkill /T.
      detached: !IS_WINDOWS,
      windowsHide: true,
      windowsVerbatimArguments: verbatim,
    });
  } catch (e) {
    return { done: Promise.resolve(result({ error: `could not start ${file}: ${(e as Error).message}` })), kill: () => undefined };
  }

  let timedOut = false;
  let killed = false;
  let streamed = 0;
  const liveCap = opts.outputCapBytes ?? OUTPUT_CAP_BYTES;
  const emit = (text: string) => {
    buffer.push(text);
    if (!opts.onOutput || streamed > liveCap) return;
    streamed += Buffer.byteLength(text);
    opts.onOutput(text);
    if (streamed > liveCap) opts.onOutput(`\n… live output stops here; the end is kept for when the command finishes …\n`);
  };
  for (const stream of [child.stdout, child.stderr]) {
    const decoder = new StringDecoder('utf8');
    stream?.on('data', (chunk: Buffer) => emit(decoder.write(chunk)));
    stream?.on('end', () => emit(decoder.end()));
  }

  let drainTimer: NodeJS.Timeout | undefined;
  let closed = false;
  const killTree = () => {
    // The group outlives the shell while a background child runs, so only a closed run is left alone.
    if (child.pid === undefined || closed) return;
    if (IS_WINDOWS) spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true });
    else {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }
  };
  const kill = () => {
    if (timedOut || killed) return;
    killed = true;
    killTree();
  };
  const timer = setTimeout(() => {
    if (killed) return;
    timedOut = true;
    killTree();
  }, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  opts.signal?.addEventListener('abort', kill, { once: true });

  const done = new Promise<Result>((resolve) => {
    const finish = (r: Result) => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      clearTimeout(drainTimer);
      opts.signal?.removeEventListener('abort', kill);
      resolve(r);
    };
    child.once('error', (e) => {
      // Without a pid the process never started, and no 'close' may follow.
      if (child.pid === undefined) finish(result({ error: `could not start ${file}: ${e.message}` }));
    });
    child.once('exit', () => {
      // A process that left the group could hold the pipes open for ever; after a kill, stop waiting for it.
      if (timedOut || killed) drainTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, DRAIN_AFTER_KILL_MS);
    });
    child.once('close', (code, signal) => finish(result({ exitCode: code, signal, timedOut, killed })));
  });
  return { done, kill };
}

/** The shell's program and arguments for a command line, and whether Windows should pass them verbatim. */
export function shellCommand(command: string, shell?: string): [string, string[], boolean] {
  const file = shell ?? (IS_WINDOWS ? process.env.ComSpec || 'cmd.exe' : '/bin/sh');
  const name = nodePath.win32.basename(file).toLowerCase().replace(/\.exe$/, '');
  if (name === 'cmd') return [file, ['/d', '/s', '/c', `"${command}"`], true];
  if (name === 'powershell' || name === 'pwsh') return [file, ['-NoProfile', '-NonInteractive', '-Command', command], false];
  return [file, ['-c', command], false];
}

function checkCwd(cwd: string): string | undefined {
  try {
    if (!statSync(cwd).isDirectory()) return `the working folder ${cwd} is not a folder`;
  } catch {
    return `the working folder ${cwd} does not exist`;
  }
  return undefined;
}
