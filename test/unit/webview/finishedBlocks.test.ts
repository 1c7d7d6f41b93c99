import { strict as assert } from 'node:assert';
import { StreamingMarkdown } from '../../../webview/markdown';
import { GROUP_SIZE } from '../../../webview/markdown/finishedBlocks';
import { MarkdownDom, recordingHooks } from './markdownTestKit';

suite('incremental rendering: finished blocks are never touched again', () => {
  let md: MarkdownDom;
  suiteSetup(() => {
    md = new MarkdownDom();
  });

  function observe(container: HTMLElement): () => MutationRecord[] {
    const observer = new md.dom.window.MutationObserver(() => undefined);
    observer.observe(container, { childList: true, subtree: true, characterData: true, attributes: true });
    return () => {
      const records = observer.takeRecords();
      observer.disconnect();
      return records;
    };
  }

  test('finished blocks keep their node identity and outerHTML while later blocks stream in', () => {
    const container = md.container();
    const stream = new StreamingMarkdown(container, recordingHooks());
    stream.append('# Title\n\nFirst paragraph with **bold**.\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n');
    stream.append('```ts\nconst a = 1;\n```\n\nOpen para');
    const finished = [...container.children].slice(0, -1);
    assert.deepEqual(finished.map((n) => n.tagName), ['H1', 'P', 'UL', 'DIV', 'DIV']);
    const snapshot = finished.map((n) => n.outerHTML);
    for (const delta of [' grows', ' **more', '** text\n', '\n- new list', '\n  - nested', '\n\n```py\nx = 1\n', 'y = 2\n```\n', 'end']) {
      stream.append(delta);
      finished.forEach((node, i) => {
        assert.equal(container.children[i], node, `block ${i} is the same object after ${JSON.stringify(delta)}`);
        assert.equal(node.outerHTML, snapshot[i]);
      });
    }
    stream.finish();
    finished.forEach((node, i) => assert.equal(container.children[i], node));
  });

  test('a MutationObserver sees no mutation inside or of a finished block while the open one changes', () => {
    const container = md.container();
    const stream = new StreamingMarkdown(container, recordingHooks());
    stream.append('## Done\n\nalso done\n\n> quoted\n\n');
    const finished = [...container.children];
    assert.equal(finished.length, 3);
    const take = observe(container);
    for (const delta of ['now ', 'an *open', '* paragraph', ' with [a link](https://', 'x.example)', '\n| a | b', ' |\n|--|--|\n| 1 ', '| 2 |']) {
      stream.append(delta);
    }
    stream.finish();
    const records = take();
    assert.ok(records.length > 0, 'the open block did change');
    for (const record of records) {
      assert.ok(!finished.some((node) => node === record.target || node.contains(record.target)), `mutation inside a finished block: ${record.type}`);
      assert.ok(![...record.removedNodes].some((node) => finished.includes(node as Element)), 'a finished block was removed');
    }
  });

  test('an open code block appends each finished line once and only replaces the line being written; the closed block equals a one-shot render', () => {
    const container = md.container();
    const stream = new StreamingMarkdown(container, recordingHooks());
    stream.append('```js\n');
    const code = () => container.querySelector('pre > code')!;
    let finishedLines: Node[] = [];
    let text = '```js\n';
    for (let i = 0; i < 300; i++) {
      const take = observe(container);
      stream.append(`const v${i} = `);
      stream.append(`${i}; // line\n`);
      text += `const v${i} = ${i}; // line\n`;
      const records = take();
      const removed = records.flatMap((r) => [...r.removedNodes]);
      assert.ok(records.every((r) => r.target === code()), `delta ${i} changed something outside the code element`);
      assert.ok(removed.every((n) => !finishedLines.includes(n)), `delta ${i} removed a finished line's node`);
      finishedLines = [...code().childNodes];
    }
    assert.equal(code().textContent!.split('\n').length, 300);
    stream.append('more();\n```\n\nafter');
    stream.finish();
    text += 'more();\n```\n\nafter';
    assert.equal(container.innerHTML, md.render(text).innerHTML);
    assert.equal(container.querySelector('pre > code')!.textContent!.split('\n').length, 301);
  });

  test('the work of one append does not depend on how much came before (DOM mutations counted)', () => {
    const mutationsFor = (prefixBlocks: number): number => {
      const container = md.container();
      const stream = new StreamingMarkdown(container, recordingHooks());
      stream.append(Array.from({ length: prefixBlocks }, (_, i) => `Paragraph ${i} with *some* text.\n\n`).join(''));
      stream.append('The open paragraph');
      const take = observe(container);
      stream.append(' grows by a word');
      const records = take();
      return records.reduce((n, r) => n + r.addedNodes.length + r.removedNodes.length, 0);
    };
    assert.equal(mutationsFor(1), mutationsFor(2000));
  });

  test('long answers gather finished blocks into groups, so the container\'s child count stays small; streamed and one-shot DOM match', () => {
    const text = Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? `\`\`\`ts\nconst v${i} = ${i};\n\`\`\`\n\n` : `Paragraph ${i}.\n\n`)).join('');
    const streamed = md.container();
    const stream = new StreamingMarkdown(streamed, recordingHooks());
    for (let i = 0; i < text.length; i += 7) stream.append(text.slice(i, i + 7));
    stream.finish();
    assert.ok(streamed.children.length < 100, `${streamed.children.length} direct children`);
    assert.equal(streamed.querySelectorAll(':scope > .md-group').length, Math.floor((1000 - GROUP_SIZE) / GROUP_SIZE));
    assert.equal(streamed.querySelectorAll(':scope > .md-group > p, :scope > p').length, 900);
    assert.equal(streamed.innerHTML, md.render(text).innerHTML);
  });

  test('text returns everything appended; append after finish is an error', () => {
    const stream = new StreamingMarkdown(md.container(), recordingHooks());
    stream.append('a');
    stream.append('\ud83d');
    stream.append('\ude00 b');
    assert.equal(stream.text, 'a😀 b');
    stream.finish();
    assert.throws(() => stream.append('x'), /after finish/);
  });

  test('a partial closing fence never flashes as a line of code', () => {
    const container = md.container();
    const stream = new StreamingMarkdown(container, recordingHooks());
    stream.append('```\ncode\n``');
    assert.equal(container.querySelector('code')!.textContent, 'code');
    stream.append('`');
    assert.equal(container.querySelector('code')!.textContent, 'code');
  });
});
