import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlanToDisk, planEdit, planWrite, type EditPlan, type PlanResult } from '../../../src/chat/tools/editTools';
import { OUTPUT_CAP_BYTES } from '../../../src/chat/tools/types';
import { contextFor, makeFolder, removeFolder } from './tempWorkspace';

function plan(r: PlanResult): EditPlan {
  assert.ok(r.ok, `expected a plan, got: ${r.ok ? '' : r.error}`);
  return r.plan;
}
function failure(r: PlanResult): string {
  assert.ok(!r.ok, 'expected the change to be refused');
  return r.error;
}

suite('edit_file: oldText must match exactly once', () => {
  let root: string;
  const source = 'function a() {\n  return 1;\n}\n\nfunction b() {\n  return 1;\n}\n';
  setup(() => {
    root = makeFolder({ 'src/f.ts': source });
  });
  teardown(() => removeFolder(root));

  test('one match: the new content, a unified diff with 3 lines of context, and nothing written yet', async () => {
    const p = plan(await planEdit({ path: 'src/f.ts', oldText: 'function b() {\n  return 1;', newText: 'function b() {\n  return 2;' }, contextFor([root])));
    assert.equal(p.newContent, source.replace('b() {\n  return 1;', 'b() {\n  return 2;'));
    assert.equal(p.diff, '--- a/src/f.ts\n+++ b/src/f.ts\n@@ -3,5 +3,5 @@\n }\n \n function b() {\n-  return 1;\n+  return 2;\n }\n');
    assert.deepEqual([p.existed, p.added, p.removed], [true, 1, 1]);
    assert.equal(readFileSync(join(root, 'src/f.ts'), 'utf8'), source, 'planning writes nothing');
  });

  test('several matches: says how many and at which lines', async () => {
    assert.match(failure(await planEdit({ path: 'src/f.ts', oldText: '  return 1;', newText: '  return 3;' }, contextFor([root]))),
      /oldText occurs 2 times in "src\/f\.ts" \(at lines 2, 6\): include more of the surrounding lines/);
  });

  test('no match: says so and shows the closest line', async () => {
    assert.match(failure(await planEdit({ path: 'src/f.ts', oldText: 'function c() {', newText: 'x' }, contextFor([root]))),
      /oldText was not found in "src\/f\.ts"\. The closest line to its first line is line 1: "function a\(\) \{"/);
  });

  test('no match because of indentation or copied line numbers: says which', async () => {
    assert.match(failure(await planEdit({ path: 'src/f.ts', oldText: 'function b() {\nreturn 1;', newText: 'x' }, contextFor([root]))),
      /matches at line 5 if indentation and trailing spaces are ignored/);
    assert.match(failure(await planEdit({ path: 'src/f.ts', oldText: '5\tfunction b() {\n6\t  return 1;', newText: 'x' }, contextFor([root]))),
      /include the line numbers read_file shows/);
  });

  test('a missing file, a binary file or a path outside the workspace is refused', async () => {
    writeFileSync(join(root, 'b.bin'), new Uint8Array([1, 0, 2]));
    assert.match(failure(await planEdit({ path: 'nope.ts', oldText: 'a', newText: 'b' }, contextFor([root]))), /does not exist: use write_file to create it/);
    assert.match(failure(await planEdit({ path: 'b.bin', oldText: 'a', newText: 'b' }, contextFor([root]))), /binary file/);
    assert.match(failure(await planEdit({ path: '/etc/hosts', oldText: 'a', newText: 'b' }, contextFor([root]))), /outside the workspace/);
  });

  test('a CRLF file keeps its line endings when the model sends LF', async () => {
    writeFileSync(join(root, 'w.txt'), 'one\r\ntwo\r\nthree\r\n');
    const p = plan(await planEdit({ path: 'w.txt', oldText: 'one\ntwo', newText: 'uno\ndos\ndos bis' }, contextFor([root])));
    assert.equal(p.newContent, 'uno\r\ndos\r\ndos bis\r\nthree\r\n');
    assert.equal(p.diff, '--- a/w.txt\n+++ b/w.txt\n@@ -1,3 +1,4 @@\n-one\r\n-two\r\n+uno\r\n+dos\r\n+dos bis\r\n three\r\n');
    const w = plan(await planWrite({ path: 'w.txt', content: 'a\nb\n' }, contextFor([root])));
    assert.equal(w.newContent, 'a\r\nb\r\n');
  });

  test('a byte-order mark survives an edit', async () => {
    writeFileSync(join(root, 'bom.txt'), '\uFEFFhello\nworld\n');
    const p = plan(await planEdit({ path: 'bom.txt', oldText: 'world', newText: 'there' }, contextFor([root])));
    assert.ok((await applyPlanToDisk(p)).ok);
    assert.deepEqual([...readFileSync(join(root, 'bom.txt')).subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  });
});

suite('write_file plans and applying plans', () => {
  let root: string;
  setup(() => {
    root = makeFolder({ 'old.txt': 'keep\nchange\n' });
  });
  teardown(() => removeFolder(root));

  test('a new file: a diff from /dev/null, and applying it creates the folders', async () => {
    const p = plan(await planWrite({ path: 'docs/new/a.md', content: '# A\n\ntext' }, contextFor([root])));
    assert.equal(p.existed, false);
    assert.equal(p.diff, '--- /dev/null\n+++ b/docs/new/a.md\n@@ -0,0 +1,3 @@\n+# A\n+\n+text\n\\ No newline at end of file\n');
    assert.deepEqual(await applyPlanToDisk(p), { ok: true });
    assert.equal(readFileSync(join(root, 'docs/new/a.md'), 'utf8'), '# A\n\ntext');
  });

  test('replacing a file with the same content gives an empty diff', async () => {
    const p = plan(await planWrite({ path: 'old.txt', content: 'keep\nchange\n' }, contextFor([root])));
    assert.deepEqual([p.diff, p.added, p.removed], ['', 0, 0]);
  });

  test('applying refuses when the file changed, or appeared, since the plan', async () => {
    const p = plan(await planWrite({ path: 'old.txt', content: 'new\n' }, contextFor([root])));
    writeFileSync(join(root, 'old.txt'), 'edited by the user\n');
    assert.deepEqual(await applyPlanToDisk(p), { ok: false, error: '"old.txt" changed since the diff was made: plan the change again' });
    const q = plan(await planWrite({ path: 'fresh.txt', content: 'x' }, contextFor([root])));
    writeFileSync(join(root, 'fresh.txt'), 'someone else');
    assert.deepEqual(await applyPlanToDisk(q), { ok: false, error: '"fresh.txt" was created since the diff was made: plan the change again' });
    assert.equal(readFileSync(join(root, 'fresh.txt'), 'utf8'), 'someone else');
  });

  test('a huge diff is cut at the cap on a line, with the number of lines not shown', async () => {
    const content = Array.from({ length: 20000 }, (_, i) => `line ${i}`).join('\n');
    const p = plan(await planWrite({ path: 'huge.txt', content }, contextFor([root])));
    assert.ok(p.diffTruncated);
    assert.ok(Buffer.byteLength(p.diff) <= OUTPUT_CAP_BYTES);
    assert.match(p.diff, /\n\[diff cut at 64 KB: \d+ more diff lines not shown\]\n$/);
    assert.equal(p.newContent, content, 'the plan itself is whole');
  });

  test('writing into .git or over a folder is refused', async () => {
    assert.match(failure(await planWrite({ path: '.git/hooks/pre-commit', content: 'x' }, contextFor([root]))), /inside \.git/);
    assert.match(failure(await planWrite({ path: '.', content: 'x' }, contextFor([root]))), /is a folder/);
  });
});
