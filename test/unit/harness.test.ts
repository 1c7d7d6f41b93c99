import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const eslint = join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');
const fixtures = 'test/fixtures/lint';

/** Lints one fixture (fixtures are ignored by `npm run lint`, so they are linted here on purpose). */
function lint(file: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [eslint, '--no-ignore', `${fixtures}/${file}`], { cwd: root, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

suite('the layers, guarded by the linter', () => {
  test('a pure-layer file that imports vscode at runtime is refused', () => {
    const r = lint('pureLeak.ts');
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /Only src\/vscode\/ and src\/extension\.ts may import vscode at runtime/);
  });

  test('a type-only import of vscode is allowed', () => {
    const r = lint('typeOnly.ts');
    assert.equal(r.status, 0, r.out);
  });

  test('an import cycle is refused', () => {
    const r = lint('cycleA.ts');
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /Dependency cycle detected/);
  });
});
