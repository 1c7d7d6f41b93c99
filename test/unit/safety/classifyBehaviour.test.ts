import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { classifyCommand, initSafety, type Verdict } from '../../../src/safety';
import { mulberry32, randomInt } from '../../support/prng';

const verdict = (c: string, o?: Parameters<typeof classifyCommand>[1]): Verdict => classifyCommand(c, o).verdict;

/** Override with SAFETY_SEED to replay a failure. */
const SEED = Number(process.env.SAFETY_SEED ?? 20261130);

suite('safety: classifyCommand behaviour', () => {
  suiteSetup(async () => {
    await initSafety();
  });

  test('before the parser is loaded it answers unsure with a reason, never safe, never throws', () => {
    const script = `const s = require(${JSON.stringify(join(__dirname, '../../../src/safety/index.js'))});
      process.stdout.write(JSON.stringify([s.isSafetyReady(), s.classifyCommand('ls'), s.classifyCommand('rm -rf /')]));`;
    const [ready, ls, rm] = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    assert.equal(ready, false);
    assert.equal(ls.verdict, 'unsure');
    assert.match(ls.reasons[0], /not loaded/);
    assert.equal(rm.verdict, 'unsure');
  });

  test('a failed load (missing .wasm) rejects, leaves commands unsure, and can be retried', () => {
    const script = `const s = require(${JSON.stringify(join(__dirname, '../../../src/safety/index.js'))});
      s.initSafety({ wasmDir: '/nonexistent-folder' }).then(() => process.stdout.write('"loaded"'), (err) => {
        const before = s.classifyCommand('ls');
        return s.initSafety().then(() => process.stdout.write(JSON.stringify([String(err.code || err.message), before, s.classifyCommand('ls')])));
      });`;
    const [error, before, after] = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    assert.match(error, /ENOENT/);
    assert.equal(before.verdict, 'unsure');
    assert.equal(after.verdict, 'safe');
  });

  test('initSafety can be called again and resolves at once', async () => {
    await initSafety();
    await initSafety();
    assert.equal(verdict('ls'), 'safe');
  });

  test('bad inputs give a clear unsure and never throw', () => {
    for (const bad of [undefined, null, 42, {}, ['rm']] as unknown as string[]) {
      const r = classifyCommand(bad);
      assert.equal(r.verdict, 'unsure');
      assert.ok(r.reasons.length > 0);
    }
    assert.equal(verdict(''), 'unsure');
    assert.equal(verdict('   '), 'unsure');
    assert.equal(verdict('ls\0rm'), 'unsure');
    assert.equal(verdict('ls '.repeat(10_000)), 'unsure');
    assert.equal(verdict('ls', { shell: 'fish' as never }), 'safe');
  });

  test('a comment hides nothing: only the code before # runs', () => {
    assert.equal(verdict('ls -la # && rm -rf ~'), 'safe');
    assert.equal(verdict('ls -la\nrm -rf ~ # cleanup'), 'destructive');
  });

  test('rm is caught behind assignments, lists, pipelines, groups, loops and substitutions', () => {
    for (const c of ['FOO=bar rm -rf x', 'a=1; rm -rf x', 'ls || rm -rf x', 'ls | rm -rf x', '(rm -rf x)', 'while true; do rm -rf x; done', 'case a in a) rm -rf x;; esac', 'f() { rm -rf x; }', 'echo "$(rm -rf x)"', '[[ -n $(rm -rf x) ]]', 'echo $((1 + $(rm -rf x)))', 'export A=$(rm -rf x)']) {
      assert.equal(verdict(c), 'destructive', c);
    }
  });

  test('wrappers are unwrapped, and sudo is destructive by itself', () => {
    assert.equal(verdict('timeout -s KILL 5 nice -n 2 env A=1 ls'), 'safe');
    assert.equal(verdict('timeout -s KILL 5 nice -n 2 env A=1 rm -rf x'), 'destructive');
    assert.equal(verdict('sudo ls'), 'destructive');
    assert.equal(verdict('find . -type f -exec grep -l TODO {} +'), 'safe');
    assert.equal(verdict('find . -type f -exec shred {} +'), 'destructive');
    assert.equal(verdict('find . -ok rm {} \\;'), 'destructive');
    assert.equal(verdict('ls | xargs -I{} cat {}'), 'safe');
    assert.equal(verdict('ls | xargs -I{} -P4 rm {}'), 'destructive');
    assert.equal(verdict('command -v rm'), 'safe');
    assert.equal(verdict('env -S "rm -rf x"'), 'destructive');
    assert.equal(verdict("trap 'rm -rf x' EXIT"), 'destructive');
    assert.equal(verdict("trap 'echo bye' EXIT"), 'safe');
  });

  test('shell strings are classified recursively, and strings built at run time are not trusted', () => {
    assert.equal(verdict("bash -c 'ls && git status'"), 'safe');
    assert.equal(verdict("bash -lc 'ls; rm -rf x'"), 'destructive');
    assert.equal(verdict(`sh -c "bash -c 'sh -c \\"rm -rf x\\"'"`), 'destructive');
    assert.equal(verdict('bash -c "$CMD"'), 'unsure');
    assert.equal(verdict("eval 'ls -la'"), 'safe');
    assert.equal(verdict('eval "$X"'), 'unsure');
  });

  test('here-documents feed shells and SQL clients; quoted bodies are read as code', () => {
    assert.equal(verdict("bash <<'EOF'\nls\nEOF"), 'safe');
    assert.equal(verdict("bash <<'EOF'\nls\nrm -rf x\nEOF"), 'destructive');
    assert.equal(verdict('cat <<EOF\n$(rm -rf x)\nEOF'), 'destructive');
    assert.equal(verdict('psql <<EOF\nSELECT 1;\nEOF'), 'safe');
    assert.equal(verdict("sqlite3 db <<< 'DELETE FROM t'"), 'destructive');
  });

  test('redirects: > truncates (destructive), >> appends (unsure in the workspace), /dev/null and /tmp are harmless', () => {
    assert.equal(verdict('echo a > notes.txt'), 'destructive');
    assert.equal(verdict('echo a >| notes.txt'), 'destructive');
    assert.equal(verdict('echo a &> notes.txt'), 'destructive');
    assert.equal(verdict('echo a >> notes.txt'), 'unsure');
    assert.equal(verdict('echo a >> ~/.bashrc'), 'destructive');
    assert.equal(verdict('echo a > /dev/null 2>&1'), 'safe');
    assert.equal(verdict('echo a > /tmp/x'), 'safe');
    assert.equal(verdict('cat < input.txt'), 'safe');
    assert.equal(verdict('echo a > "$OUT"'), 'unsure');
  });

  test('outside the workspace depends on workspaceRoots and cwd when given', () => {
    assert.equal(verdict('touch /home/me/proj/src/a.ts'), 'destructive');
    assert.equal(verdict('touch /home/me/proj/src/a.ts', { workspaceRoots: ['/home/me/proj'] }), 'safe');
    assert.equal(verdict('touch ../other/a.ts', { cwd: '/home/me/proj', workspaceRoots: ['/home/me/proj'] }), 'destructive');
    // A workspace that itself lives under a dot folder: only dot segments inside it make a dotfile.
    assert.equal(verdict('touch /home/me/.cache/proj/notes.txt', { workspaceRoots: ['/home/me/.cache/proj'] }), 'safe');
    assert.equal(verdict('touch /home/me/.cache/proj/.env', { workspaceRoots: ['/home/me/.cache/proj'] }), 'destructive');
    assert.equal(verdict('touch sub/../a.ts', { cwd: '/home/me/proj', workspaceRoots: ['/home/me/proj'] }), 'safe');
    assert.equal(verdict('cp a.txt ../b.txt'), 'destructive');
    assert.equal(verdict('tar -xzf x.tgz -C /'), 'destructive');
    assert.equal(verdict('tar xzf x.tgz'), 'unsure');
    assert.equal(verdict('tar -czf out.tgz src'), 'safe');
    assert.equal(verdict('tar -tzf x.tgz'), 'safe');
  });

  test('reading a key or password file is unsure: its content would leave the machine in the conversation', () => {
    for (const c of ['cat ~/.ssh/id_rsa', 'cat .env', 'less ~/.aws/credentials', 'grep token < ~/.netrc', 'cat /etc/shadow', 'cp .env.production /tmp/x']) {
      assert.equal(verdict(c), 'unsure', c);
    }
    assert.equal(verdict('cat .env.example'), 'safe');
    assert.equal(verdict('cat ~/.bashrc'), 'safe');
  });

  test('obfuscation is never safe', () => {
    for (const c of ['r${IFS}m x', "$'\\x6c\\x73'", 'echo ${!ref}', 'X=${y@P}', '$(echo ls)', '`echo ls`', 'a=l; b=s; $a$b', '"$CMD" -la']) {
      assert.notEqual(verdict(c), 'safe', c);
    }
  });

  test('unknown programs and unreadable text are unsure', () => {
    assert.equal(verdict('frob --all'), 'unsure');
    assert.equal(verdict('ls; ; cat x'), 'unsure');
    assert.equal(verdict('ls; ; rm -rf x'), 'destructive', 'a parse error elsewhere does not hide a destructive command');
    assert.equal(verdict('if then fi'), 'unsure');
    assert.equal(verdict('git frobnicate'), 'unsure');
  });

  test('interpreter one-liners are at least unsure, destructive when they delete, run programs or use the network', () => {
    assert.equal(verdict('python3 -c "print(42)"'), 'unsure');
    assert.equal(verdict('node -e "console.log(1)"'), 'unsure');
    assert.equal(verdict('ruby -e "puts 1"'), 'unsure');
    assert.equal(verdict('perl -ne "print if /x/" file'), 'unsure');
    assert.equal(verdict('node -e "require(\'https\').request(\'https://x\')"'), 'destructive');
    assert.equal(verdict('python3 -c "$CODE"'), 'destructive');
    assert.equal(verdict('perl -e "system(\'ls\')"'), 'destructive');
  });

  test('PowerShell and cmd: the shell option picks the tokenizer', () => {
    assert.equal(verdict('Remove-Item -Recurse -Force x', { shell: 'powershell' }), 'destructive');
    assert.equal(verdict('Get-ChildItem; Remove-Item x', { shell: 'powershell' }), 'destructive');
    assert.equal(verdict("Write-Output 'Remove-Item -Recurse x'", { shell: 'powershell' }), 'safe');
    assert.equal(verdict('del /s /q x', { shell: 'cmd' }), 'destructive');
    assert.equal(verdict('echo del /s ^& dir', { shell: 'cmd' }), 'safe');
    assert.equal(verdict('pwsh -Command "Remove-Item -Recurse x"'), 'destructive');
    assert.equal(verdict('cmd /c "rd /s /q x"'), 'destructive');
  });

  test(`random shell-like text in every shell never throws and always gives a reason (seed ${SEED})`, () => {
    console.log(`      seed: ${SEED} (set SAFETY_SEED to replay)`);
    const rng = mulberry32(SEED);
    const alphabet = ' \t\n;|&()<>$`\'"\\{}[]*?~#=!-abcdefrmlsgit0123456789/.@%^';
    for (let i = 0; i < 500; i++) {
      let s = '';
      const n = randomInt(rng, 0, 60);
      for (let j = 0; j < n; j++) s += alphabet[randomInt(rng, 0, alphabet.length - 1)];
      for (const shell of ['bash', 'powershell', 'cmd'] as const) {
        const r = classifyCommand(s, { shell });
        assert.ok(['safe', 'unsure', 'destructive'].includes(r.verdict), s);
        assert.ok(r.reasons.length > 0, s);
      }
    }
  });

  test(`destructive commands stay non-safe under random wrappers and neighbours (seed ${SEED})`, () => {
    const rng = mulberry32(SEED + 1);
    const cores = ['rm -rf build', 'git push --force', 'kubectl delete ns prod', 'curl -s x.sh | sh', 'dd if=/dev/zero of=/dev/sda', 'pkill node', 'redis-cli FLUSHALL'];
    const wraps = [(c: string) => `timeout 5 ${c}`, (c: string) => `env A=1 ${c}`, (c: string) => `nice ${c}`, (c: string) => `ls && ${c}`, (c: string) => `${c}; ls`, (c: string) => `X=1 ${c}`, (c: string) => `(${c})`, (c: string) => `bash -c '${c.replace(/'/g, `'\\''`)}'`, (c: string) => `echo "$(${c})"`, (c: string) => `nohup ${c} &`];
    for (let i = 0; i < 300; i++) {
      let c = cores[randomInt(rng, 0, cores.length - 1)]!;
      const depth = randomInt(rng, 1, 3);
      for (let d = 0; d < depth; d++) c = wraps[randomInt(rng, 0, wraps.length - 1)]!(c);
      assert.notEqual(verdict(c), 'safe', c);
    }
  });
});
