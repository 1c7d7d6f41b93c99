import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveWorkspaceFile } from '../../../src/vscode/workspacePath';

suite('workspace file links are confined to the workspace folders', () => {
  let root: string;
  let ws: string;
  let other: string;
  suiteSetup(() => {
    root = mkdtempSync(join(tmpdir(), 'sb-ws-'));
    ws = join(root, 'ws');
    other = join(root, 'other');
    mkdirSync(join(ws, 'src'), { recursive: true });
    mkdirSync(other);
    writeFileSync(join(ws, 'src', 'a.ts'), 'export {};\n');
    writeFileSync(join(other, 'secret.txt'), 'x');
    symlinkSync(join(other, 'secret.txt'), join(ws, 'src', 'link-out.txt'));
    symlinkSync(other, join(ws, 'outdir'));
  });
  suiteTeardown(() => rmSync(root, { recursive: true, force: true }));

  test('relative and absolute paths to files inside a folder resolve', async () => {
    assert.equal(await resolveWorkspaceFile([ws], 'src/a.ts'), join(ws, 'src', 'a.ts'));
    assert.equal(await resolveWorkspaceFile([ws], './src/../src/a.ts'), join(ws, 'src', 'a.ts'));
    assert.equal(await resolveWorkspaceFile([ws], join(ws, 'src', 'a.ts')), join(ws, 'src', 'a.ts'));
    assert.equal(await resolveWorkspaceFile([other, ws], 'src/a.ts'), join(ws, 'src', 'a.ts'), 'the second folder is tried');
  });

  test('paths that leave the folder, links that lead out, folders, missing files and NUL are refused', async () => {
    for (const path of ['../other/secret.txt', join(other, 'secret.txt'), 'src/link-out.txt', 'outdir/secret.txt', 'src', 'src/missing.ts', 'src/a.ts\0x', '/etc/passwd', '']) {
      assert.equal(await resolveWorkspaceFile([ws], path), undefined, JSON.stringify(path));
    }
    assert.equal(await resolveWorkspaceFile([], 'src/a.ts'), undefined, 'no folder open');
  });
});
