// Pure: splits a selection into parts at line boundaries so that each part fits a model's context. A line is
// never cut: every line lands in exactly one part, the parts in order join back into the selection exactly,
// and each part's estimated size is within the budget. A single line larger than the budget is an error that
// names the line, not a silent cut.

/** One part of a selection: its lines (numbered as in the file, inclusive) and its text, line ends kept. */
export interface Chunk {
  startLine: number;
  endLine: number;
  text: string;
  /** The estimated tokens of `text` (characters / 4, as the runner estimates). */
  tokens: number;
}

/** A line that does not fit in one part by itself. */
export class LineTooLongError extends Error {
  constructor(readonly line: number, readonly tokens: number, readonly budget: number) {
    super(`line ${line} alone is about ${tokens} tokens, more than the ${budget} tokens a part may hold`);
    this.name = 'LineTooLongError';
  }
}

/** Tokens for a number of characters: the same characters / 4 estimate the model runner uses. */
export const tokensForChars = (chars: number): number => Math.ceil(chars / 4);

/** The lines of a text, each with its line end (`\n` or `\r\n`); the last one may have none. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * Splits `text` into as few parts as the budget allows, of similar size, at line boundaries.
 * @param budgetTokens  the most tokens one part may hold (a whole number, at least 1)
 * @param firstLine     the line number of the text's first line in its file (1-based)
 * @throws LineTooLongError when one line alone is over the budget
 */
export function splitAtLines(text: string, budgetTokens: number, firstLine = 1): Chunk[] {
  if (!Number.isInteger(budgetTokens) || budgetTokens < 1) throw new RangeError(`the budget must be a whole number of tokens, at least 1, but is ${budgetTokens}`);
  const lines = splitLines(text);
  if (lines.length === 0) return [];
  const budgetChars = budgetTokens * 4;
  let longest = 0;
  lines.forEach((l, i) => {
    if (l.length > budgetChars) throw new LineTooLongError(firstLine + i, tokensForChars(l.length), budgetTokens);
    longest = Math.max(longest, l.length);
  });
  // The fewest parts a greedy fill needs, then the smallest part size that still needs no more parts, so the
  // parts are of similar size (the last is not a sliver, parallel requests take similar time).
  const fewest = pack(lines, budgetChars).length;
  let low = Math.max(Math.ceil(text.length / fewest), longest);
  let high = budgetChars;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (pack(lines, mid).length <= fewest) high = mid;
    else low = mid + 1;
  }
  const ranges = pack(lines, low);
  return ranges.map(([from, to]) => {
    const partText = lines.slice(from, to).join('');
    return { startLine: firstLine + from, endLine: firstLine + to - 1, text: partText, tokens: tokensForChars(partText.length) };
  });
}

/** Fills parts line by line, closing one when the next line would take it past `limit` characters. Returns [from, to) line ranges. */
function pack(lines: readonly string[], limit: number): [number, number][] {
  const out: [number, number][] = [];
  let from = 0;
  let chars = 0;
  for (let i = 0; i < lines.length; i++) {
    const n = lines[i].length;
    if (i > from && chars + n > limit) {
      out.push([from, i]);
      from = i;
      chars = 0;
    }
    chars += n;
  }
  out.push([from, lines.length]);
  return out;
}
