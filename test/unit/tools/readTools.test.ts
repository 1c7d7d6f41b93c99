import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { symlinkSync } from 'node:fs';
import { excludeMatcher } from '../../../src/chat/tools/glob';
import { listFilesTool, readFileTool } from '../../../src/chat/tools/readTools';
import { OUTPUT_CAP_BYTES, type ToolResult } from '../../../src/chat/tools/types';
import { contextFor, makeFolder, removeFolder } from './tempWorkspace';

function output(r: ToolResult): string {
  assert.ok(r.ok, `expected output, got error: ${r.ok ? '' : r.error}`);
  return r.output;
}
function failure(r: ToolResult): string {
  assert.ok(!r.ok, `expected an error, got: ${r.ok ? r.output.slice(0, 200) : ''}`);
  return r.error;
}

suite('read_file', () => {
  let root: string;
  setup(() => {
    root = makeFolder({
      'a.txt': 'one\ntwo\nthree\nfour\n',
      'crlf.txt': 'x\r\ny\r\n',
      'empty.txt': '',
      'img.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]),
      'secret/.env': 'KEY=1',
      'src/b.ts': 'b',
    });
  });
  teardown(() => removeFolder(root));

  test('reads the whole file with line numbers and a header giving the range', async () => {
    assert.equal(output(await readFileTool({ path: 'a.txt' }, contextFor([root]))), 'a.txt (lines 1-4 of 4)\n1\tone\n2\ttwo\n3\tthree\n4\tfour\n');
    assert.equal(output(await readFileTool({ path: 'crlf.txt' }, contextFor([root]))), 'crlf.txt (lines 1-2 of 2)\n1\tx\n2\ty\n');
  });

  test('reads a line range; an endLine past the end stops at the last line', async () => {
    assert.equal(output(await readFileTool({ path: 'a.txt', startLine: 2, endLine: 3 }, contextFor([root]))), 'a.txt (lines 2-3 of 4)\n2\ttwo\n3\tthree\n');
    assert.equal(output(await readFileTool({ path: 'a.txt', startLine: 4, endLine: 99 }, contextFor([root]))), 'a.txt (lines 4-4 of 4)\n4\tfour\n');
  });

  test('a startLine past the end, a folder, a missing file, a binary file are errors that say what to do', async () => {
    const ctx = contextFor([root]);
    assert.match(failure(await readFileTool({ path: 'a.txt', startLine: 5 }, ctx)), /has 4 lines: send a startLine from 1 to 4/);
    assert.match(failure(await readFileTool({ path: 'src' }, ctx)), /"src" is a folder: use list_files with the glob "src\/\*\*"/);
    assert.match(failure(await readFileTool({ path: 'nope.ts' }, ctx)), /does not exist: use list_files/);
    assert.match(failure(await readFileTool({ path: 'img.png' }, ctx)), /binary file \(8 bytes\)/);
    assert.equal(output(await readFileTool({ path: 'empty.txt' }, ctx)), 'empty.txt is empty');
  });

  test('excluded files and paths outside the workspace are refused', async () => {
    const ctx = contextFor([root], { exclude: excludeMatcher({ secret: true }) });
    assert.match(failure(await readFileTool({ path: 'secret/.env' }, ctx)), /files\.exclude/);
    assert.match(failure(await readFileTool({ path: '../x' }, ctx)), /leads out/);
  });

  test('a file over the cap is cut at a line, says which lines are missing, and the next call reads on from there', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i + 1} ${'é'.repeat(20)}`);
    const big = makeFolder({ 'big.txt': `${lines.join('\n')}\n` });
    try {
      const first = await readFileTool({ path: 'big.txt' }, contextFor([big]));
      const text = output(first);
      assert.ok(first.ok && first.truncated);
      assert.ok(Buffer.byteLength(text) <= OUTPUT_CAP_BYTES, 'within the cap');
      const m = /lines (\d+)-5000 not shown; call read_file with startLine=(\d+) to read on/.exec(text);
      assert.ok(m, text.slice(-300));
      const next = Number(m[2]);
      assert.ok(text.includes(`\n${next - 1}\tline ${next - 1} `), 'the last line shown is the one before');
      const second = output(await readFileTool({ path: 'big.txt', startLine: next }, contextFor([big])));
      assert.ok(second.includes(`${next}\tline ${next} `));
    } finally {
      removeFolder(big);
    }
  });

  test('one line longer than the cap is shown cut on a character boundary, with a note', async () => {
    const big = makeFolder({ 'min.js': `${'€'.repeat(OUTPUT_CAP_BYTES)}\nsecond\n` });
    try {
      const text = output(await readFileTool({ path: 'min.js' }, contextFor([big])));
      assert.ok(Buffer.byteLength(text) <= OUTPUT_CAP_BYTES);
      assert.ok(!text.includes('\uFFFD'), 'no character was split');
      assert.match(text, /\[line 1 is \d+ bytes long and was cut at the 64 KB output cap\]\n\[lines 2-2 not shown: call read_file with startLine=2\]/);
    } finally {
      removeFolder(big);
    }
  });
});

suite('list_files', () => {
  let root: string;
  setup(() => {
    root = makeFolder({
      'b.ts': '', 'a.ts': '', 'src/z.ts': '', 'src/a/deep.ts': '', 'src/readme.md': '',
      '.git/HEAD': 'ref', 'node_modules/m/index.ts': '', '.github/ci.yml': '',
    });
  });
  teardown(() => removeFolder(root));

  test('lists matching files sorted depth first by name, skipping .git and excluded folders', async () => {
    const ctx = contextFor([root], { exclude: excludeMatcher({ '**/node_modules': true }) });
    assert.equal(output(await listFilesTool({ glob: '**/*.ts' }, ctx)), 'a.ts\nb.ts\nsrc/a/deep.ts\nsrc/z.ts\n4 files\n');
    assert.equal(output(await listFilesTool({ glob: '**' }, ctx)), '.github/ci.yml\na.ts\nb.ts\nsrc/a/deep.ts\nsrc/readme.md\nsrc/z.ts\n6 files\n');
  });

  test('symlinks are not followed, so a link cannot list files outside the workspace', async () => {
    const outside = makeFolder({ 'leak.ts': '' });
    try {
      symlinkSync(outside, join(root, 'out'));
      symlinkSync(join(outside, 'leak.ts'), join(root, 'leak.ts'));
      assert.doesNotMatch(output(await listFilesTool({ glob: '**' }, contextFor([root]))), /leak/);
    } finally {
      removeFolder(outside);
    }
  });

  test('no match says so, and hints at ** when the glob only looked at the top level', async () => {
    assert.equal(output(await listFilesTool({ glob: '*.md' }, contextFor([root]))), 'no files match "*.md" ("*.md" only matches at the top level: try "**/*.md")');
    assert.equal(output(await listFilesTool({ glob: 'docs/**' }, contextFor([root]))), 'no files match "docs/**"');
  });

  test('with several folders, paths carry the folder name and a glob may name the folder', async () => {
    const other = makeFolder({ 'lib.ts': '' }, 'other');
    try {
      const ctx = contextFor([root, other]);
      assert.equal(output(await listFilesTool({ glob: '*.ts' }, ctx)), 'ws/a.ts\nws/b.ts\nother/lib.ts\n3 files\n');
      assert.equal(output(await listFilesTool({ glob: 'other/**' }, ctx)), 'other/lib.ts\n1 file\n');
    } finally {
      removeFolder(other);
    }
  });

  test('a listing over the cap is cut with the number of files not shown', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) files[`generated/${String(i).padStart(4, '0')}-${'n'.repeat(20)}.txt`] = '';
    const many = makeFolder(files);
    try {
      const r = await listFilesTool({ glob: '**' }, contextFor([many]));
      const text = output(r);
      assert.ok(r.ok && r.truncated);
      assert.ok(Buffer.byteLength(text) <= OUTPUT_CAP_BYTES);
      const shown = text.split('\n').filter((l) => l.startsWith('generated/')).length;
      assert.match(text, new RegExp(`\\[cut at the 64 KB output cap: ${3000 - shown} more of 3000 files not shown; send a narrower glob\\]`));
    } finally {
      removeFolder(many);
    }
  });
});
