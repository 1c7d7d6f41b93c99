// LaTeX's own inline delimiters, `\(...\)` and `\[...\]`, as math. CommonMark reads `\(` as an escaped
// parenthesis, which would drop the backslashes and let emphasis eat the `*` and `_` inside the formula; models
// write these delimiters all the time. The tokens are the ones micromark-extension-math uses for `$...$`, so
// mdast-util-math turns both into the same `inlineMath` node.
//
// `\[` is also how markdown escapes a bracket (`\[1\]`, `\[note\]`), so `\[...\]` is math only when its text
// looks like a formula: a TeX command (`\alpha`) or one of `^ _ = { } < > + |` (not escaped: `\[my\_var\]` is
// text). `\(...\)` needs a letter or digit. A formula may span lines (display math on lines of its own).
import type { Code, Construct, Effects, Extension, State, TokenizeContext } from 'micromark-util-types';
import { rootContext } from './tokenizeContext';

const BACKSLASH = 92;
const isAlphanumeric = (code: Code) => code !== null && ((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code > 127);
const isLetter = (code: Code) => code !== null && ((code >= 65 && code <= 90) || (code >= 97 && code <= 122));
/** ^ _ = { } < > + | */
const FORMULA_SIGNS = new Set([94, 95, 61, 123, 125, 60, 62, 43, 124]);
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

/**
 * Per inline content and closing character: the last scan that found no formula, from its opening backslash
 * to where it stopped (the closing backslash, or the end). An opening inside that span would stop at the same
 * place with less text, so it fails too without scanning: without this, a line of `\(\(\(...` costs the square
 * of its length.
 */
const failedScans = new WeakMap<object, Map<number, { from: number; to: number }>>();

/** Characters looked at inside formulas since the page loaded: the tests check that openings are not rescanned. */
export const mathScan = { characters: 0 };

const isLineEnding = (code: Code) => code === -5 || code === -4 || code === -3;

function tokenize(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this;
  const root = rootContext(this);
  let failed = failedScans.get(root);
  if (!failed) failedScans.set(root, (failed = new Map()));
  const from = this.now().offset;
  let close = CLOSE_PAREN;
  /** A letter or digit: `\(\\\)` is three escaped characters, not math. */
  let alphanumeric = false;
  /** A TeX command or a sign only formulas use (see the top of the file); `\[...\]` needs one. */
  let sign = false;

  const fail = (code: Code, to: number): State | undefined => {
    failed.set(close, { from, to });
    return nok(code);
  };
  const start: State = (code) => {
    effects.enter('mathText');
    effects.enter('mathTextSequence');
    effects.consume(code);
    return opening;
  };
  const opening: State = (code) => {
    if (code !== OPEN_PAREN && code !== OPEN_BRACKET) return nok(code);
    close = code === OPEN_PAREN ? CLOSE_PAREN : CLOSE_BRACKET;
    const last = failed.get(close);
    if (last && from > last.from && from < last.to) return nok(code);
    effects.consume(code);
    effects.exit('mathTextSequence');
    return data;
  };
  /** Whether a `mathTextData` token is open (line endings are tokens of their own between them). */
  let inData = false;
  const data: State = (code: Code) => {
    if (code === null) return fail(code, Infinity);
    mathScan.characters++;
    if (isLineEnding(code)) {
      if (inData) effects.exit('mathTextData');
      inData = false;
      effects.enter('lineEnding');
      effects.consume(code);
      effects.exit('lineEnding');
      return data;
    }
    if (!inData) {
      effects.enter('mathTextData');
      inData = true;
    }
    if (code === BACKSLASH) {
      return effects.check(closing, closeFound, escapedOrText)(code);
    }
    if (isAlphanumeric(code)) alphanumeric = true;
    if (FORMULA_SIGNS.has(code)) sign = true;
    effects.consume(code);
    return data;
  };
  const escapedOrText: State = (code) => {
    effects.consume(code);
    return afterBackslash;
  };
  /** After a backslash: a letter makes a TeX command; an escaped sign (`\_`) is text, not a formula sign. */
  const afterBackslash: State = (code) => {
    if (isLetter(code)) sign = true;
    if (code === null || code === BACKSLASH || isLineEnding(code) || isLetter(code)) return data(code);
    mathScan.characters++;
    if (isAlphanumeric(code)) alphanumeric = true;
    effects.consume(code);
    return data;
  };
  const closeFound: State = (code) => {
    if (!alphanumeric || (close === CLOSE_BRACKET && !sign)) return fail(code, self.now().offset);
    if (inData) effects.exit('mathTextData');
    effects.enter('mathTextSequence');
    effects.consume(code);
    return closeBracket;
  };
  const closeBracket: State = (code) => {
    effects.consume(code);
    effects.exit('mathTextSequence');
    effects.exit('mathText');
    return ok;
  };
  const closing: Construct = {
    tokenize(innerEffects, innerOk, innerNok) {
      return (code) => {
        innerEffects.consume(code);
        return (next) => (next === close ? innerOk(next) : innerNok(next));
      };
    },
  };
  return start;
}

/** `\(...\)` and `\[...\]` (within one paragraph) as inline math. */
export const mathBrackets: Extension = {
  text: { [BACKSLASH]: { name: 'mathBrackets', tokenize, add: 'before' } },
};
