import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeadTailBuffer } from '../../../src/chat/tools/outputBuffer';
import { runCommand, shellCommand } from '../../../src/chat/tools/runProcess';
import { makeFolder, removeFolder } from './tempWorkspace';

/** Alive and not a zombie (a zombie has exited; only its parent's reaping is left). */
function isAlive(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (existsSync('/proc/self/stat')) {
    try {
      return readFileSync(stat, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilDead(pids: number[]): Promise<number[]> {
  for (let i = 0; i < 500; i++) {
    if (!pids.some(isAlive)) return [];
    await new Promise((r) => setTimeout(r, 20));
  }
  return pids.filter(isAlive);
}

/** Starts two background sleeps (grandchildren of the runner) and reports their pids through onOutput. */
function startTree(dir: string, extra: { timeoutMs?: number; signal?: AbortSignal } = {}) {
  let seen = '';
  let resolvePids: (pids: number[]) => void = () => undefined;
  const pids = new Promise<number[]>((r) => (resolvePids = r));
  const run = runCommand('sleep 100 & echo "pid $!"; sleep 100 & echo "pid $!"; wait', {
    cwd: dir,
    ...extra,
    onOutput: (chunk) => {
      seen += chunk;
      const found = [...seen.matchAll(/pid (\d+)\n/g)].map((m) => Number(m[1]));
      if (found.length === 2) resolvePids(found);
    },
  });
  // If the run ends before both pids were printed, say so instead of waiting for ever.
  const started = Promise.race([pids, run.done.then((r) => assert.fail(`the command ended before both sleeps started: ${JSON.stringify(r)}`))]);
  return { run, pids: started };
}

suite('running a command through the shell', () => {
  let dir: string;
  setup(() => {
    dir = makeFolder({ 'hello.txt': 'hi\n' });
  });
  teardown(() => removeFolder(dir));

  test('runs in the given folder and reports the exit code', async () => {
    const ok = await runCommand('cat hello.txt', { cwd: dir }).done;
    assert.deepEqual(ok, { exitCode: 0, signal: null, timedOut: false, killed: false, output: 'hi\n', truncated: false });
    assert.equal((await runCommand('exit 3', { cwd: dir }).done).exitCode, 3);
  });

  test('a process ended by a signal reports the signal and no exit code', async () => {
    const r = await runCommand('kill -TERM $$', { cwd: dir }).done;
    assert.deepEqual([r.exitCode, r.signal], [null, 'SIGTERM']);
  });

  test('stdout and stderr both land in the output', async () => {
    const r = await runCommand('echo to-out; echo to-err >&2; exit 1', { cwd: dir }).done;
    assert.equal(r.exitCode, 1);
    assert.deepEqual(r.output.split('\n').filter(Boolean).sort(), ['to-err', 'to-out']);
  });

  test('output streams to onOutput while the command still runs', async () => {
    // The command waits for a file the test writes only once the first line arrived: output that came only at
    // the end would leave it waiting for ever.
    const chunks: string[] = [];
    const run = runCommand('echo first; while [ ! -f go ]; do sleep 0.02; done; echo second', {
      cwd: dir,
      onOutput: (c) => {
        chunks.push(c);
        if (chunks.join('').includes('first\n')) writeFileSync(join(dir, 'go'), '');
      },
    });
    const r = await run.done;
    assert.equal(r.output, 'first\nsecond\n');
    assert.equal(chunks.join(''), 'first\nsecond\n');
  });

  test('the environment given is the one the command sees', async () => {
    const r = await runCommand('echo "$SWITCHBOARD_TEST_VALUE"', { cwd: dir, env: { PATH: process.env.PATH, SWITCHBOARD_TEST_VALUE: 'from-test' } }).done;
    assert.equal(r.output, 'from-test\n');
  });

  test('multi-byte characters split across writes arrive whole', async () => {
    const chunks: string[] = [];
    const r = await runCommand("printf '\\303'; sleep 0.05; printf '\\251\\342\\202'; sleep 0.05; printf '\\254'", { cwd: dir, onOutput: (c) => chunks.push(c) }).done;
    assert.equal(r.output, 'é€');
    assert.equal(chunks.join(''), 'é€');
    assert.ok(chunks.every((c) => !c.includes('\uFFFD')));
  });

  test('output over the cap keeps the head and the tail with the number of bytes cut', async () => {
    const r = await runCommand("echo START; head -c 300000 /dev/zero | tr '\\0' x; echo; echo END", { cwd: dir, outputCapBytes: 1000 }).done;
    assert.ok(r.truncated);
    assert.ok(r.output.startsWith('START\nxxx'));
    assert.ok(r.output.endsWith('xxx\nEND\n'));
    const total = 'START\n'.length + 300000 + '\nEND\n'.length;
    assert.match(r.output, new RegExp(`\\n… ${total - 1000} bytes cut …\\n`));
  });

  test('a missing folder or shell is reported, not thrown', async () => {
    const r = await runCommand('true', { cwd: join(dir, 'missing') }).done;
    assert.match(r.error ?? '', /the working folder .* does not exist/);
    const s = await runCommand('true', { cwd: dir, shell: join(dir, 'no-such-shell') }).done;
    assert.match(s.error ?? '', /could not start .*no-such-shell/);
  });

  test('the shell line: sh -c on POSIX, cmd.exe /d /s /c and PowerShell -Command on Windows', () => {
    assert.deepEqual(shellCommand('ls', '/bin/bash'), ['/bin/bash', ['-c', 'ls'], false]);
    assert.deepEqual(shellCommand('dir', 'C:\\Windows\\System32\\cmd.exe'), ['C:\\Windows\\System32\\cmd.exe', ['/d', '/s', '/c', '"dir"'], true]);
    assert.deepEqual(shellCommand('ls', 'pwsh'), ['pwsh', ['-NoProfile', '-NonInteractive', '-Command', 'ls'], false]);
  });
});

suite('stopping a command kills its whole process tree', () => {
  let dir: string;
  setup(() => {
    dir = makeFolder();
  });
  teardown(() => removeFolder(dir));

  test('a timeout kills the shell and both background grandchildren', async () => {
    const { run, pids } = startTree(dir, { timeoutMs: 1500 });
    const children = await pids;
    const r = await run.done;
    assert.deepEqual([r.timedOut, r.killed, r.exitCode, r.signal], [true, false, null, 'SIGKILL']);
    assert.deepEqual(await waitUntilDead(children), [], 'no grandchild survives');
  });

  test('kill() ends the tree at once', async () => {
    const { run, pids } = startTree(dir);
    const children = await pids;
    run.kill();
    const r = await run.done;
    assert.deepEqual([r.killed, r.timedOut], [true, false]);
    assert.deepEqual(await waitUntilDead(children), []);
  });

  test('an abort signal ends the tree; an already aborted signal starts nothing', async () => {
    const controller = new AbortController();
    const { run, pids } = startTree(dir, { signal: controller.signal });
    const children = await pids;
    controller.abort();
    assert.equal((await run.done).killed, true);
    assert.deepEqual(await waitUntilDead(children), []);
    const marker = join(dir, 'ran');
    const never = await runCommand(`touch "${marker}"`, { cwd: dir, signal: AbortSignal.abort() }).done;
    assert.equal(never.killed, true);
    assert.equal(existsSync(marker), false);
  });

  test('a background child that outlives the shell and holds the output open is killed at the timeout', async () => {
    let pid = 0;
    const run = runCommand('sleep 100 & echo "pid $!"', { cwd: dir, timeoutMs: 1500, onOutput: (c) => (pid ||= Number(/pid (\d+)/.exec(c)?.[1] ?? 0)) });
    const r = await run.done;
    assert.equal(r.timedOut, true);
    assert.ok(pid > 0);
    assert.deepEqual(await waitUntilDead([pid]), []);
  });
});

suite('head-and-tail output buffer', () => {
  test('keeps whole characters at both cuts and counts the bytes dropped', () => {
    const b = new HeadTailBuffer(11);
    for (const piece of ['ab€', '€€€€', 'éé', 'zz€']) b.push(piece);
    const text = b.text();
    assert.ok(!text.includes('\uFFFD'));
    const [head, rest] = text.split('\n… ');
    const tail = rest.split(' bytes cut …\n')[1];
    assert.equal(head, 'ab€');
    assert.equal(tail, 'zz€');
    const total = Buffer.byteLength('ab€€€€€éézz€');
    assert.equal(b.cut, total - Buffer.byteLength(head) - Buffer.byteLength(tail));
  });

  test('under the cap the text is whole and nothing is cut', () => {
    const b = new HeadTailBuffer(100);
    b.push('hello ');
    b.push('world');
    assert.equal(b.text(), 'hello world');
    assert.equal(b.cut, 0);
  });
});
