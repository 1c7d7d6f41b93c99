import { strict as assert } from 'node:assert';
import { parseStrict } from '../../../webview/markdown/parse';
import { MarkdownDom, prng, randomSplit } from './markdownTestKit';

/** Markdown's significant characters, line ends and a few letters, weighted so constructs open and close often. */
const ALPHABET = ['\n', '\n', ' ', ' ', '  ', '\\', '\\', '[', ']', '(', ')', '*', '_', '~', '$', '<', '>', '!', '`', '|', '-', '#', '>', ':', '@', '.', '/', 'a', 'b', 'x', '1', 'mailto:', 'xmpp:', 'www.', 'http://', '&amp;', '\t', '^', '=', '{', '}'];

function randomText(random: () => number, length: number): string {
  let text = '';
  while (text.length < length) text += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return text;
}

suite('random markdown (seeded)', () => {
  let md: MarkdownDom;
  suiteSetup(() => {
    md = new MarkdownDom();
  });

  test('the parser never throws on any of 2,000 random texts, and streaming each in random splits equals the whole', function () {
    this.timeout(120_000);
    const seed = Number(process.env.MARKDOWN_FUZZ_SEED ?? 20261130);
    const random = prng(seed);
    console.log(`      (seed ${seed}; rerun with MARKDOWN_FUZZ_SEED=${seed})`);
    for (let i = 0; i < 2000; i++) {
      const text = randomText(random, 1 + Math.floor(random() * 120));
      assert.doesNotThrow(() => parseStrict(text), `seed ${seed}, text ${i}: ${JSON.stringify(text)}`);
      const whole = md.render(text).innerHTML;
      assert.equal(md.stream(randomSplit(text, random, 1 + Math.floor(random() * 10))).innerHTML, whole, `seed ${seed}, text ${i}: ${JSON.stringify(text)}`);
    }
  });
});
