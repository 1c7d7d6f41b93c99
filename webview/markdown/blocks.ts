// The block tree the scanner produces and the renderer draws. Plain data: no DOM, no positions.
import type { Align } from './lineSyntax';

export interface ParagraphBlock {
  kind: 'paragraph';
  /** Lines with their leading whitespace removed. */
  lines: string[];
}
export interface HeadingBlock {
  kind: 'heading';
  level: number;
  text: string;
}
export interface CodeBlock {
  kind: 'code';
  /** The first word of the info string (`ts` in ```` ```ts title ````), or ''. */
  lang: string;
  /** The code, one entry per line, without the fences. Grows while the block is open. */
  lines: string[];
}
export interface ThematicBreakBlock {
  kind: 'hr';
}
export interface TableBlock {
  kind: 'table';
  aligns: Align[];
  header: string[];
  /** Each row has exactly as many cells as the header (padded or cut). */
  rows: string[][];
}
export interface QuoteBlock {
  kind: 'quote';
  children: Block[];
}
export interface ListItem {
  children: Block[];
}
export interface ListBlock {
  kind: 'list';
  ordered: boolean;
  start: number;
  /** A loose list (blank lines between items or inside one) wraps item text in paragraphs. */
  loose: boolean;
  items: ListItem[];
}

export type Block = ParagraphBlock | HeadingBlock | CodeBlock | ThematicBreakBlock | TableBlock | QuoteBlock | ListBlock;
