import { strict as assert } from 'node:assert';
import { CORNER_CASES, MIXED_ANSWER } from './markdownCorpus';
import { MarkdownDom, prng, randomSplit } from './markdownTestKit';

/** Split points placed right inside the syntax that is most fragile when cut. */
function awkwardSplits(text: string): number[] {
  const points = new Set<number>();
  const patterns = [/\*\*/g, /```|~~~/g, /\|/g, /^\s*(?:[-*+]|\d+\.) /gm, /\]\(|\[|\)/g, /<https?:/g, /https?:\/\//g, /\r?\n/g];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      for (let k = 0; k <= m[0].length; k++) points.add(m.index! + k);
    }
  }
  // Between the two halves of every surrogate pair.
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) points.add(i + 1);
  }
  return [...points].filter((p) => p > 0 && p < text.length).sort((a, b) => a - b);
}

function splitAt(text: string, points: number[]): string[] {
  const parts: string[] = [];
  let from = 0;
  for (const p of points) {
    parts.push(text.slice(from, p));
    from = p;
  }
  parts.push(text.slice(from));
  return parts;
}

suite('streaming equals one-shot rendering', () => {
  let md: MarkdownDom;
  suiteSetup(() => {
    md = new MarkdownDom();
  });

  const samples = [MIXED_ANSWER, MIXED_ANSWER.replace(/\n/g, '\r\n'), MIXED_ANSWER.replace(/\n$/, '') + '\n```rust\nfn main() { let c = \'x\'; }', ...CORNER_CASES];

  test('for many random splits of each sample (seeded; the seed is printed on failure)', function () {
    this.timeout(180_000);
    const baseSeed = Number(process.env.MARKDOWN_SEED ?? Date.now() % 1_000_000);
    const random = prng(baseSeed);
    samples.forEach((sample, index) => {
      const expected = md.render(sample).innerHTML;
      // Long samples get fewer rounds so the suite stays quick; every round still cuts them in ~100+ places (the
      // CommonMark and GFM examples add 2,700 more random splits).
      const rounds = sample.length > 500 ? 12 : 100;
      for (let round = 0; round < rounds; round++) {
        const max = 1 + Math.floor(random() * 40);
        const parts = randomSplit(sample, random, max);
        const actual = md.stream(parts).innerHTML;
        if (actual !== expected) {
          assert.fail(`seed ${baseSeed}: sample ${index}, round ${round}: streamed DOM differs for split ${JSON.stringify(parts)}`);
        }
      }
    });
    console.log(`      (random split seed ${baseSeed}; rerun with MARKDOWN_SEED=${baseSeed})`);
  });

  test('one UTF-16 unit at a time (every surrogate pair is cut in half)', () => {
    for (const sample of samples) {
      assert.equal(md.stream([...sample.split('')]).innerHTML, md.render(sample).innerHTML);
    }
  });

  test('cut inside every `**`, fence, table pipe, list marker, link bracket, URL, line end and surrogate pair at once', () => {
    for (const sample of samples) {
      const parts = splitAt(sample, awkwardSplits(sample));
      assert.equal(md.stream(parts).innerHTML, md.render(sample).innerHTML);
    }
  });

  test('a surrogate pair split across deltas ends up as one intact character', () => {
    const c = md.stream(['**a \ud83d', '\ude00** b']);
    assert.equal(c.innerHTML, '<p><strong>a 😀</strong> b</p>');
    assert.equal(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(c.textContent ?? ''), false);
  });

  test('empty deltas change nothing', () => {
    assert.equal(md.stream(['', '# a', '', '\n', '', 'b', '']).innerHTML, md.render('# a\nb').innerHTML);
  });
});
