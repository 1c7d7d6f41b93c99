import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { excludeMatcher } from '../../../src/chat/tools/glob';
import { searchTextTool } from '../../../src/chat/tools/readTools';
import { OUTPUT_CAP_BYTES, type ToolContext, type ToolResult } from '../../../src/chat/tools/types';
import { mulberry32, randomInt } from '../../support/prng';
import { contextFor, makeFolder, removeFolder } from './tempWorkspace';

const SEED = Number(process.env.TOOLS_SEARCH_SEED ?? 20261130);
// `npm test` installs Debian's ripgrep; its absence fails the ripgrep half of these tests with the reason.
const RG = spawnSync('rg', ['--version']).status === 0 ? 'rg' : undefined;
const ENGINES: Array<{ name: string; rg: () => string | undefined }> = [
  { name: 'the plain scan', rg: () => undefined },
  { name: 'ripgrep', rg: () => RG ?? assert.fail('ripgrep (rg) is not installed: install the ripgrep package') },
];

function output(r: ToolResult): string {
  assert.ok(r.ok, `expected output, got error: ${r.ok ? '' : r.error}`);
  return r.output;
}

for (const engine of ENGINES) {
  suite(`search_text through ${engine.name}`, () => {
    let root: string;
    const ctx = (extra: Partial<ToolContext> = {}) => contextFor([root], { rgPath: engine.rg(), ...extra });
    setup(() => {
      root = makeFolder({
        'src/b.ts': 'const x = 1;\n// TODO: later\nTODO again\n',
        'src/a.ts': 'nothing\n\n// todo lowercase\n',
        'README.md': '# Todo list\n',
        '.git/config': 'TODO in git\n',
        'node_modules/m.js': 'TODO dependency\n',
        'bin.dat': new Uint8Array([0x54, 0x4f, 0x44, 0x4f, 0, 1, 2]),
        '.hidden/notes.txt': 'hidden todo\n',
      });
    });
    teardown(() => removeFolder(root));

    test('finds the text ignoring case, as path:line: text sorted by path then line, skipping .git and binary files', async () => {
      assert.equal(output(await searchTextTool({ query: 'todo' }, ctx())),
        '.hidden/notes.txt:1: hidden todo\nREADME.md:1: # Todo list\nnode_modules/m.js:1: TODO dependency\nsrc/a.ts:3: // todo lowercase\nsrc/b.ts:2: // TODO: later\nsrc/b.ts:3: TODO again\n6 matches in 5 files\n');
    });

    test('a glob narrows the files and excluded files are skipped', async () => {
      const c = ctx({ exclude: excludeMatcher({ '**/node_modules': true }) });
      assert.equal(output(await searchTextTool({ query: 'TODO', glob: 'src/**' }, c)), 'src/a.ts:3: // todo lowercase\nsrc/b.ts:2: // TODO: later\nsrc/b.ts:3: TODO again\n3 matches in 2 files\n');
      assert.doesNotMatch(output(await searchTextTool({ query: 'dependency' }, c)), /node_modules/);
    });

    test('the query is literal text, not a regular expression', async () => {
      assert.equal(output(await searchTextTool({ query: 'x = 1;' }, ctx())), 'src/b.ts:1: const x = 1;\n1 match in 1 file\n');
      assert.equal(output(await searchTextTool({ query: '.*' }, ctx())), 'no matches for ".*"');
    });

    test('many matches are cut at the cap with the number not shown', async () => {
      const lines = Array.from({ length: 3000 }, (_, i) => `needle ${i} ${'x'.repeat(40)}`).join('\n');
      const big = makeFolder({ 'many.txt': lines });
      try {
        const r = await searchTextTool({ query: 'needle' }, contextFor([big], { rgPath: engine.rg() }));
        assert.ok(r.ok && r.truncated);
        assert.ok(Buffer.byteLength(r.output) <= OUTPUT_CAP_BYTES);
        assert.match(r.output, /\d+\+ more matches not shown; search for something more specific or pass a glob\]\n$/);
        assert.ok(r.output.startsWith('many.txt:1: needle 0 '));
      } finally {
        removeFolder(big);
      }
    });
  });
}

suite('search_text gives the same answer with ripgrep and with the plain scan', () => {
  test(`random trees (seed ${SEED}, TOOLS_SEARCH_SEED to replay)`, async () => {
    const rg = ENGINES[1].rg();
    const rng = mulberry32(SEED);
    const words = ['alpha', 'Beta', 'gamma', 'ALPHA beta', 'delta', 'é alpha', ''];
    const names = ['a', 'b', 'a.b', 'a-b', 'B', '_x', 'z9'];
    for (let round = 0; round < 8; round++) {
      const files: Record<string, string> = {};
      const count = randomInt(rng, 1, 25);
      for (let i = 0; i < count; i++) {
        const depth = randomInt(rng, 0, 3);
        const parts = Array.from({ length: depth + 1 }, () => names[randomInt(rng, 0, names.length - 1)]);
        const lines = Array.from({ length: randomInt(rng, 0, 6) }, () => words[randomInt(rng, 0, words.length - 1)]);
        files[`${parts.join('/')}.txt`] = lines.join('\n');
      }
      // A name that is both a file and a folder cannot exist; keep the first written.
      const clean = Object.fromEntries(Object.entries(files).filter(([p]) => !Object.keys(files).some((q) => q !== p && q.startsWith(`${p}/`))));
      const root = makeFolder(clean);
      try {
        for (const query of ['alpha', 'BETA', 'a']) {
          const scan = output(await searchTextTool({ query }, contextFor([root])));
          const viaRg = output(await searchTextTool({ query }, contextFor([root], { rgPath: rg })));
          assert.equal(viaRg, scan, `seed ${SEED} round ${round} query ${query}`);
        }
      } finally {
        removeFolder(root);
      }
    }
  });

  test('an rg binary that cannot be started falls back to the scan', async () => {
    const root = makeFolder({ 'f.txt': 'hello\n' });
    try {
      assert.equal(output(await searchTextTool({ query: 'hello' }, contextFor([root], { rgPath: '/nonexistent/rg' }))), 'f.txt:1: hello\n1 match in 1 file\n');
    } finally {
      removeFolder(root);
    }
  });
});
