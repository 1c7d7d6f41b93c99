// Line classifiers for the block scanner. Every function looks at one line only, so the scanner can decide
// where blocks begin and end without looking back at text it has already passed.

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

export const isBlank = (line: string): boolean => /^[ \t]*$/.test(line);

/** `# Title` (up to 6 hashes, then a space or the end); the optional closing hashes are dropped. */
export function atxHeading(line: string): { level: number; text: string } | undefined {
  const m = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/.exec(line);
  if (!m) return undefined;
  let text = m[2] ?? '';
  // A closing sequence counts only when separated by a space (or is all there is): "# C#" keeps its hash.
  text = text.replace(/(^|[ \t]+)#+$/, '');
  return { level: m[1].length, text };
}

/** Three or more of the same `-`, `*` or `_`, optionally separated by spaces. */
export const isThematicBreak = (line: string): boolean => /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/.test(line);

/** The underline of a setext heading: level 1 for `===`, 2 for `---`. */
export function setextLevel(line: string): 1 | 2 | undefined {
  const m = /^ {0,3}(=+|-+)[ \t]*$/.exec(line);
  if (!m) return undefined;
  return m[1][0] === '=' ? 1 : 2;
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

export const isQuoteLine = (line: string): boolean => /^ {0,3}>/.test(line);

/** The text of a blockquote line after its `>` and the one optional space. */
export function stripQuoteMarker(line: string): string {
  const m = /^ {0,3}>/.exec(line)!;
  const rest = line.slice(m[0].length);
  if (rest.startsWith(' ')) return rest.slice(1);
  // A tab after `>` counts as one column of the marker's space; the rest of the tab stays as spaces.
  if (rest.startsWith('\t')) return stripColumns(' '.repeat(m[0].length) + rest, m[0].length + 1);
  return rest;
}

export interface ListMarker {
  ordered: boolean;
  /** The bullet (`-`, `+`, `*`) or the ordered delimiter (`.`, `)`): items of one list share it. */
  char: string;
  start: number;
  /** Columns before the content of the item's first line (where continuation lines must be indented to). */
  contentIndent: number;
  /** The first line's content with the marker removed. */
  content: string;
  /** Nothing after the marker. */
  empty: boolean;
}

/** A list item marker at indent 0-3: `- `, `* `, `+ `, `1. `, `1) ` (a space, a tab or the end must follow). */
export function listMarker(line: string): ListMarker | undefined {
  const m = /^([ \t]*)([-+*]|(\d{1,9})([.)]))(?=[ \t]|$)/.exec(line);
  if (!m) return undefined;
  const indent = indentOf(m[1]);
  if (indent > 3) return undefined;
  const ordered = m[3] !== undefined;
  const markerEnd = indent + m[2].length;
  // Replace the marker by spaces of the same width so the columns of what follows (and its tabs) stay put.
  const masked = ' '.repeat(markerEnd) + line.slice(m[0].length);
  const empty = isBlank(masked);
  const spaces = indentOf(masked) - markerEnd;
  // 1-4 spaces belong to the marker; with 5 or more (or none, at the end) only one does.
  const contentIndent = empty || spaces > 4 ? markerEnd + 1 : markerEnd + spaces;
  return {
    ordered,
    char: ordered ? m[4] : m[2],
    start: ordered ? Number(m[3]) : 1,
    contentIndent,
    content: empty ? '' : stripColumns(masked, contentIndent),
    empty,
  };
}

/** Cells of a table row: split at unescaped pipes, the outer pipes dropped, each cell trimmed. */
export function splitCells(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && s[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (c === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

export type Align = 'left' | 'center' | 'right' | '';

/** A GFM table delimiter row (`| --- | :-: |`): the alignment of each column, or undefined. */
export function tableDelimiter(line: string): Align[] | undefined {
  // A pipe is required so a lone `---` stays a setext underline or a thematic break.
  if (!line.includes('|') || !/^[ \t|:-]+$/.test(line)) return undefined;
  const cells = splitCells(line);
  const aligns: Align[] = [];
  for (const cell of cells) {
    const m = /^(:?)-+(:?)$/.exec(cell);
    if (!m) return undefined;
    aligns.push(m[1] && m[2] ? 'center' : m[2] ? 'right' : m[1] ? 'left' : '');
  }
  return aligns;
}

/**
 * Whether the line starts a block that may interrupt a paragraph (so it is neither a paragraph continuation
 * nor a lazy continuation line): a heading, a fence, a quote, a thematic break, or a non-empty bullet item or
 * an ordered item numbered 1.
 */
export function interruptsParagraph(line: string): boolean {
  if (indentOf(line) > 3) return false;
  if (atxHeading(line) || fenceOpen(line) || isQuoteLine(line) || isThematicBreak(line)) return true;
  const marker = listMarker(line);
  return !!marker && !marker.empty && (!marker.ordered || marker.start === 1);
}
