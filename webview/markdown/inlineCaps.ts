// Bounds on the two inline constructs whose matching costs micromark the square of a paragraph's length:
// emphasis and strikethrough (each closing `*`, `_` or `~` run walks back over every earlier event of the
// paragraph) and link labels (each `]` walks back over every earlier `[`). A paragraph of thousands of them
// (`*_*_*_...`, `[a][a][a]...`, a model stuck in a loop) would cost seconds. Past the cap in one paragraph (or
// heading or table cell), further ones are plain text: every character is still shown, and the cost stays
// linear. The counts depend only on the paragraph's own text, so streamed and whole renders agree.
import type { Code, Effects, Extension, State, TokenizeContext } from 'micromark-util-types';
import { rootContext } from './tokenizeContext';

/** Runs of `*`, `_` or `~` per inline content that may still become emphasis or strikethrough. */
export const MAX_DELIMITER_RUNS = 1000;
/** `[` and `![` per inline content that may still start a link or an image. */
export const MAX_LABEL_STARTS = 1000;

const ASTERISK = 42;
const UNDERSCORE = 95;
const TILDE = 126;
const EXCLAMATION = 33;
const OPEN_BRACKET = 91;

/** Counts so far, per inline content (one tokenizer context each). */
const seen = new WeakMap<object, { runs: number; labels: number }>();

function counts(context: TokenizeContext): { runs: number; labels: number } {
  const root = rootContext(context);
  let c = seen.get(root);
  if (!c) seen.set(root, (c = { runs: 0, labels: 0 }));
  return c;
}

/** At the first `*`, `_` or `~` of a run: past the cap, the whole run is text. */
function tokenizeRun(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  if (++counts(this).runs <= MAX_DELIMITER_RUNS) return nok;
  let marker: Code = null;
  const run: State = (code) => {
    if (marker === null) {
      marker = code;
      effects.enter('data');
    }
    if (code === marker) {
      effects.consume(code);
      return run;
    }
    effects.exit('data');
    return ok(code);
  };
  return run;
}

/** At `[`, or `!` followed by `[`: past the cap, they are text. */
function tokenizeLabel(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const c = counts(this);
  const bracket: State = (code) => {
    if (code !== OPEN_BRACKET || ++c.labels <= MAX_LABEL_STARTS) return nok(code);
    effects.consume(code);
    effects.exit('data');
    return ok;
  };
  return (code) => {
    effects.enter('data');
    if (code === OPEN_BRACKET) return bracket(code);
    effects.consume(code);
    return bracket;
  };
}

const run = { name: 'delimiterRunCap', tokenize: tokenizeRun, add: 'before' as const };
const label = { name: 'labelStartCap', tokenize: tokenizeLabel, add: 'before' as const };

/** Goes before attention, strikethrough and label starts. */
export const inlineCaps: Extension = {
  text: { [ASTERISK]: run, [UNDERSCORE]: run, [TILDE]: run, [OPEN_BRACKET]: label, [EXCLAMATION]: label },
};
