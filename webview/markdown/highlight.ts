// A line-at-a-time tokenizer. It carries a small state from one line to the next (inside a block comment or a
// multi-line string), so a streamed code block highlights each finished line once and only re-tokenizes the
// line still being written.
import type { LanguageSpec } from './languages';

/** Token classes; the renderer prefixes them with `tok-`. */
export type TokenKind = 'keyword' | 'string' | 'comment' | 'number' | 'literal' | 'type' | 'function' | 'variable' | 'property' | 'meta';

export interface Token {
  text: string;
  kind?: TokenKind;
}

/** Where a line ends up: in normal code, in a block comment, or inside the multi-line string rule with that index. */
export type LineState = { in: 'code' } | { in: 'comment' } | { in: 'string'; rule: number };

export const START_STATE: LineState = { in: 'code' };

const IDENT = /[A-Za-z_$][\w$]*/y;
const NUMBER = /(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?)[a-zA-Z0-9_]*/y;
const RUST_CHAR = /'(?:\\.[^']*|[^\\'])'/y;

/** Tokenizes one line (without its line ending) starting in `state`; returns the tokens and the state after it. */
export function highlightLine(spec: LanguageSpec, line: string, state: LineState): { tokens: Token[]; state: LineState } {
  const tokens: Token[] = [];
  const push = (text: string, kind?: TokenKind) => {
    if (!text) return;
    const last = tokens[tokens.length - 1];
    if (last && last.kind === kind) last.text += text;
    else tokens.push(kind ? { text, kind } : { text });
  };
  let i = 0;

  // Finish what the previous line left open.
  if (state.in === 'comment') {
    const end = line.indexOf(spec.blockComment![1]);
    if (end < 0) {
      push(line, 'comment');
      return { tokens, state };
    }
    i = end + spec.blockComment![1].length;
    push(line.slice(0, i), 'comment');
    state = START_STATE;
  } else if (state.in === 'string') {
    const rule = spec.strings[state.rule];
    const end = findClose(line, 0, rule.close, rule.escapes);
    if (end < 0) {
      push(line, 'string');
      return { tokens, state };
    }
    i = end;
    push(line.slice(0, i), 'string');
    state = START_STATE;
  }

  if (spec.preprocessor && i === 0 && /^\s*#\s*[a-z]+/.test(line)) {
    const m = /^\s*#\s*[a-z]+/.exec(line)!;
    push(m[0], 'meta');
    i = m[0].length;
  }

  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t') {
      let j = i;
      while (line[j] === ' ' || line[j] === '\t') j++;
      push(line.slice(i, j));
      i = j;
      continue;
    }
    // Comments.
    const lineComment = spec.lineComments.find((open) => line.startsWith(open, i));
    if (lineComment && (!spec.hashCommentAtWordStart || i === 0 || /\s/.test(line[i - 1]))) {
      push(line.slice(i), 'comment');
      return { tokens, state: START_STATE };
    }
    if (spec.blockComment && line.startsWith(spec.blockComment[0], i)) {
      const end = line.indexOf(spec.blockComment[1], i + spec.blockComment[0].length);
      if (end < 0) {
        push(line.slice(i), 'comment');
        return { tokens, state: { in: 'comment' } };
      }
      const stop = end + spec.blockComment[1].length;
      push(line.slice(i, stop), 'comment');
      i = stop;
      continue;
    }
    // Strings.
    if (spec.charLiterals && c === "'") {
      RUST_CHAR.lastIndex = i;
      const m = RUST_CHAR.exec(line);
      if (m) {
        push(m[0], 'string');
        i += m[0].length;
      } else {
        push(c); // a lifetime
        i++;
      }
      continue;
    }
    const ruleIndex = spec.strings.findIndex((r) => line.startsWith(r.open, i));
    if (ruleIndex >= 0) {
      const rule = spec.strings[ruleIndex];
      const end = findClose(line, i + rule.open.length, rule.close, rule.escapes);
      if (end < 0) {
        push(line.slice(i), 'string');
        // A single-line string left open ends with its line rather than colouring the rest of the block.
        return { tokens, state: rule.multiline ? { in: 'string', rule: ruleIndex } : START_STATE };
      }
      const text = line.slice(i, end);
      i = end;
      const isKey = spec.propertyKeys && /^\s*:/.test(line.slice(i));
      push(text, isKey ? 'property' : 'string');
      continue;
    }
    // Shell variables.
    if (spec.dollarVariables && c === '$') {
      const m = /\$(?:\{[^}]*\}|[A-Za-z_][\w]*|[0-9#?@*$!-])/y;
      m.lastIndex = i;
      const hit = m.exec(line);
      if (hit) {
        push(hit[0], 'variable');
        i += hit[0].length;
        continue;
      }
    }
    // Numbers, at a word start only (so `x1` stays an identifier).
    if (/[0-9.]/.test(c) && (i === 0 || !/[\w$]/.test(line[i - 1]))) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(line);
      if (m && /\d/.test(m[0])) {
        push(m[0], 'number');
        i += m[0].length;
        continue;
      }
    }
    // Identifiers.
    IDENT.lastIndex = i;
    const ident = /[A-Za-z_$]/.test(c) ? IDENT.exec(line) : null;
    if (ident) {
      const word = ident[0];
      i += word.length;
      push(word, classifyWord(spec, word, line, i));
      continue;
    }
    push(c);
    i++;
  }
  return { tokens, state: START_STATE };
}

function classifyWord(spec: LanguageSpec, word: string, line: string, end: number): TokenKind | undefined {
  if (spec.keywords.has(word)) return 'keyword';
  if (spec.literals.has(word)) return 'literal';
  if (spec.types.has(word)) return 'type';
  if (/^\s*\(/.test(line.slice(end, end + 8))) return 'function';
  if (spec.capitalizedTypes && /^[A-Z][a-z0-9]/.test(word)) return 'type';
  return undefined;
}

/** The index just past the closing delimiter, or -1 when the line ends first. */
function findClose(line: string, from: number, close: string, escapes: boolean): number {
  for (let i = from; i < line.length; i++) {
    if (escapes && line[i] === '\\') {
      i++;
      continue;
    }
    if (line.startsWith(close, i)) return i + close.length;
  }
  return -1;
}
