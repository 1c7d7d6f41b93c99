// Markdown samples shaped like LLM answers, with the awkward corners streaming must survive: fences of both
// kinds, tables, nested and loose lists, lazy lines, links, emoji (surrogate pairs), CRLF and a trailing
// unclosed fence.

export const MIXED_ANSWER = `# Setting up the **project** 🚀

Here is a short plan. It uses *emphasis*, __strong__, ~~strike~~, \`inline code\`, a [link](https://example.com/docs "Docs")
and a bare URL https://example.org/path_(x). An autolink: <https://example.net>. Emoji: 👩‍💻 🇫🇷 😀.
A hard break follows  
right here.

1. Install the tools:
   \`\`\`bash
   npm install --save-dev typescript # compiler
   export PATH="$HOME/bin:$PATH"
   \`\`\`
2. Write the config
   - nested *item*
   - [x] a finished task
   - [ ] an open task
3. Run it

- loose item one

- loose item two
continued lazily

> A quote with **bold**
lazy quote line
> > and a nested quote

| Option | Default | Meaning |
|:-------|:-------:|--------:|
| \`strict\` | true | *type* checks |
| target | ES2022 | output \\| level |

\`\`\`ts
// a comment
interface User { name: string; age: number }
const greet = (u: User): string => \`Hello \${u.name}\`;
/* a block
   comment */ let n = 0x1F + 3.5e2;
\`\`\`

~~~python
def f(x):
    """Doc
    string"""
    return x * 2  # twice
~~~

Setext heading
--------------

***

Text with <b>html</b> & entities &amp; &#x1F600; and ![an image](https://img.example.com/a.png).

\`\`\`json
{ "key": [1, 2.5, true, null], "s": "v" }
\`\`\`
`;

export const CORNER_CASES = [
  'plain',
  '',
  '\n\n\n',
  '**bold** and **unclosed',
  '```\nunclosed fence\nstill code',
  '```js\nconst a = "x";\n```',
  '| a | b |\n|---|---|\n| 1 | 2 |\n| 3 |',
  '- a\n  - b\n    - c\n- d',
  '1. one\n1. two\n\n   para in two\n3. three',
  '> q\n> ```\n> code\n> ```\nafter',
  '[broken](https://x.example\n[ok](https://y.example)',
  '😀😀😀 **😀** 👍🏽👍🏽',
  'a\r\nb\r\n\r\n# h\r\n',
  'text\n===\nmore\n---\n- - -',
  'para\n```\nfence interrupts\n```\n# heading right after',
  '~~~~\n~~~\n```\n~~~~~',
  '* * *\n- item\n***',
  'line one\\\nline two  \nline three',
  '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>',
];
