import { strict as assert } from 'node:assert';
import { MarkdownDom, recordingHooks } from './markdownTestKit';

suite('markdown rendering: each construct', () => {
  let md: MarkdownDom;
  suiteSetup(() => {
    md = new MarkdownDom();
  });
  const html = (text: string) => md.render(text).innerHTML;

  test('ATX headings h1-h6 with inline markup; closing hashes are dropped; 7 hashes is text', () => {
    assert.equal(html('# One\n###### Six ##\n####### seven'), '<h1>One</h1><h6>Six</h6><p>####### seven</p>');
    assert.equal(html('## A *b* `c`'), '<h2>A <em>b</em> <code>c</code></h2>');
  });

  test('paragraphs: soft breaks stay newlines, two trailing spaces or a backslash make <br>', () => {
    assert.equal(html('a\nb  \nc\\\nd'), '<p>a\nb<br>c<br>d</p>');
    assert.equal(html('one\n\ntwo'), '<p>one</p><p>two</p>');
  });

  test('emphasis, strong, strikethrough and their nesting', () => {
    assert.equal(html('*a* _b_ **c** __d__ ~~e~~ ***f***'), '<p><em>a</em> <em>b</em> <strong>c</strong> <strong>d</strong> <del>e</del> <em><strong>f</strong></em></p>');
    assert.equal(html('**bold *and em* inside**'), '<p><strong>bold <em>and em</em> inside</strong></p>');
  });

  test('intraword underscores and unmatched delimiters stay text', () => {
    assert.equal(html('snake_case_name and 2 * 3 * 4 and **open'), '<p>snake_case_name and 2 * 3 * 4 and **open</p>');
  });

  test('inline code keeps markup literal and trims one space on each side', () => {
    assert.equal(html('`` a `b` ``  and `*x*`'), '<p><code>a `b`</code>  and <code>*x*</code></p>');
  });

  test('backslash escapes and entities', () => {
    assert.equal(html('\\*not em\\* &amp; &copy; &#65; &bogus;'), '<p>*not em* &amp; © A &amp;bogus;</p>');
  });

  test('links, autolinks, bare URLs and email autolinks become inert anchors with data-href', () => {
    const c = md.render('[t](https://a.example/x "Title") <https://b.example> see https://c.example/p?q=1. <me@d.example>');
    const anchors = [...c.querySelectorAll('a')];
    assert.deepEqual(anchors.map((a) => a.getAttribute('data-href')), ['https://a.example/x', 'https://b.example', 'https://c.example/p?q=1', 'mailto:me@d.example']);
    assert.deepEqual(anchors.map((a) => a.textContent), ['t', 'https://b.example', 'https://c.example/p?q=1', 'me@d.example']);
    assert.ok(anchors.every((a) => !a.hasAttribute('href')), 'no anchor has a real href');
    assert.equal(anchors[0].getAttribute('title'), 'Title\nhttps://a.example/x');
  });

  test('mailto: and xmpp: addresses are one link with their protocol; only mailto: is clickable', () => {
    const c = md.render('Write *mailto:help@a.example*, chat on xmpp:me@b.example/desk@home.x or xmpp:me@b.example. Not amailto:x@c.example');
    assert.deepEqual([...c.querySelectorAll('a')].map((a) => [a.getAttribute('data-href'), a.textContent]), [
      ['mailto:help@a.example', 'mailto:help@a.example'],
      ['mailto:x@c.example', 'x@c.example'],
    ]);
    assert.deepEqual([...c.querySelectorAll('.md-link-inert')].map((s) => s.textContent), ['xmpp:me@b.example/desk@home.x', 'xmpp:me@b.example']);
    assert.ok(c.textContent!.includes('xmpp:me@b.example. Not amailto:x@c.example'), c.textContent!);
  });

  test('a protocol joins only a bare address that touches it: <a@b.c>, explicit links and resources with other characters keep their own form', () => {
    const c = md.render('mailto:<a@b.example> and xmpp:[c@d.example](mailto:c@d.example) and xmpp:e@f.example/g-h@i.example');
    assert.deepEqual([...c.querySelectorAll('a')].map((a) => [a.getAttribute('data-href'), a.textContent]), [
      ['mailto:a@b.example', 'a@b.example'],
      ['mailto:c@d.example', 'c@d.example'],
      ['mailto:g-h@i.example', 'g-h@i.example'],
    ]);
    assert.deepEqual([...c.querySelectorAll('.md-link-inert')].map((s) => s.textContent), ['xmpp:e@f.example']);
  });

  test('a bare URL keeps balanced parentheses and drops an unbalanced closing one', () => {
    const c = md.render('(see https://en.example/wiki/A_(b)) and (https://x.example/y)');
    assert.deepEqual([...c.querySelectorAll('a')].map((a) => a.getAttribute('data-href')), ['https://en.example/wiki/A_(b)', 'https://x.example/y']);
  });

  test('a link inside link text is flattened: no anchor inside an anchor', () => {
    const c = md.render('[see https://x.example](https://y.example)');
    assert.equal(c.querySelectorAll('a').length, 1);
    assert.equal(c.querySelector('a')!.textContent, 'see https://x.example');
  });

  test('clicking or pressing Enter on a link calls onLink and prevents navigation', () => {
    const hooks = recordingHooks();
    const c = md.render('[go](https://a.example)', hooks);
    const a = c.querySelector('a')!;
    const win = md.dom.window;
    const click = new win.MouseEvent('click', { bubbles: true, cancelable: true });
    a.dispatchEvent(click);
    assert.equal(click.defaultPrevented, true);
    a.dispatchEvent(new win.KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    assert.deepEqual(hooks.links, ['https://a.example', 'https://a.example']);
  });

  test('unordered, ordered (with start), nested and task lists', () => {
    assert.equal(html('- a\n- b\n  1. c\n  2. d'), '<ul><li>a</li><li>b<ol><li>c</li><li>d</li></ol></li></ul>');
    assert.equal(html('7. x\n8. y'), '<ol start="7"><li>x</li><li>y</li></ol>');
    assert.equal(html('- [ ] todo\n- [x] done'), '<ul><li class="md-task"><input type="checkbox" disabled="" aria-label="Not done"> todo</li><li class="md-task"><input type="checkbox" disabled="" aria-label="Done" checked=""> done</li></ul>');
  });

  test('a loose list wraps item text in paragraphs', () => {
    assert.equal(html('- a\n\n- b'), '<ul><li><p>a</p></li><li><p>b</p></li></ul>');
  });

  test('blockquotes nest and hold other blocks', () => {
    assert.equal(html('> # h\n> - a\n>\n> > deep'), '<blockquote><h1>h</h1><ul><li>a</li></ul><blockquote><p>deep</p></blockquote></blockquote>');
  });

  test('GFM tables with alignment and inline markup in cells', () => {
    assert.equal(
      html('| L | C | R |\n|:--|:-:|--:|\n| *a* | `b` | c |'),
      '<div class="md-table" tabindex="0" role="region" aria-label="Table"><table><thead><tr><th data-align="left">L</th><th data-align="center">C</th><th data-align="right">R</th></tr></thead>'
        + '<tbody><tr><td data-align="left"><em>a</em></td><td data-align="center"><code>b</code></td><td data-align="right">c</td></tr></tbody></table></div>',
    );
  });

  test('thematic breaks', () => {
    assert.equal(html('a\n\n---\n\n* * *\n___'), '<p>a</p><hr><hr><hr>');
  });

  test('fenced code: a header with the language and Copy / Insert at Cursor, highlighted lines', () => {
    const c = md.render('```python\ndef f():\n    return "x"  # note\n```');
    const block = c.querySelector('.md-code')!;
    assert.equal(block.getAttribute('data-lang'), 'python');
    assert.equal(block.querySelector('.md-code-lang')!.textContent, 'python');
    assert.deepEqual([...block.querySelectorAll('button')].map((b) => b.textContent), ['Copy', 'Insert at Cursor']);
    const code = block.querySelector('pre > code.language-python')!;
    assert.equal(code.textContent, 'def f():\n    return "x"  # note');
    assert.deepEqual([...code.querySelectorAll('[class^="hljs-"]')].map((s) => `${s.className}:${s.textContent}`), [
      'hljs-keyword:def', 'hljs-title function_:f', 'hljs-keyword:return', 'hljs-string:"x"', 'hljs-comment:# note',
    ]);
  });

  test('the code buttons hand the raw code to the hooks', () => {
    const hooks = recordingHooks();
    const c = md.render('~~~\n<b>&amp;</b>\n\tx\n~~~', hooks);
    const [copy, insert] = [...c.querySelectorAll('button')];
    copy.click();
    insert.click();
    assert.deepEqual(hooks.copied, ['<b>&amp;</b>\n\tx']);
    assert.deepEqual(hooks.inserted, ['<b>&amp;</b>\n\tx']);
  });

  test('a code block with an unknown language is plain text without token spans', () => {
    const c = md.render('```brainfuck\n+[-->-[>>+>-----<<]<--<---]>-.\n```');
    assert.equal(c.querySelectorAll('[class^="tok-"]').length, 0);
    assert.equal(c.querySelector('code')!.textContent, '+[-->-[>>+>-----<<]<--<---]>-.');
    assert.equal(c.querySelector('.md-code-lang')!.textContent, 'brainfuck');
  });

  test('images render as a load button naming the host, with the alt text beside it', () => {
    const c = md.render('![a chart](https://img.example.com/c.png)');
    const button = c.querySelector('button.md-image-load')!;
    assert.equal(button.textContent, 'Load image from img.example.com');
    assert.equal(c.querySelector('.md-image-alt')!.textContent, 'a chart');
    assert.equal(c.querySelector('img'), null);
  });

  test('clicking an image placeholder asks the host and shows only the raster data: URL it returns', async () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    const hooks = recordingHooks();
    hooks.imageAnswer = png;
    const c = md.render('![pic](https://img.example.com/p.png)', hooks);
    (c.querySelector('button.md-image-load') as HTMLButtonElement).click();
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(hooks.images, ['https://img.example.com/p.png']);
    const img = c.querySelector('img')!;
    assert.equal(img.getAttribute('src'), png);
    assert.equal(img.getAttribute('alt'), 'pic');
  });

  test('an SVG or non-image answer from the host is refused and the button offers a retry', async () => {
    for (const answer of ['data:image/svg+xml;base64,PHN2Zz4=', 'data:text/html;base64,PGI+', 'https://img.example.com/p.png']) {
      const hooks = recordingHooks();
      hooks.imageAnswer = answer;
      const c = md.render('![p](https://img.example.com/p.png)', hooks);
      const button = c.querySelector('button.md-image-load') as HTMLButtonElement;
      button.click();
      await new Promise((resolve) => setTimeout(resolve, 0));
      assert.equal(c.querySelector('img'), null, answer);
      assert.match(button.textContent ?? '', /failed, try again/);
      assert.equal(button.hasAttribute('disabled'), false);
    }
  });

  test('an embedded raster data: image is a placeholder too, shown on click without asking the host', async () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    const hooks = recordingHooks();
    const c = md.render(`![dot](${png})`, hooks);
    assert.equal(c.querySelector('img'), null);
    const button = c.querySelector('button.md-image-load') as HTMLButtonElement;
    assert.equal(button.textContent, 'Show embedded image');
    button.click();
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(hooks.images, []);
    assert.equal(c.querySelector('img')!.getAttribute('src'), png);
  });

  test('emoji and other astral characters survive intact, including next to delimiters', () => {
    assert.equal(html('**😀** 👍🏽 *é*'), '<p><strong>😀</strong> 👍🏽 <em>é</em></p>');
  });

  test('CRLF line endings render like LF', () => {
    assert.equal(html('# t\r\n\r\na\r\nb\r\n'), html('# t\n\na\nb\n'));
  });
});
