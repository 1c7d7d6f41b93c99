// Bounds on the inline constructs whose matching costs micromark the square of a paragraph's length: emphasis
// and strikethrough (each closing `*`, `_` or `~` run walks back over every earlier event of the paragraph),
// link labels (each `]` walks back over every earlier `[`, and an unclosed `[a](b (` scans to the end) and
// inline HTML (an unclosed `<?`, `<!--` or `<a b="` scans to the end). A paragraph of thousands of them
// (`*_*_*_...`, `[a][a][a]...`, a model stuck in a loop) would cost seconds. Past a cap in one paragraph (or
// heading or table cell), further ones are plain text: every character is still shown, and each paragraph
// costs at most the cap times its length. The counts depend only on the paragraph's own text, so streamed and
// whole renders agree.
import { classifyCharacter } from 'micromark-util-classify-character';
import type { Code, Effects, Extension, State, TokenizeContext } from 'micromark-util-types';
import { rootContext } from './tokenizeContext';

/** Runs of `*`, `_` or `~` that can open or close, per inline content, that may still become emphasis. */
export const MAX_DELIMITER_RUNS = 1000;
/** `[` and `![` per inline content that may still start a link or an image. */
export const MAX_LABEL_STARTS = 1000;
/** `<` followed by a letter, `!`, `?` or `/` per inline content that may still be an autolink or inline HTML. */
export const MAX_ANGLE_OPENINGS = 200;

const ASTERISK = 42;
const UNDERSCORE = 95;
const TILDE = 126;
const EXCLAMATION = 33;
const OPEN_BRACKET = 91;
const LESS_THAN = 60;
const QUESTION = 63;
const SLASH = 47;

interface Counts {
  runs: number;
  labels: number;
  angles: number;
}

/** Counts so far, per inline content (one tokenizer context each). */
const seen = new WeakMap<object, Counts>();

function counts(context: TokenizeContext): Counts {
  const root = rootContext(context);
  let c = seen.get(root);
  if (!c) seen.set(root, (c = { runs: 0, labels: 0, angles: 0 }));
  return c;
}

/**
 * At a `*`, `_` or `~`: a run that can open or close (CommonMark's flanking rules, as micromark applies them)
 * counts; past the cap it is text. A run that can do neither (`snake_case`) is left alone and not counted.
 */
function tokenizeRun(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const previous = this.previous;
  let marker: Code = null;
  const c = counts(this);
  const start: State = (code) => {
    // Strikethrough gives up on a run it cannot use and is tried again one character later: count run starts.
    if (previous === code) return nok(code);
    marker = code;
    effects.enter('data');
    return inside(code);
  };
  const inside: State = (code) => {
    if (code === marker) {
      effects.consume(code);
      return inside;
    }
    if (!canOpenOrClose(marker, previous, code) || ++c.runs <= MAX_DELIMITER_RUNS) return nok(code);
    effects.exit('data');
    return ok(code);
  };
  return start;
}

function canOpenOrClose(marker: Code, previous: Code, next: Code): boolean {
  const before = classifyCharacter(previous);
  const after = classifyCharacter(next);
  // micromark's attention: a `~` next to the run (strikethrough's marker) counts as punctuation that opens.
  const open = !after || (after === 2 && !!before) || next === TILDE;
  const close = !before || (before === 2 && !!after) || previous === TILDE;
  if (marker !== UNDERSCORE) return open || close;
  return (open && (!!before || !close)) || (close && (!!after || !open));
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

/** At `<` before a letter, `!`, `?` or `/` (what an autolink or inline HTML starts with): past the cap, text. */
function tokenizeAngle(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const c = counts(this);
  const after: State = (code) => {
    const opening = code === EXCLAMATION || code === QUESTION || code === SLASH || (code !== null && ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)));
    if (!opening || ++c.angles <= MAX_ANGLE_OPENINGS) return nok(code);
    effects.exit('data');
    return ok(code);
  };
  return (code) => {
    effects.enter('data');
    effects.consume(code);
    return after;
  };
}

const run = { name: 'delimiterRunCap', tokenize: tokenizeRun, add: 'before' as const };
const label = { name: 'labelStartCap', tokenize: tokenizeLabel, add: 'before' as const };
const angle = { name: 'angleCap', tokenize: tokenizeAngle, add: 'before' as const };

/** Goes before attention, strikethrough, label starts, autolinks and inline HTML. */
export const inlineCaps: Extension = {
  text: { [ASTERISK]: run, [UNDERSCORE]: run, [TILDE]: run, [OPEN_BRACKET]: label, [EXCLAMATION]: label, [LESS_THAN]: angle },
};
