// The incremental renderer: feeds complete lines to the block scanner, renders each block once when it is
// finished, and re-renders only the block still open. See index.ts for the model and its cost.
import type { CodeBlock } from './blocks';
import { BlockScanner } from './blockScanner';
import { CodeBlockView } from './codeBlockView';
import type { MarkdownHooks, RenderContext } from './hooks';
import { indentOf, stripColumns, type FenceOpen } from './lineSyntax';
import { renderBlock } from './renderBlock';
import { el } from './dom';

/**
 * Renders a streamed markdown answer into `container` (which gets the class `markdown-body` that
 * media/markdown.css styles), one appended delta at a time.
 */
export class StreamingMarkdown {
  private readonly ctx: RenderContext;
  private readonly scanner = new BlockScanner();
  /** Every delta so far; joined only when `text` is read, so appending never copies the whole answer. */
  private chunks: string[] = [];
  /** The text after the last line end: the line still being written. */
  private partial = '';
  /** Complete lines of the open block (what the open block is re-rendered from). */
  private openLines: string[] = [];
  /** The scanner's line number of `openLines[0]`. */
  private openLinesBase = 0;
  /** DOM of the open block (possibly several elements while a partial line looks like a new block). */
  private openNodes: HTMLElement[] = [];
  /** The open top-level code block, drawn line by line instead of re-rendered. */
  private liveCode: { block: CodeBlock; view: CodeBlockView } | undefined;
  /** Finished blocks that are still direct children of the container (not yet moved into a group). */
  private ungrouped: Element[] = [];
  private done = false;

  constructor(private readonly container: HTMLElement, hooks: MarkdownHooks) {
    this.ctx = { doc: container.ownerDocument, hooks, loadedImages: new Map() };
    // media/markdown.css scopes its rules to this class, so the page decides nothing about our styling.
    container.classList.add('markdown-body');
  }

  /** The whole text appended so far. */
  get text(): string {
    if (this.chunks.length > 1) this.chunks = [this.chunks.join('')];
    return this.chunks[0] ?? '';
  }

  /** Applies a delta: finished blocks are rendered once, the open block is re-rendered. */
  append(text: string): void {
    if (this.done) throw new Error('StreamingMarkdown: append after finish');
    if (!text) return;
    this.chunks.push(text);
    // Only the delta can contain new line ends: the old partial line had none.
    const buffer = this.partial + text;
    let from = 0;
    for (let nl = buffer.indexOf('\n', this.partial.length); nl >= 0; nl = buffer.indexOf('\n', from)) {
      this.pushLine(buffer.slice(from, nl));
      from = nl + 1;
    }
    this.partial = buffer.slice(from);
    this.settleFinished();
    this.renderOpen();
  }

  /** The answer ended: the last block is finished like any other. Further appends are an error. */
  finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.partial) this.pushLine(this.partial);
    this.partial = '';
    this.scanner.close();
    this.settleFinished();
    this.clearOpen();
  }

  private pushLine(raw: string): void {
    const line = cleanLine(raw);
    this.scanner.push(line);
    this.openLines.push(line);
    // Lines before the open block belong to finished blocks; forget them.
    const drop = this.scanner.openStartLine - this.openLinesBase;
    if (drop > 0) {
      this.openLines = drop >= this.openLines.length ? [] : this.openLines.slice(drop);
      this.openLinesBase += drop;
    }
  }

  /** Renders the blocks the scanner finished since the last call, in front of the open block's DOM. */
  private settleFinished(): void {
    for (const block of this.scanner.takeFinished()) {
      if (this.liveCode?.block === block) {
        // The streamed code block is complete: finish it where it stands (it is the first open node).
        const node = this.liveCode.view.node;
        this.liveCode.view.finish();
        this.openNodes = this.openNodes.filter((n) => n !== node);
        this.liveCode = undefined;
        this.settled(node);
        continue;
      }
      const node = renderBlock(this.ctx, block);
      this.container.insertBefore(node, this.openNodes[0] ?? null);
      this.settled(node);
    }
  }

  /**
   * Every GROUP_SIZE finished blocks are moved into one group element once GROUP_SIZE more have followed.
   * A browser lays out a block container by walking its children, so a flat answer of thousands of blocks
   * would make every frame's layout grow with the answer; groups keep the container's child count small, and
   * media/markdown.css lets the browser skip laying out groups that are off screen. Grouping depends only on
   * the number of finished blocks, so streamed and one-shot renders build the same DOM.
   */
  private settled(node: Element): void {
    this.ungrouped.push(node);
    if (this.ungrouped.length < GROUP_SIZE * 2) return;
    const members = this.ungrouped.splice(0, GROUP_SIZE);
    const group = el(this.ctx.doc, 'div', { class: 'md-group' });
    this.container.insertBefore(group, members[0]);
    for (const m of members) group.appendChild(m);
  }

  private renderOpen(): void {
    const code = this.scanner.openCode;
    if (code) {
      if (this.liveCode?.block !== code.block) {
        this.clearOpen();
        const view = new CodeBlockView(this.ctx, code.block);
        this.liveCode = { block: code.block, view };
        this.container.appendChild(view.node);
        this.openNodes = [view.node];
      }
      this.liveCode.view.update(visiblePartialCodeLine(cleanLine(this.partial), code.fence));
      return;
    }
    this.clearOpen();
    // The open block, plus the partial line, parsed as if the text ended here. Linear in the open block only.
    const lines = this.partial ? [...this.openLines, cleanLine(this.partial)] : this.openLines;
    if (!lines.length) return;
    for (const block of BlockScanner.parse(lines)) {
      const node = renderBlock(this.ctx, block);
      this.container.appendChild(node);
      this.openNodes.push(node);
    }
  }

  private clearOpen(): void {
    for (const node of this.openNodes) node.remove();
    this.openNodes = [];
    this.liveCode = undefined;
  }
}

/** Finished blocks per group (see StreamingMarkdown.settled). */
export const GROUP_SIZE = 32;

/** Renders a complete markdown text into `container` in one go (the same DOM streaming it would produce). */
export function renderMarkdown(container: HTMLElement, text: string, hooks: MarkdownHooks): void {
  const markdown = new StreamingMarkdown(container, hooks);
  markdown.append(text);
  markdown.finish();
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
