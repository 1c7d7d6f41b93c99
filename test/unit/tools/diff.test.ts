import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffLines, splitKeepingEnds, unifiedDiff } from '../../../src/chat/tools/diff';
import { mulberry32, randomInt, type Rng } from '../../support/prng';
import { makeFolder, removeFolder } from './tempWorkspace';

const SEED = Number(process.env.TOOLS_DIFF_SEED ?? 20261130);

function randomText(rng: Rng): string {
  const pool = ['a\n', 'b\n', 'c\n', 'd\n', 'e\n', 'a\r\n', 'x'];
  const n = randomInt(rng, 0, 14);
  let text = '';
  for (let i = 0; i < n; i++) text += pool[randomInt(rng, 0, pool.length - 2)];
  return rng() < 0.2 ? `${text}tail` : text;
}

function lcsLength(a: string[], b: string[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) dp[i][j] = a[i] === b[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  }
  return dp[0][0];
}

suite('unified line diff', () => {
  test('distant changes make separate hunks; close ones merge; headers count lines as patch expects', () => {
    const a = Array.from({ length: 20 }, (_, i) => `l${i + 1}\n`).join('');
    const b = a.replace('l2\n', 'L2\n').replace('l18\n', 'L18\n');
    assert.equal(unifiedDiff(a, b, 'f').diff, [
      '--- a/f', '+++ b/f',
      '@@ -1,5 +1,5 @@', ' l1', '-l2', '+L2', ' l3', ' l4', ' l5',
      '@@ -15,6 +15,6 @@', ' l15', ' l16', ' l17', '-l18', '+L18', ' l19', ' l20', '',
    ].join('\n'));
    const c = a.replace('l5\n', 'L5\n').replace('l10\n', 'L10\n');
    assert.equal(unifiedDiff(a, c, 'f').diff.match(/^@@/gm)?.length, 1, 'changes 5 lines apart share one hunk');
  });

  test('a missing final newline is marked, and equal texts give no diff', () => {
    assert.equal(unifiedDiff('a\nb', 'a\nb\n', 'f').diff, '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n');
    assert.equal(unifiedDiff('same\n', 'same\n', 'f').diff, '');
  });

  test(`random texts: the edit script is minimal and patch(1) turns old into new (seed ${SEED}, TOOLS_DIFF_SEED to replay)`, () => {
    const rng = mulberry32(SEED);
    const dir = makeFolder();
    try {
      for (let round = 0; round < 150; round++) {
        const oldText = randomText(rng);
        const newText = randomText(rng);
        const a = splitKeepingEnds(oldText);
        const b = splitKeepingEnds(newText);
        const ops = diffLines(a, b);
        const label = `seed ${SEED} round ${round}: ${JSON.stringify(oldText)} -> ${JSON.stringify(newText)}`;
        assert.equal(ops.filter((o) => o.kind !== ' ').length, a.length + b.length - 2 * lcsLength(a, b), `minimal: ${label}`);
        const { diff } = unifiedDiff(oldText, newText, 'f.txt');
        if (diff === '') {
          assert.equal(oldText, newText, label);
          continue;
        }
        writeFileSync(join(dir, 'f.txt'), oldText);
        writeFileSync(join(dir, 'p.diff'), diff);
        const r = spawnSync('patch', ['--quiet', '--binary', '-p1', '-i', 'p.diff'], { cwd: dir, encoding: 'utf8' });
        assert.equal(r.status, 0, `patch refused the diff (${r.stdout}${r.stderr}): ${label}\n${diff}`);
        assert.equal(readFileSync(join(dir, 'f.txt'), 'utf8'), newText, label);
      }
    } finally {
      removeFolder(dir);
    }
  });
});
