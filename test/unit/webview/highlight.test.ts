import { strict as assert } from 'node:assert';
import { LANGUAGES, knownLanguage } from '../../../webview/markdown/highlight';
import { MarkdownDom } from './markdownTestKit';

/** The classed spans of the first code block as `class:text`. */
function tokens(md: MarkdownDom, lang: string, code: string): string[] {
  const c = md.render('```' + lang + '\n' + code + '\n```');
  return [...c.querySelectorAll('pre code span[class]')].map((s) => `${s.getAttribute('class')}:${s.textContent}`);
}

suite('code highlighting (lowlight, highlight.js grammars)', () => {
  let md: MarkdownDom;
  suiteSetup(() => {
    md = new MarkdownDom();
  });

  test('knows at least the 35 most used languages, by name and by the aliases models write', () => {
    assert.ok(LANGUAGES.length >= 35, `only ${LANGUAGES.length} grammars`);
    const wanted = ['ts', 'typescript', 'js', 'javascript', 'jsx', 'tsx', 'py', 'python', 'java', 'c', 'cpp', 'c++', 'cs', 'csharp', 'go', 'rust', 'rs', 'rb', 'ruby', 'php',
      'swift', 'kotlin', 'kt', 'scala', 'sh', 'bash', 'zsh', 'shell', 'console', 'powershell', 'ps1', 'sql', 'html', 'xml', 'css', 'scss', 'less', 'json', 'yaml', 'yml',
      'toml', 'ini', 'markdown', 'md', 'diff', 'dockerfile', 'makefile', 'lua', 'perl', 'r', 'dart', 'haskell', 'elixir', 'objectivec', 'graphql', 'protobuf', 'nginx', 'latex'];
    const missing = wanted.filter((lang) => !knownLanguage(lang));
    assert.deepEqual(missing, []);
    console.log(`      (${LANGUAGES.length} grammars)`);
  });

  test('TypeScript: keywords, strings, numbers and comments get their classes', () => {
    const t = tokens(md, 'ts', 'const n: number = 0x1F; // hex\nlet s = "a";');
    for (const want of ['hljs-keyword:const', 'hljs-built_in:number', 'hljs-number:0x1F', 'hljs-comment:// hex', 'hljs-string:"a"']) assert.ok(t.includes(want), `${want} in ${t.join(', ')}`);
  });

  test('a block comment spanning lines is one comment (the block is highlighted whole once finished)', () => {
    const t = tokens(md, 'c', 'int a; /* one\ntwo\nthree */ return 1;');
    assert.ok(t.includes('hljs-comment:/* one\ntwo\nthree */'), t.join(', '));
  });

  test('highlighting never adds or loses a character', () => {
    const code = 'fn main() {\n    let c = \'x\'; // "quoted"\n    println!("{}", c);\n}\n\tdone';
    for (const lang of ['rust', 'python', 'bash', 'json', 'html', 'nonsense-lang', '']) {
      const c = md.render('```' + lang + '\n' + code + '\n```');
      assert.equal(c.querySelector('pre code')!.textContent, code, lang);
    }
  });

  test('an unknown language is plain text with its name in the header; no language is "text"', () => {
    const c = md.render('```frobnicate\nx = 1\n```\n\n```\ny\n```');
    const blocks = c.querySelectorAll('.md-code');
    assert.equal(blocks[0].querySelector('.md-code-lang')!.textContent, 'frobnicate');
    assert.equal(blocks[0].querySelectorAll('pre code span').length, 0);
    assert.equal(blocks[1].querySelector('.md-code-lang')!.textContent, 'text');
  });

  test('HTML in a code block is highlighted as text nodes, never parsed into elements', () => {
    const c = md.render('```html\n<img src=x onerror=alert(1)><script>alert(2)</script>\n```');
    assert.equal(c.querySelectorAll('img, script').length, 0);
    assert.equal(c.querySelector('pre code')!.textContent, '<img src=x onerror=alert(1)><script>alert(2)</script>');
  });
});
