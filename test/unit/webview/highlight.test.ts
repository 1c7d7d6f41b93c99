import { strict as assert } from 'node:assert';
import { START_STATE, highlightLine, type LineState } from '../../../webview/markdown/highlight';
import { languageSpec } from '../../../webview/markdown/languages';

/** Highlights lines in order, carrying the state, and lists the classed tokens as `kind:text`. */
function tokens(lang: string, code: string): string[] {
  const spec = languageSpec(lang);
  assert.ok(spec, `no spec for ${lang}`);
  let state: LineState = START_STATE;
  const out: string[] = [];
  for (const line of code.split('\n')) {
    const result = highlightLine(spec, line, state);
    state = result.state;
    for (const t of result.tokens) if (t.kind) out.push(`${t.kind}:${t.text}`);
  }
  return out;
}

/** The line's tokens joined back: highlighting must never lose or add characters. */
function roundTrip(lang: string, line: string): string {
  return highlightLine(languageSpec(lang)!, line, START_STATE).tokens.map((t) => t.text).join('');
}

suite('code highlighting: a line tokenizer per language', () => {
  test('TypeScript / JavaScript: keywords, types, strings, template literals, numbers, comments', () => {
    assert.deepEqual(tokens('ts', 'const n: number = 0x1F; // hex'), ['keyword:const', 'type:number', 'number:0x1F', 'comment:// hex']);
    assert.deepEqual(tokens('js', 'let s = `a\nb` + "c\\"d" + \'e\';'), ['keyword:let', 'string:`a', 'string:b`', 'string:"c\\"d"', "string:'e'"]);
    assert.deepEqual(tokens('typescript', 'class Foo extends Bar { run() { return null } }'), ['keyword:class', 'type:Foo', 'keyword:extends', 'type:Bar', 'function:run', 'keyword:return', 'literal:null']);
  });

  test('a block comment carries over line ends and ends where it closes', () => {
    assert.deepEqual(tokens('c', 'int a; /* one\ntwo\nthree */ return 1;'), ['type:int', 'comment:/* one', 'comment:two', 'comment:three */', 'keyword:return', 'number:1']);
  });

  test('Python: triple-quoted strings span lines; # comments; True/None are literals', () => {
    assert.deepEqual(tokens('py', 'def f():\n    """doc\n    more"""\n    return None  # x'), ['keyword:def', 'function:f', 'string:"""doc', 'string:    more"""', 'keyword:return', 'literal:None', 'comment:# x']);
  });

  test('JSON: property names, strings, numbers and literals', () => {
    assert.deepEqual(tokens('json', '{"a": [1, -2.5e3, true, null, "s"]}'), ['property:"a"', 'number:1', 'number:2.5e3', 'literal:true', 'literal:null', 'string:"s"']);
  });

  test('shell: # starts a comment only at a word start; $variables', () => {
    assert.deepEqual(tokens('bash', 'echo "$HOME" a#b $# ${X} # real'), ['string:"$HOME"', 'variable:$#', 'variable:${X}', 'comment:# real']);
    assert.deepEqual(tokens('sh', 'if [ -f x ]; then exit 0; fi'), ['keyword:if', 'keyword:then', 'keyword:exit', 'number:0', 'keyword:fi']);
  });

  test('Rust: char literals are strings, lifetimes are not', () => {
    assert.deepEqual(tokens('rust', "fn f<'a>(c: char) -> &'a str { let x = 'y'; }"), ['keyword:fn', 'type:char', 'type:str', 'keyword:let', "string:'y'"]);
  });

  test('Go: raw backtick strings span lines', () => {
    assert.deepEqual(tokens('go', 'func main() {\n\ts := `a\nb`\n}'), ['keyword:func', 'function:main', 'string:`a', 'string:b`']);
  });

  test('C/C++ preprocessor lines and Java keywords', () => {
    assert.deepEqual(tokens('cpp', '#include <stdio.h>\n#define N 10'), ['meta:#include', 'meta:#define', 'number:10']);
    assert.deepEqual(tokens('java', 'public static void main(String[] args) {}'), ['keyword:public', 'keyword:static', 'type:void', 'function:main', 'type:String']);
  });

  test('an unterminated single-line string ends at its line end instead of colouring the rest', () => {
    assert.deepEqual(tokens('js', 'let a = "open\nlet b = 1'), ['keyword:let', 'string:"open', 'keyword:let', 'number:1']);
  });

  test('identifiers containing digits are not numbers', () => {
    assert.deepEqual(tokens('js', 'x1 = v2 + 3'), ['number:3']);
  });

  test('tokens always join back to the exact line', () => {
    for (const [lang, line] of [['ts', 'a /* b */ `c${d}` // e'], ['py', "r'x' f\"{y}\" 1_000"], ['bash', "echo 'it''s' \\\" $((1+2))"], ['rust', "b'x' r\"raw\" 'a"], ['json', '{"k":"v\\u0041"}']]) {
      assert.equal(roundTrip(lang, line), line);
    }
  });

  test('language names are matched case-insensitively with common aliases; unknown ones have no spec', () => {
    for (const name of ['TS', 'tsx', 'JavaScript', 'py', 'python3', 'jsonc', 'shell', 'zsh', 'rs', 'golang', 'c++', 'hpp', 'Java']) assert.ok(languageSpec(name), name);
    assert.equal(languageSpec('cobol'), undefined);
    assert.equal(languageSpec('constructor'), undefined, 'no prototype lookups');
  });
});
