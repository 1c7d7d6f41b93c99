import { strict as assert } from 'node:assert';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { resolveInWorkspace } from '../../../src/chat/tools/confinement';
import { excludeMatcher } from '../../../src/chat/tools/glob';
import { nodeFileSystem as fs } from '../../../src/chat/tools/nodeFileSystem';
import { makeFolder, removeFolder } from './tempWorkspace';

async function resolvedOk(path: string, roots: string[], opts = {}) {
  const r = await resolveInWorkspace(path, roots, fs, opts);
  assert.ok(r.ok, `expected ${path} to resolve, got: ${r.ok ? '' : r.error}`);
  return r.path;
}
async function refused(path: string, roots: string[], opts = {}): Promise<string> {
  const r = await resolveInWorkspace(path, roots, fs, opts);
  assert.ok(!r.ok, `expected ${path} to be refused, got ${r.ok ? r.path.absolute : ''}`);
  return r.error;
}

suite('confinement: paths the model sends stay inside the workspace folders', () => {
  let root: string;
  let outside: string;
  setup(() => {
    root = makeFolder({ 'src/a.ts': 'a', 'README.md': 'r', '.git/config': '[core]', 'node_modules/x/i.js': 'x' });
    outside = makeFolder({ 'secret.txt': 's' }, 'elsewhere');
  });
  teardown(() => {
    removeFolder(root);
    removeFolder(outside);
  });

  test('a relative path resolves against the folder, with its relative form for the card', async () => {
    const p = await resolvedOk('src/a.ts', [root]);
    assert.equal(p.absolute, join(root, 'src', 'a.ts'));
    assert.equal(p.relative, 'src/a.ts');
    assert.equal(p.root, root);
    assert.equal((await resolvedOk('./src/../README.md', [root])).relative, 'README.md');
  });

  test('.. that leads out of the folder is refused, however it is spelled', async () => {
    assert.match(await refused('../elsewhere/secret.txt', [root]), /leads out of the workspace folder/);
    assert.match(await refused('src/../../x', [root]), /leads out/);
    assert.match(await refused('src\\..\\..\\x', [root]), /leads out/);
  });

  test('an absolute path is accepted inside the folder and refused outside it', async () => {
    assert.equal((await resolvedOk(join(root, 'src', 'a.ts'), [root])).relative, 'src/a.ts');
    assert.match(await refused(join(outside, 'secret.txt'), [root]), /is outside the workspace/);
    assert.match(await refused('/etc/passwd', [root]), /outside the workspace/);
    assert.match(await refused('C:\\Windows\\win.ini', [root]), /outside the workspace/);
  });

  test('Windows-style separators are read as folder separators', async () => {
    assert.equal((await resolvedOk('src\\a.ts', [root])).relative, 'src/a.ts');
  });

  test('a symlink to a file outside the workspace is refused, one inside is followed to its target', async () => {
    symlinkSync(join(outside, 'secret.txt'), join(root, 'leak.txt'));
    symlinkSync(join(root, 'README.md'), join(root, 'readme-link.md'));
    assert.match(await refused('leak.txt', [root]), /symbolic link .* points out of the workspace/);
    assert.equal((await resolvedOk('readme-link.md', [root])).relative, 'README.md');
  });

  test('a new file under a symlinked folder that points outside is refused (its nearest existing parent decides)', async () => {
    symlinkSync(outside, join(root, 'out'));
    assert.match(await refused('out/new/file.txt', [root], { forWrite: true }), /points out of the workspace/);
    assert.equal((await resolvedOk('brand/new/file.txt', [root], { forWrite: true })).relative, 'brand/new/file.txt');
  });

  test('a dangling symlink is refused for writing, since its target could be anywhere', async () => {
    symlinkSync(join(outside, 'not-yet.txt'), join(root, 'dangling.txt'));
    assert.match(await refused('dangling.txt', [root], { forWrite: true }), /symbolic link whose target does not exist/);
  });

  test('.git is refused in any spelling, directly or through a symlink', async () => {
    assert.match(await refused('.git/config', [root]), /inside \.git/);
    assert.match(await refused('.GIT/config', [root]), /inside \.git/);
    assert.match(await refused('src/../.git/hooks/pre-commit', [root], { forWrite: true }), /inside \.git/);
    symlinkSync(join(root, '.git'), join(root, 'g'));
    assert.match(await refused('g/config', [root]), /inside \.git/);
  });

  test('files matched by files.exclude are refused, also below an excluded folder', async () => {
    const exclude = excludeMatcher({ '**/node_modules': true, '**/*.secret': true });
    assert.match(await refused('node_modules/x/i.js', [root], { exclude }), /excluded by the user's files\.exclude/);
    assert.match(await refused('keys.secret', [root], { exclude, forWrite: true }), /files\.exclude/);
    assert.equal((await resolvedOk('src/a.ts', [root], { exclude })).relative, 'src/a.ts');
  });

  test('writing over a folder is refused', async () => {
    assert.match(await refused('src', [root], { forWrite: true }), /is a folder/);
  });

  test('empty paths, NUL characters and no open folder are each refused with a reason', async () => {
    assert.match(await refused('', [root]), /the path is empty/);
    assert.match(await refused('a\0b', [root]), /NUL/);
    assert.match(await refused('a.ts', []), /no workspace folder is open/);
  });
});

suite('confinement with several workspace folders', () => {
  let app: string;
  let lib: string;
  setup(() => {
    app = makeFolder({ 'main.ts': 'm' }, 'app');
    lib = makeFolder({ 'util.ts': 'u' }, 'lib');
  });
  teardown(() => {
    removeFolder(app);
    removeFolder(lib);
  });

  test('a path starting with a folder name resolves in that folder; others resolve in the first', async () => {
    const p = await resolvedOk('lib/util.ts', [app, lib]);
    assert.equal(p.absolute, join(lib, 'util.ts'));
    assert.equal(p.relative, 'lib/util.ts');
    assert.equal(p.root, lib);
    const q = await resolvedOk('main.ts', [app, lib]);
    assert.equal(q.absolute, join(app, 'main.ts'));
    assert.equal(q.relative, 'app/main.ts');
  });

  test('absolute paths are accepted in any folder; a symlink from one folder into another stays allowed', async () => {
    assert.equal((await resolvedOk(join(lib, 'util.ts'), [app, lib])).root, lib);
    mkdirSync(join(app, 'links'));
    symlinkSync(join(lib, 'util.ts'), join(app, 'links', 'u.ts'));
    const p = await resolvedOk('links/u.ts', [app, lib]);
    assert.equal(p.root, lib);
    assert.equal(p.relative, 'lib/util.ts');
  });

  test('.. from one folder into a sibling folder is still an escape', async () => {
    assert.match(await refused('../lib/util.ts', [app, lib]), /leads out/);
  });
});
