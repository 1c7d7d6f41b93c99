// The few line rules the streaming renderer applies itself, for the one block it draws line by line: an open
// top-level fenced code block. Everything else about structure comes from the parser (parse.ts).

/** Columns of leading whitespace; a tab advances to the next multiple of 4 (CommonMark's tab stop). */
export function indentOf(line: string): number {
  let cols = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === ' ') cols++;
    else if (c === '\t') cols += 4 - (cols % 4);
    else break;
  }
  return cols;
}

/**
 * Removes `n` columns of leading whitespace. A tab that straddles the cut becomes the spaces left over, so
 * the columns of the rest of the line stay where they were (tabs in code keep their meaning).
 */
export function stripColumns(line: string, n: number): string {
  let cols = 0;
  let i = 0;
  while (i < line.length && cols < n) {
    const c = line[i];
    if (c === ' ') cols++;
    else if (c === '\t') {
      const width = 4 - (cols % 4);
      if (cols + width > n) return ' '.repeat(cols + width - n) + line.slice(i + 1);
      cols += width;
    } else break;
    i++;
  }
  return line.slice(i);
}

export interface FenceOpen {
  char: '`' | '~';
  length: number;
  indent: number;
  info: string;
}

/** An opening code fence: three or more backticks or tildes, then an info string (its first word is the language). */
export function fenceOpen(line: string): FenceOpen | undefined {
  const m = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(line);
  if (!m) return undefined;
  const info = m[3].trim();
  // A backtick fence's info string may not contain backticks (otherwise ```x``` would be inline code).
  if (m[2][0] === '`' && info.includes('`')) return undefined;
  return { char: m[2][0] as '`' | '~', length: m[2].length, indent: m[1].length, info };
}

/** Whether `line` closes a fence opened with `open`: same character, at least as long, nothing after. */
export function closesFence(line: string, open: FenceOpen): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return !!m && m[1][0] === open.char && m[1].length >= open.length;
}

