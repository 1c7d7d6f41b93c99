import { strict as assert } from 'node:assert';
import { LineTooLongError, splitAtLines, splitLines, tokensForChars } from '../../../../src/chat/summarize/chunkLines';
import { mulberry32, randomInt, type Rng } from '../../../support/prng';

/** Override with SUMMARIZE_SEED to replay a failure. */
const SEED = Number(process.env.SUMMARIZE_SEED ?? 20261130);

/** Random text: lines of random length (some empty, some long), `\n` or `\r\n` ends, with or without a final end. */
function randomText(rng: Rng, maxLine: number): string {
  const lines = randomInt(rng, 1, 400);
  const words = ['const', 'x', '=', '42;', 'héllo', '日本', 'return', '{', '}', '🙂', '\t', '//'];
  let out = '';
  for (let i = 0; i < lines; i++) {
    const len = rng() < 0.1 ? 0 : randomInt(rng, 1, maxLine);
    let line = '';
    while (line.length < len) line += words[randomInt(rng, 0, words.length - 1)] + ' ';
    out += line.slice(0, len);
    if (i < lines - 1 || rng() < 0.5) out += rng() < 0.2 ? '\r\n' : '\n';
  }
  return out;
}

/** The parts a plain greedy fill needs: the reference for "not wasteful". */
function greedyParts(lines: string[], limit: number): number {
  let parts = 1;
  let chars = 0;
  for (const l of lines) {
    if (chars > 0 && chars + l.length > limit) {
      parts++;
      chars = 0;
    }
    chars += l.length;
  }
  return parts;
}

suite('summarize: splitting a selection at line boundaries', () => {
  test(`random selections: every line in exactly one part, in order, each part within budget, never cut inside a line (seed ${SEED})`, () => {
    console.log(`      seed: ${SEED} (set SUMMARIZE_SEED to replay)`);
    const rng = mulberry32(SEED);
    for (let run = 0; run < 300; run++) {
      const maxLine = randomInt(rng, 1, 200);
      const text = randomText(rng, maxLine);
      const lines = splitLines(text);
      const longest = Math.max(...lines.map((l) => l.length));
      const budget = randomInt(rng, tokensForChars(longest), tokensForChars(longest) * 20 + 10);
      const firstLine = randomInt(rng, 1, 5000);
      const chunks = splitAtLines(text, budget, firstLine);
      const where = `run ${run}, budget ${budget}, firstLine ${firstLine}`;
      assert.equal(chunks.map((c) => c.text).join(''), text, `${where}: the parts join back into the selection`);
      assert.equal(chunks[0].startLine, firstLine, where);
      assert.equal(chunks[chunks.length - 1].endLine, firstLine + lines.length - 1, where);
      let expectLine = firstLine;
      for (const c of chunks) {
        assert.equal(c.startLine, expectLine, `${where}: parts are consecutive, no line skipped or repeated`);
        assert.ok(c.endLine >= c.startLine, where);
        assert.deepEqual(splitLines(c.text), lines.slice(c.startLine - firstLine, c.endLine - firstLine + 1), `${where}: a part is whole lines ${c.startLine}-${c.endLine}`);
        assert.ok(c.tokens <= budget, `${where}: part ${c.startLine}-${c.endLine} has ${c.tokens} tokens`);
        assert.equal(c.tokens, tokensForChars(c.text.length), where);
        expectLine = c.endLine + 1;
      }
      // Not wasteful: as few parts as a greedy fill of the budget needs.
      assert.equal(chunks.length, greedyParts(lines, budget * 4), `${where}: as few parts as a greedy fill`);
    }
  });

  test('a selection within budget is one part; the last part is not a sliver when the split is even', () => {
    assert.deepEqual(splitAtLines('a\nb\n', 100, 10), [{ startLine: 10, endLine: 11, text: 'a\nb\n', tokens: 1 }]);
    const text = Array.from({ length: 100 }, (_, i) => `line ${String(i).padStart(3, '0')}\n`).join(''); // 9 chars a line
    const chunks = splitAtLines(text, 100); // 400 chars: 44 lines fit
    assert.equal(chunks.length, 3);
    const sizes = chunks.map((c) => c.endLine - c.startLine + 1);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 2, `even parts, got ${sizes.join(', ')} lines`);
  });

  test('a line longer than the budget by itself is an error naming the line, not a cut', () => {
    const text = 'short\n' + 'x'.repeat(500) + '\nshort\n';
    assert.throws(() => splitAtLines(text, 100, 41), (e: unknown) => e instanceof LineTooLongError && e.line === 42 && e.tokens === 126 && e.budget === 100 && /line 42 alone is about 126 tokens/.test(e.message));
  });

  test('an empty selection has no parts; a budget that is not a positive whole number is refused', () => {
    assert.deepEqual(splitAtLines('', 10), []);
    assert.throws(() => splitAtLines('a', 0), RangeError);
    assert.throws(() => splitAtLines('a', 1.5), RangeError);
  });

  test('line ends are kept as they are: CRLF, a missing final newline, empty lines', () => {
    assert.deepEqual(splitLines('a\r\n\nb'), ['a\r\n', '\n', 'b']);
    const chunks = splitAtLines('a\r\n\nb', 1); // 4 characters a part
    assert.deepEqual(chunks.map((c) => [c.startLine, c.endLine, c.text]), [[1, 1, 'a\r\n'], [2, 3, '\nb']]);
  });
});
