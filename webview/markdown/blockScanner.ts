// An incremental, line-at-a-time block parser. It keeps only the state of the block still open, decides from
// each new line alone whether that block goes on, and hands out blocks as soon as they are finished. The same
// class parses the inside of list items and blockquotes (one nested scanner per open container), so the
// streaming renderer and the one-shot renderer cannot disagree about structure.
import type { Block, CodeBlock, ListBlock } from './blocks';
import {
  atxHeading, closesFence, fenceOpen, indentOf, interruptsParagraph, isBlank, isQuoteLine, isThematicBreak,
  listMarker, setextLevel, splitCells, stripColumns, stripQuoteMarker, tableDelimiter,
  type Align, type FenceOpen, type ListMarker,
} from './lineSyntax';

interface OpenParagraph { kind: 'paragraph'; lines: string[]; startLine: number }
interface OpenFence { kind: 'code'; fence: FenceOpen; block: CodeBlock; startLine: number }
interface OpenTable { kind: 'table'; aligns: Align[]; header: string[]; rows: string[][]; startLine: number }
interface OpenQuote { kind: 'quote'; inner: BlockScanner; startLine: number }
interface OpenItem { inner: BlockScanner; contentIndent: number }
interface OpenList {
  kind: 'list';
  ordered: boolean;
  char: string;
  start: number;
  loose: boolean;
  items: OpenItem[];
  /** The previous line was blank (a new item after it makes the list loose). */
  afterBlank: boolean;
  startLine: number;
}
type Open = OpenParagraph | OpenFence | OpenTable | OpenQuote | OpenList;

/** What the open block does with a line. */
const enum Verdict {
  /** The line belongs to the block, which stays open. */
  Taken,
  /** The line belongs to the block and ends it (a closing fence, a setext underline). */
  TakenAndClosed,
  /** The block ended before this line; the line starts something else. */
  Refused,
}

/** The open block's code block, when the open block is a fenced code block (the streaming renderer draws it line by line). */
export interface OpenCode {
  block: CodeBlock;
  fence: FenceOpen;
}

/** Containers nest at most this deep; deeper `>` or list markers are text (a line of 10,000 `>` must not recurse). */
const MAX_DEPTH = 24;

/**
 * Parses lines into blocks incrementally: `push` one complete line at a time, `takeFinished` the blocks that
 * can no longer change, `close` at the end. Work per line is constant apart from nesting depth (and a
 * paragraph turning into a table), so feeding a long answer line by line is linear.
 */
export class BlockScanner {
  private finished: Block[] = [];
  private open: Open | undefined;
  private lineNo = 0;
  /** The last line seen at this level was blank. */
  private afterBlank = false;
  private hadBlock = false;
  /** A blank line separated two blocks at this level: a list item containing this scanner is loose. */
  blankBetweenBlocks = false;

  constructor(private readonly depth = 0) {}

  /** Index (in pushed lines) of the first line of the open block; equals the line count when nothing is open. */
  get openStartLine(): number {
    return this.open ? this.open.startLine : this.lineNo;
  }

  /** The open fenced code block, if that is what is open. */
  get openCode(): OpenCode | undefined {
    return this.open?.kind === 'code' ? { block: this.open.block, fence: this.open.fence } : undefined;
  }

  /** Blocks finished since the last call, in order. */
  takeFinished(): Block[] {
    const out = this.finished;
    this.finished = [];
    return out;
  }

  /** Feeds one complete line (without its line ending). */
  push(line: string): void {
    const blank = isBlank(line);
    if (this.open) {
      const verdict = this.continueOpen(this.open, line, blank);
      if (verdict !== Verdict.Refused) {
        if (verdict === Verdict.TakenAndClosed) this.closeOpen();
        this.afterBlank = blank;
        this.lineNo++;
        return;
      }
      this.closeOpen();
    }
    if (blank) this.afterBlank = true;
    else {
      if (this.hadBlock && this.afterBlank) this.blankBetweenBlocks = true;
      this.afterBlank = false;
      this.hadBlock = true;
      this.start(line);
    }
    this.lineNo++;
  }

  /** Ends the text: whatever is open is finished. */
  close(): void {
    if (this.open) this.closeOpen();
  }

  /** All blocks, after `close`: the convenience for nested content parsed in one go. */
  static parse(lines: readonly string[]): Block[] {
    const scanner = new BlockScanner();
    for (const line of lines) scanner.push(line);
    scanner.close();
    return scanner.takeFinished();
  }

  /** Whether a lazy continuation line (one not indented enough) would continue an open paragraph in here. */
  acceptsLazy(): boolean {
    const open = this.open;
    if (!open || this.afterBlank) return false;
    if (open.kind === 'paragraph') return true;
    if (open.kind === 'quote') return open.inner.acceptsLazy();
    if (open.kind === 'list') return open.items[open.items.length - 1].inner.acceptsLazy();
    return false;
  }

  /** Appends a lazy continuation line to the innermost open paragraph (`acceptsLazy` said yes). */
  pushLazy(line: string): void {
    const open = this.open!;
    if (open.kind === 'paragraph') open.lines.push(line.trimStart());
    else if (open.kind === 'quote') open.inner.pushLazy(line);
    else if (open.kind === 'list') open.items[open.items.length - 1].inner.pushLazy(line);
    this.lineNo++;
  }

  private start(line: string): void {
    const startLine = this.lineNo;
    if (indentOf(line) <= 3) {
      const heading = atxHeading(line);
      if (heading) return this.emit({ kind: 'heading', level: heading.level, text: heading.text });
      const fence = fenceOpen(line);
      if (fence) {
        const lang = fence.info.split(/\s+/)[0] ?? '';
        this.open = { kind: 'code', fence, block: { kind: 'code', lang, lines: [] }, startLine };
        return;
      }
      const nest = this.depth < MAX_DEPTH;
      if (nest && isQuoteLine(line)) {
        const inner = new BlockScanner(this.depth + 1);
        inner.push(stripQuoteMarker(line));
        this.open = { kind: 'quote', inner, startLine };
        return;
      }
      if (isThematicBreak(line)) return this.emit({ kind: 'hr' });
      const marker = nest ? listMarker(line) : undefined;
      if (marker) {
        this.open = { kind: 'list', ordered: marker.ordered, char: marker.char, start: marker.start, loose: false, items: [], afterBlank: false, startLine };
        this.addItem(this.open, marker);
        return;
      }
    }
    this.open = { kind: 'paragraph', lines: [line.trimStart()], startLine };
  }

  private addItem(list: OpenList, marker: ListMarker): void {
    const inner = new BlockScanner(this.depth + 1);
    // An item whose first line is only the marker starts empty; its content comes on the next lines.
    if (!marker.empty) inner.push(marker.content);
    list.items.push({ inner, contentIndent: marker.contentIndent });
  }

  private continueOpen(open: Open, line: string, blank: boolean): Verdict {
    switch (open.kind) {
      case 'paragraph': {
        if (blank) return Verdict.Refused;
        const level = setextLevel(line);
        if (level) {
          this.open = undefined;
          this.emit({ kind: 'heading', level, text: open.lines.join('\n') });
          return Verdict.Taken; // already closed: nothing open remains
        }
        const aligns = tableDelimiter(line);
        const header = open.lines[open.lines.length - 1];
        if (aligns && header.includes('|') && splitCells(header).length === aligns.length) {
          // The paragraph's last line was the table's header: what came before it stays a paragraph.
          if (open.lines.length > 1) this.emit({ kind: 'paragraph', lines: open.lines.slice(0, -1) });
          this.open = { kind: 'table', aligns, header: splitCells(header), rows: [], startLine: this.lineNo - 1 };
          return Verdict.Taken;
        }
        if (interruptsParagraph(line)) return Verdict.Refused;
        open.lines.push(line.trimStart());
        return Verdict.Taken;
      }
      case 'code': {
        if (closesFence(line, open.fence)) return Verdict.TakenAndClosed;
        // Content lines lose up to the fence's own indentation, so an indented fence's code is not shifted.
        open.block.lines.push(stripColumns(line, Math.min(open.fence.indent, indentOf(line))));
        return Verdict.Taken;
      }
      case 'table': {
        if (blank || interruptsParagraph(line)) return Verdict.Refused;
        const cells = splitCells(line);
        const width = open.header.length;
        open.rows.push(cells.length >= width ? cells.slice(0, width) : [...cells, ...Array<string>(width - cells.length).fill('')]);
        return Verdict.Taken;
      }
      case 'quote': {
        if (isQuoteLine(line)) {
          open.inner.push(stripQuoteMarker(line));
          return Verdict.Taken;
        }
        if (!blank && open.inner.acceptsLazy() && !interruptsParagraph(line)) {
          open.inner.pushLazy(line);
          return Verdict.Taken;
        }
        return Verdict.Refused;
      }
      case 'list':
        return this.continueList(open, line, blank);
    }
  }

  private continueList(list: OpenList, line: string, blank: boolean): Verdict {
    const item = list.items[list.items.length - 1];
    if (blank) {
      // Blank lines may sit inside an item (before more of its content) or between items: the next line decides.
      item.inner.push('');
      list.afterBlank = true;
      return Verdict.Taken;
    }
    if (indentOf(line) >= item.contentIndent) {
      item.inner.push(stripColumns(line, item.contentIndent));
      list.afterBlank = false;
      return Verdict.Taken;
    }
    const marker = isThematicBreak(line) ? undefined : listMarker(line);
    if (marker && marker.ordered === list.ordered && marker.char === list.char) {
      if (list.afterBlank) list.loose = true;
      list.afterBlank = false;
      this.addItem(list, marker);
      return Verdict.Taken;
    }
    if (!list.afterBlank && item.inner.acceptsLazy() && !interruptsParagraph(line)) {
      item.inner.pushLazy(line);
      return Verdict.Taken;
    }
    return Verdict.Refused;
  }

  private closeOpen(): void {
    const open = this.open!;
    this.open = undefined;
    switch (open.kind) {
      case 'paragraph':
        return this.emit({ kind: 'paragraph', lines: open.lines });
      case 'code':
        return this.emit(open.block);
      case 'table':
        return this.emit({ kind: 'table', aligns: open.aligns, header: open.header, rows: open.rows });
      case 'quote':
        open.inner.close();
        return this.emit({ kind: 'quote', children: open.inner.takeFinished() });
      case 'list': {
        const list: ListBlock = { kind: 'list', ordered: open.ordered, start: open.start, loose: open.loose, items: [] };
        for (const item of open.items) {
          item.inner.close();
          if (item.inner.blankBetweenBlocks) list.loose = true;
          list.items.push({ children: item.inner.takeFinished() });
        }
        return this.emit(list);
      }
    }
  }

  private emit(block: Block): void {
    this.finished.push(block);
  }
}
