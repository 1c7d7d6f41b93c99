import { strict as assert } from 'node:assert';
import { StreamingMarkdown } from '../../../webview/markdown';
import { MarkdownDom, prng, randomSplit, recordingHooks } from './markdownTestKit';

const LATE_DEFINITIONS = [
  'See the [guide][g] and [the API].',
  '',
  '- item using [g] too',
  '- and an ![logo][img]',
  '',
  '> quoted [G]',
  '',
  'A [missing][nowhere] label stays text.',
  '',
  '[g]: https://guide.example/start "The guide"',
  '[the api]: https://api.example',
  '[img]: https://img.example/logo.png',
  '',
].join('\n');

suite('reference links whose definitions arrive later', () => {
  let md: MarkdownDom;
  suiteSetup(() => {
    md = new MarkdownDom();
  });

  test('a finished block that used a label becomes a link when the definition arrives', () => {
    const container = md.container();
    const stream = new StreamingMarkdown(container, recordingHooks());
    stream.append('Read [the docs][d] first.\n\nNext paragraph.\n\n');
    const first = container.querySelector('p')!;
    assert.equal(first.textContent, 'Read [the docs][d] first.');
    assert.equal(first.querySelector('a'), null, 'no definition yet: text as written');
    stream.append('[d]: https://docs.example\n\nmore');
    const link = container.querySelector('p a.md-link')!;
    assert.ok(link, 'the earlier block was rendered again with the link');
    assert.equal(link.getAttribute('data-href'), 'https://docs.example');
    assert.equal(link.textContent, 'the docs');
    stream.finish();
    assert.equal(container.innerHTML, md.render('Read [the docs][d] first.\n\nNext paragraph.\n\n[d]: https://docs.example\n\nmore').innerHTML);
  });

  test('blocks that cannot use the new label are not rendered again', () => {
    const container = md.container();
    const stream = new StreamingMarkdown(container, recordingHooks());
    stream.append('Uses [x].\n\nPlain text.\n\nOther [y].\n\n');
    const [usesX, plain, otherY] = [...container.querySelectorAll('p')];
    stream.append('[x]: https://x.example\n\ntail\n');
    const now = [...container.querySelectorAll('p')];
    assert.notEqual(now[0], usesX, 'the block using [x] was replaced');
    assert.equal(now[1], plain, 'a block without brackets is untouched');
    assert.equal(now[2], otherY, 'a block whose labels do not match is untouched');
  });

  test('the first definition of a label wins, in streaming and whole renders alike', () => {
    const text = '[a]\n\n[a]: https://first.example\n\n[A]: https://second.example\n';
    const c = md.render(text);
    assert.deepEqual([...c.querySelectorAll('a')].map((a) => a.getAttribute('data-href')), ['https://first.example']);
    assert.equal(md.stream(text.split('')).innerHTML, c.innerHTML);
  });

  test('labels match case-insensitively and across whitespace, in lists and quotes; images use definitions too', () => {
    const c = md.render(LATE_DEFINITIONS);
    assert.deepEqual([...c.querySelectorAll('a.md-link')].map((a) => [a.textContent, a.getAttribute('data-href')]), [
      ['guide', 'https://guide.example/start'], ['the API', 'https://api.example'], ['g', 'https://guide.example/start'], ['G', 'https://guide.example/start'],
    ]);
    assert.equal(c.querySelector('.md-image-load')!.getAttribute('title'), 'https://img.example/logo.png');
    assert.match(c.textContent!, /A \[missing\]\[nowhere\] label stays text\./);
  });

  test('streamed in random splits, every render equals the whole (definitions after their uses)', () => {
    const seed = Number(process.env.MARKDOWN_SEED ?? Date.now() % 1_000_000);
    const random = prng(seed);
    const expected = md.render(LATE_DEFINITIONS).innerHTML;
    for (let round = 0; round < 60; round++) {
      const parts = randomSplit(LATE_DEFINITIONS, random, 1 + Math.floor(random() * 30));
      assert.equal(md.stream(parts).innerHTML, expected, `seed ${seed}, round ${round}: ${JSON.stringify(parts)}`);
    }
    console.log(`      (seed ${seed}; rerun with MARKDOWN_SEED=${seed})`);
  });
});
