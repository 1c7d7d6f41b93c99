// The incremental renderer: the parser splits the text into top-level blocks, each finished block is rendered
// once, and only the block still open is re-rendered. See index.ts for the model and its cost.
import type { Nodes, RootContent } from 'mdast';
import { BlockRenderer, type FinishingBlock } from './blockRenderer';
import { CodeBlockView } from './codeBlockView';
import { el } from './dom';
import { closesFence, fenceOpen, indentOf, stripColumns, type FenceOpen } from './fence';
import type { MarkdownHooks, RenderContext } from './hooks';
import { parseMarkdown } from './parse';

/** A top-level block as a parse found it, with its first and last line (indexes into `lines`). */
interface FoundBlock {
  node: RootContent;
  start: number;
  end: number;
}

/**
 * A block's structure: the types and line spans (relative to its first line) of it and of the blocks in its
 * containers. Inline content needs no look: a paragraph spanning the same lines has the same text.
 */
function shape(node: Nodes, base = node.position!.start.line): string {
  const own = `${node.type}${node.type === 'list' ? `/${node.ordered}/${node.start}/${node.spread}` : ''}:${node.position!.start.line - base}-${node.position!.end.line - base}`;
  const container = node.type === 'blockquote' || node.type === 'list' || node.type === 'listItem';
  return container && node.children.length ? `${own}(${(node.children as Nodes[]).map((c) => shape(c, base)).join(',')})` : own;
}

/** An open top-level fenced code block, drawn line by line instead of re-parsed per delta. */
interface LiveCode {
  fence: FenceOpen;
  view: CodeBlockView;
}

/**
 * Renders a streamed markdown answer into `container` (which gets the class `markdown-body` that
 * media/markdown.css styles), one appended delta at a time.
 */
export class StreamingMarkdown {
  private readonly ctx: RenderContext;
  private readonly blocks: BlockRenderer;
  /** Every delta so far; joined only when `text` is read, so appending never copies the whole answer. */
  private chunks: string[] = [];
  /** The text after the last line end: the line still being written. */
  private partial = '';
  /** Complete lines from the start of the open block on. */
  private lines: string[] = [];
  /** Characters in `lines` (line ends counted). */
  private linesChars = 0;
  /** Size of the open block (lines and partial line) when it was last parsed. */
  private parsedChars = 0;
  /** Text shown unparsed after the open block (see `append`). */
  private pending: Text | undefined;
  /** Lines arrived since the open block's structure was last parsed. */
  private linesChanged = false;
  /** DOM of the open block (several elements while the text after it already starts new blocks). */
  private openNodes: HTMLElement[] = [];
  private live: LiveCode | undefined;
  private done = false;

  constructor(private readonly container: HTMLElement, hooks: MarkdownHooks) {
    this.ctx = { doc: container.ownerDocument, hooks, loadedImages: new Map(), definition: (id) => this.blocks.definition(id) };
    this.blocks = new BlockRenderer(container, this.ctx);
    // media/markdown.css scopes its rules to this class, so the page decides nothing about our styling.
    container.classList.add('markdown-body');
  }

  /** The whole text appended so far. */
  get text(): string {
    if (this.chunks.length > 1) this.chunks = [this.chunks.join('')];
    return this.chunks[0] ?? '';
  }

  /** Applies a delta: blocks that finished are rendered once, the open block is re-rendered. */
  append(text: string): void {
    if (this.done) throw new Error('StreamingMarkdown: append after finish');
    if (!text) return;
    this.take(text);
    if (!this.live) {
      // A large open block (a 100 KB line, a base64 blob) is parsed again only once it has grown by half; until
      // then the new text is shown as it is. So streaming it costs a small multiple of one parse and one
      // layout, not one per delta. The finished DOM does not depend on when parses happened.
      const size = this.linesChars + this.partial.length;
      if (size > LARGE_OPEN && size < this.parsedChars * GROWTH) {
        this.showRaw(text);
        return;
      }
      this.parsedChars = size;
    }
    if (this.linesChanged) this.settle(false);
    this.renderOpen();
  }

  /**
   * Applies the last delta and finishes the answer: the DOM `append(text)` then `finish()` would build, without
   * rendering the open block in between (so a whole answer's last block is not parsed as open first).
   */
  finishWith(text: string): void {
    if (this.done) throw new Error('StreamingMarkdown: append after finish');
    if (text) this.take(text);
    this.finish();
  }

  /** Splits the delta into complete lines (each pushed) and the new partial line. */
  private take(text: string): void {
    this.chunks.push(text);
    // Only the delta can contain new line ends: the old partial line had none.
    const buffer = this.partial + text;
    let from = 0;
    for (let nl = buffer.indexOf('\n', this.partial.length); nl >= 0; nl = buffer.indexOf('\n', from)) {
      this.pushLine(cleanLine(buffer.slice(from, nl)));
      from = nl + 1;
    }
    this.partial = buffer.slice(from);
  }

  /**
   * Shows `text` unparsed after the open block (until the next parse of the open block replaces it), in
   * blocks of its own of at most 2 KB: the browser then lays out only the last one per frame, not the whole
   * long line again.
   */
  private showRaw(text: string): void {
    for (let from = 0; from < text.length; ) {
      if (!this.pending || this.pending.length >= RAW_CHUNK) {
        const chunk = el(this.ctx.doc, 'div', { class: 'md-pending' });
        this.pending = this.ctx.doc.createTextNode('');
        chunk.appendChild(this.pending);
        this.container.appendChild(chunk);
        this.openNodes.push(chunk);
      }
      const take = Math.min(text.length - from, RAW_CHUNK - this.pending.length);
      this.pending.appendData(text.slice(from, from + take));
      from += take;
    }
  }

  /** The answer ended: the last block is finished like any other. Further appends are an error. */
  finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.partial) this.pushLine(cleanLine(this.partial));
    this.partial = '';
    this.settle(true);
    this.clearOpen();
  }

  private pushLine(line: string): void {
    const live = this.live;
    this.linesChars += line.length + 1;
    this.lines.push(line);
    if (!live) {
      this.linesChanged = true;
      return;
    }
    if (closesFence(line, live.fence)) {
      // The streamed code block is complete: the finished block (highlighted whole) takes its place.
      this.finishLive();
      return;
    }
    live.view.appendLine(stripColumns(line, Math.min(live.fence.indent, indentOf(line))));
  }

  /**
   * Parses the open block's complete lines: every top-level block but the last is finished (a later block
   * started, so no line can reach back into it). `final`: the text ended, the last one is finished too.
   */
  private settle(final: boolean): void {
    this.linesChanged = false;
    if (this.live) {
      if (final) this.finishLive();
      return;
    }
    if (!this.lines.length) return;
    const blocks = this.findBlocks();
    const keep = final || (blocks.length && this.lastIsClosed(blocks[blocks.length - 1])) ? blocks.length : blocks.length - 1;
    const startOf = (i: number) => (i < blocks.length ? blocks[i].start : this.lines.length);
    if (keep > 0) {
      const done: FinishingBlock[] = [];
      for (let i = 0; i < keep; i++) done.push({ source: this.lines.slice(startOf(i), startOf(i + 1)).join('\n'), node: blocks[i].node });
      this.blocks.finish(done, this.openNodes[0] ?? null);
    }
    this.setLines(final || !blocks.length ? [] : this.lines.slice(startOf(keep)));
    if (!final && blocks.length) this.maybeGoLive(blocks[blocks.length - 1].node);
  }

  /**
   * The top-level blocks of `lines`, each as it parses from its own first line on, which is how the open block
   * is parsed once the blocks before it are finished. micromark reads a line right after another block's last
   * line (or after blank lines, for blocks that can go on past them) as possibly continuing that block, and
   * then an empty list item, an ordered one not starting at 1, indented code or an HTML block is not recognised
   * there (`p` then `>*` is a blockquote holding the paragraph `*`, where alone `>*` holds an empty list, as
   * CommonMark says). So such a block is parsed alone too; when that reads differently, everything from it on
   * is parsed again from its first line. Both renders then agree, whatever the deltas were.
   */
  private findBlocks(): FoundBlock[] {
    const out: FoundBlock[] = [];
    let found = this.parseLines(0);
    for (let i = 0; i < found.length; i++) {
      const block = found[i];
      const previous = out[out.length - 1];
      if (previous && (block.start === previous.end + 1 || CONTINUES_PAST_BLANK.has(previous.node.type))) {
        const end = i + 1 < found.length ? found[i + 1].start : this.lines.length;
        const alone = this.parseLines(block.start, end);
        if (alone.length !== 1 || shape(alone[0].node) !== shape(block.node)) {
          found = this.parseLines(block.start);
          i = -1;
          continue;
        }
      }
      out.push(block);
    }
    return out;
  }

  /** The top-level blocks of lines `from` to `to` (exclusive), parsed on their own. */
  private parseLines(from: number, to = this.lines.length): FoundBlock[] {
    const lines = from === 0 && to === this.lines.length ? this.lines : this.lines.slice(from, to);
    return parseMarkdown(lines.join('\n')).children.map((node) => ({ node, start: from + node.position!.start.line - 1, end: from + node.position!.end.line - 1 }));
  }

  /**
   * Whether the last block can take no more lines, so it is finished before the next block starts: a heading
   * or a rule (one line), a fenced code block whose fence closed, or a paragraph, table, blockquote or
   * definition followed by a blank line (lists, indented code and HTML blocks can go on after one).
   */
  private lastIsClosed({ node: last, start, end }: FoundBlock): boolean {
    switch (last.type) {
      case 'heading':
      case 'thematicBreak':
        return true;
      case 'code': {
        const fence = fenceOpen(this.lines[start]);
        return !!fence && end > start && closesFence(this.lines[end], fence);
      }
      case 'paragraph':
      case 'table':
      case 'blockquote':
      case 'definition':
        return end + 1 < this.lines.length && /^[ \t]*$/.test(this.lines[this.lines.length - 1]);
      default:
        return false;
    }
  }

  /** The live code block's lines become a finished block (highlighted whole) in the live view's place. */
  private finishLive(): void {
    const node = this.live!.view.node;
    this.live = undefined;
    this.blocks.finish([{ source: this.lines.join('\n') }], node);
    node.remove();
    this.openNodes = this.openNodes.filter((n) => n !== node);
    this.setLines([]);
  }

  /** An open fenced code block from here on is drawn line by line (see CodeBlockView). */
  private maybeGoLive(last: RootContent): void {
    if (last.type !== 'code') return;
    const fence = fenceOpen(this.lines[0]);
    if (!fence || this.lines.slice(1).some((line) => closesFence(line, fence))) return;
    this.clearOpen();
    const view = new CodeBlockView(this.ctx, last.lang ?? '');
    for (const line of this.lines.slice(1)) view.appendLine(stripColumns(line, Math.min(fence.indent, indentOf(line))));
    this.live = { fence, view };
    this.container.appendChild(view.node);
    this.openNodes = [view.node];
  }

  private renderOpen(): void {
    if (this.live) {
      this.live.view.setPartial(visiblePartialCodeLine(cleanLine(this.partial), this.live.fence));
      return;
    }
    this.clearOpen();
    // The open block, plus the partial line, parsed as if the text ended here. Linear in the open block only.
    const lines = this.partial ? [...this.lines, cleanLine(this.partial)] : this.lines;
    if (!lines.length) return;
    for (const node of this.blocks.renderOpen(lines.join('\n'))) {
      this.container.appendChild(node);
      this.openNodes.push(node);
    }
  }

  private clearOpen(): void {
    for (const node of this.openNodes) node.remove();
    this.openNodes = [];
    this.pending = undefined;
  }

  private setLines(lines: string[]): void {
    this.lines = lines;
    this.linesChars = lines.reduce((n, line) => n + line.length + 1, 0);
  }
}

/** Blocks a later line can still continue after blank lines (indented code, HTML, lists). */
const CONTINUES_PAST_BLANK = new Set(['code', 'html', 'list']);

/** Open blocks larger than this (in characters) are parsed again only after growing by GROWTH. */
export const LARGE_OPEN = 8 * 1024;
const GROWTH = 1.5;
const RAW_CHUNK = 2048;

/** Renders a complete markdown text into `container` in one go (the same DOM streaming it would produce). */
export function renderMarkdown(container: HTMLElement, text: string, hooks: MarkdownHooks): void {
  new StreamingMarkdown(container, hooks).finishWith(text);
}

/** CRLF line ends lose their CR; NUL becomes U+FFFD (CommonMark's rule, and NUL has no place in the DOM). */
function cleanLine(raw: string): string {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  return line.includes('\0') ? line.replace(/\0/g, '\ufffd') : line;
}

/** The partial line as code, or '' while it may still become the closing fence (so the fence never flashes as code). */
function visiblePartialCodeLine(line: string, fence: FenceOpen): string {
  const m = /^ {0,3}(`+|~+)[ \t]*$/.exec(line);
  if (m && m[1][0] === fence.char) return '';
  return stripColumns(line, Math.min(fence.indent, indentOf(line)));
}
