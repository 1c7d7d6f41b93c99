import { strict as assert } from 'node:assert';
import type { Block } from '../../../webview/markdown/blocks';
import { BlockScanner } from '../../../webview/markdown/blockScanner';

/** Feeds lines one by one and records, after each line, which block kinds had just finished. */
function feed(lines: string[]): { perLine: string[][]; atClose: string[]; all: Block[] } {
  const scanner = new BlockScanner();
  const perLine: string[][] = [];
  const all: Block[] = [];
  for (const line of lines) {
    scanner.push(line);
    const done = scanner.takeFinished();
    all.push(...done);
    perLine.push(done.map((b) => b.kind));
  }
  scanner.close();
  const rest = scanner.takeFinished();
  all.push(...rest);
  return { perLine, atClose: rest.map((b) => b.kind), all };
}

const parse = (text: string) => BlockScanner.parse(text.split('\n'));

suite('block scanner: where top-level blocks end', () => {
  test('a paragraph is finished by the blank line after it, not later', () => {
    const { perLine, atClose } = feed(['one', 'two', '', 'three']);
    assert.deepEqual(perLine, [[], [], ['paragraph'], []]);
    assert.deepEqual(atClose, ['paragraph']);
  });

  test('an ATX heading and a thematic break are finished by their own line', () => {
    const { perLine } = feed(['# Title', '***', 'text']);
    assert.deepEqual(perLine, [['heading'], ['hr'], []]);
  });

  test('a heading line interrupts a paragraph without a blank line', () => {
    const { perLine, all } = feed(['para', '## Next']);
    assert.deepEqual(perLine, [[], ['paragraph', 'heading']]);
    assert.deepEqual(all[1], { kind: 'heading', level: 2, text: 'Next' });
  });

  test('a fenced code block stays open through blank lines and fence-like lines until its closing fence', () => {
    const { perLine, all } = feed(['```ts', 'a', '', '~~~', '``', '```', 'after']);
    assert.deepEqual(perLine, [[], [], [], [], [], ['code'], []]);
    assert.deepEqual(all[0], { kind: 'code', lang: 'ts', lines: ['a', '', '~~~', '``'] });
  });

  test('a closing fence must use the same character and be at least as long', () => {
    const blocks = parse('~~~~py\nx\n~~~\n```\n~~~~~\ny');
    assert.deepEqual(blocks[0], { kind: 'code', lang: 'py', lines: ['x', '~~~', '```'] });
    assert.deepEqual(blocks[1], { kind: 'paragraph', lines: ['y'] });
  });

  test('an unclosed fence runs to the end of the text', () => {
    assert.deepEqual(parse('```\ncode\n\nmore'), [{ kind: 'code', lang: '', lines: ['code', '', 'more'] }]);
  });

  test('an indented fence strips up to its own indentation from its lines', () => {
    assert.deepEqual(parse('  ```go\n    x\n y\n  ```'), [{ kind: 'code', lang: 'go', lines: ['  x', 'y'] }]);
  });

  test('tabs in code lines are kept (Go code is indented with them)', () => {
    assert.deepEqual(parse('```go\n\tfmt.Println()\n```'), [{ kind: 'code', lang: 'go', lines: ['\tfmt.Println()'] }]);
  });

  test('a delimiter row turns the paragraph\'s last line into a table header; earlier lines stay a paragraph', () => {
    const { perLine, all } = feed(['intro', '| a | b |', '|:--|--:|', '| 1 | 2 |', '3 | 4 | 5', '']);
    assert.deepEqual(perLine, [[], [], ['paragraph'], [], [], ['table']]);
    assert.deepEqual(all[0], { kind: 'paragraph', lines: ['intro'] });
    assert.deepEqual(all[1], { kind: 'table', aligns: ['left', 'right'], header: ['a', 'b'], rows: [['1', '2'], ['3', '4']] });
  });

  test('a delimiter row with a different column count is just paragraph text', () => {
    assert.deepEqual(parse('| a | b |\n|---|'), [{ kind: 'paragraph', lines: ['| a | b |', '|---|'] }]);
  });

  test('short table rows are padded to the header width; escaped pipes stay in the cell', () => {
    const [table] = parse('a | b\n--|--\nx\\|y');
    assert.deepEqual(table, { kind: 'table', aligns: ['', ''], header: ['a', 'b'], rows: [['x|y', '']] });
  });

  test('a table ends at a blank line or at a line that starts another block', () => {
    assert.deepEqual(parse('a|b\n-|-\n1|2\n# h').map((b) => b.kind), ['table', 'heading']);
    assert.deepEqual(parse('a|b\n-|-\n\nnext').map((b) => b.kind), ['table', 'paragraph']);
  });

  test('setext underlines make the paragraph a heading', () => {
    assert.deepEqual(parse('Big\n===\nSmall\n---'), [
      { kind: 'heading', level: 1, text: 'Big' },
      { kind: 'heading', level: 2, text: 'Small' },
    ]);
  });

  test('a list stays open across blank lines until a line proves it over', () => {
    const { perLine } = feed(['- a', '- b', '', '', '  more of b', '', 'after']);
    assert.deepEqual(perLine, [[], [], [], [], [], [], ['list']]);
  });

  test('list items: nesting by indentation, tight vs loose, lazy continuation', () => {
    const [tight] = parse('- a\n  - b\n    c\n- d\nlazy');
    assert.equal(tight.kind, 'list');
    if (tight.kind !== 'list') return;
    assert.equal(tight.loose, false);
    assert.equal(tight.items.length, 2);
    assert.deepEqual(tight.items[0].children[1], { kind: 'list', ordered: false, start: 1, loose: false, items: [{ children: [{ kind: 'paragraph', lines: ['b', 'c'] }] }] });
    assert.deepEqual(tight.items[1].children, [{ kind: 'paragraph', lines: ['d', 'lazy'] }]);
    const [loose] = parse('- a\n\n- b');
    assert.equal(loose.kind === 'list' && loose.loose, true);
    const [looseInside] = parse('- a\n\n  second paragraph');
    assert.equal(looseInside.kind === 'list' && looseInside.loose, true);
  });

  test('ordered lists keep their start number; a different bullet or delimiter starts a new list', () => {
    const blocks = parse('3. x\n4. y\n- a\n+ b\n1) c');
    assert.deepEqual(blocks.map((b) => (b.kind === 'list' ? `${b.ordered ? 'ol' : 'ul'}@${b.start}x${b.items.length}` : b.kind)), ['ol@3x2', 'ul@1x1', 'ul@1x1', 'ol@1x1']);
  });

  test('only an ordered item numbered 1 may interrupt a paragraph', () => {
    assert.deepEqual(parse('The year\n1999. was\n1. item').map((b) => b.kind), ['paragraph', 'list']);
  });

  test('a fenced block inside a list item belongs to the item', () => {
    const [list] = parse('1. Run:\n   ```sh\n   npm i\n\n   ```\n2. Done');
    assert.equal(list.kind, 'list');
    if (list.kind !== 'list') return;
    assert.deepEqual(list.items[0].children[1], { kind: 'code', lang: 'sh', lines: ['npm i', ''] });
    assert.equal(list.loose, false, 'a blank line inside a code block does not make the list loose');
  });

  test('a blockquote takes `>` lines and lazy paragraph lines, and ends at a blank line', () => {
    const blocks = parse('> a\nlazy\n> > deep\n\nout');
    assert.equal(blocks[0].kind, 'quote');
    if (blocks[0].kind !== 'quote') return;
    assert.deepEqual(blocks[0].children[0], { kind: 'paragraph', lines: ['a', 'lazy'] });
    assert.equal(blocks[0].children[1].kind, 'quote');
    assert.deepEqual(blocks[1], { kind: 'paragraph', lines: ['out'] });
  });

  test('openStartLine points at the first line of the open block', () => {
    const scanner = new BlockScanner();
    scanner.push('para');
    assert.equal(scanner.openStartLine, 0);
    scanner.push('');
    assert.equal(scanner.openStartLine, 2, 'nothing open: the next line');
    scanner.push('x | y');
    scanner.push('--|--');
    assert.equal(scanner.openStartLine, 2, 'a table starts at its header line');
    scanner.push('# h');
    assert.equal(scanner.openStartLine, 5);
  });

  test('containers nest only so deep: a line of thousands of `>` does not recurse', () => {
    const blocks = parse('>'.repeat(5000) + ' x');
    let depth = 0;
    let block: Block | undefined = blocks[0];
    while (block?.kind === 'quote') {
      depth++;
      block = block.children[0];
    }
    assert.ok(depth > 0 && depth < 100, `depth ${depth}`);
    assert.equal(block?.kind, 'paragraph');
  });
});
