// LaTeX's own inline delimiters, `\(...\)` and `\[...\]`, as math. CommonMark reads `\(` as an escaped
// parenthesis, which would drop the backslashes and let emphasis eat the `*` and `_` inside the formula; models
// write these delimiters all the time. The tokens are the ones micromark-extension-math uses for `$...$`, so
// mdast-util-math turns both into the same `inlineMath` node.
import type { Code, Construct, Effects, Extension, State, TokenizeContext } from 'micromark-util-types';

const BACKSLASH = 92;
const isAlphanumeric = (code: Code) => code !== null && ((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code > 127);
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

function tokenize(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let close = CLOSE_PAREN;
  /** A formula has a letter or digit: `\[\\\]` is three escaped characters, not math. */
  let formula = false;

  const start: State = (code) => {
    effects.enter('mathText');
    effects.enter('mathTextSequence');
    effects.consume(code);
    return opening;
  };
  const opening: State = (code) => {
    if (code !== OPEN_PAREN && code !== OPEN_BRACKET) return nok(code);
    close = code === OPEN_PAREN ? CLOSE_PAREN : CLOSE_BRACKET;
    effects.consume(code);
    effects.exit('mathTextSequence');
    effects.enter('mathTextData');
    return data;
  };
  const data: State = (code: Code) => {
    if (code === null) return nok(code);
    if (code === BACKSLASH) {
      return effects.check(closing, closeFound, escapedOrText)(code);
    }
    if (isAlphanumeric(code)) formula = true;
    effects.consume(code);
    return data;
  };
  const escapedOrText: State = (code) => {
    effects.consume(code);
    return data;
  };
  const closeFound: State = (code) => {
    if (!formula) return nok(code);
    effects.exit('mathTextData');
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
