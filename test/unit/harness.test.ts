import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

suite('unit harness', () => {
  test('a unit test file that loads vscode at runtime fails the suite', () => {
    const root = join(__dirname, '..', '..', '..');
    const fixture = join(root, 'test', 'fixtures', 'harness', 'imports-vscode.test.js');
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'run-unit.mjs'), fixture], { cwd: root, encoding: 'utf8' });
    assert.notEqual(r.status, 0, `expected a failing exit, got ${r.status}\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout + r.stderr, /must not load 'vscode' at runtime/);
  });
});
