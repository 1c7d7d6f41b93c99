// A code block's DOM: a header (language, Copy, Insert at Cursor) and the highlighted code. A finished block is
// highlighted once, whole. While a top-level fenced block streams, each finished line is highlighted on its
// own and appended once, and only the line still being written is replaced per delta, so a block of thousands
// of lines costs the same per delta as a block of ten; when the fence closes, the streaming renderer replaces
// this view with the finished block, so a comment or string spanning lines ends up coloured right.
import { el } from './dom';
import { appendHighlighted } from './highlight';
import type { MarkdownHooks, RenderContext } from './hooks';

/** Partial lines longer than this are highlighted again only after growing by half. */
const LONG_LINE = 8 * 1024;

export class CodeBlockView {
  /** The whole block: header and code. */
  readonly node: HTMLElement;
  private readonly code: HTMLElement;
  /** Whether a finished line is shown (the next one starts with a line end). */
  private hasLines = false;
  private partial: { text: string; nodes: Node[] } = { text: '', nodes: [] };
  /** Length of the partial line when it was last highlighted. */
  private highlighted = 0;

  constructor(private readonly ctx: RenderContext, private readonly lang: string) {
    const doc = ctx.doc;
    this.node = el(doc, 'div', lang ? { class: 'md-code', 'data-lang': lang } : { class: 'md-code' });
    const header = el(doc, 'div', { class: 'md-code-header' });
    header.appendChild(el(doc, 'span', { class: 'md-code-lang' }, lang || 'text'));
    const safeLang = lang.replace(/[^\w+#.-]/g, '');
    this.code = el(doc, 'code', safeLang ? { class: `language-${safeLang}` } : {});
    header.append(...codeButtons(doc, ctx.hooks, this.code));
    // Long lines scroll sideways: the scrolling box must be reachable by keyboard (WCAG 2.1.1).
    const pre = el(doc, 'pre', { tabindex: '0' });
    pre.appendChild(this.code);
    this.node.append(header, pre);
  }

  /** Fills the block with its complete code, highlighted as a whole. */
  setCode(code: string): this {
    this.hasLines = true;
    this.code.replaceChildren();
    this.partial = { text: '', nodes: [] };
    appendHighlighted(this.ctx.doc, this.code, this.lang, code);
    return this;
  }

  /** Appends one finished line (while streaming). */
  appendLine(line: string): void {
    this.setPartial('');
    this.code.append(...this.lineNodes(line, this.hasLines));
    this.hasLines = true;
  }

  /**
   * Shows `text` (the line being written, '' for none) after the finished lines. A very long line (a base64
   * blob) is highlighted again only when it has grown by half; the text in between is appended plain.
   */
  setPartial(text: string): void {
    if (text === this.partial.text) return;
    const shown = this.partial.text;
    if (text.length > LONG_LINE && shown && text.startsWith(shown) && text.length < this.highlighted * 1.5) {
      const tail = this.ctx.doc.createTextNode(text.slice(shown.length));
      this.code.appendChild(tail);
      this.partial = { text, nodes: [...this.partial.nodes, tail] };
      return;
    }
    this.highlighted = text.length;
    for (const node of this.partial.nodes) this.code.removeChild(node);
    this.partial = { text, nodes: text ? this.lineNodes(text, this.hasLines) : [] };
    this.code.append(...this.partial.nodes);
  }

  private lineNodes(line: string, separator: boolean): Node[] {
    const doc = this.ctx.doc;
    const frag = doc.createDocumentFragment();
    if (separator) frag.appendChild(doc.createTextNode('\n'));
    appendHighlighted(doc, frag, this.lang, line);
    return [...frag.childNodes];
  }
}

/**
 * Copy and Insert at Cursor. The code is read from the DOM at click time (a block still streaming gives what
 * has arrived so far), so the listeners hold the code element and the hooks, never the renderer or the text.
 */
function codeButtons(doc: Document, hooks: MarkdownHooks, code: HTMLElement): HTMLElement[] {
  const copy = el(doc, 'button', { type: 'button', class: 'md-code-button' }, 'Copy');
  const insert = el(doc, 'button', { type: 'button', class: 'md-code-button' }, 'Insert at Cursor');
  copy.addEventListener('click', () => hooks.onCopy(code.textContent ?? ''));
  insert.addEventListener('click', () => hooks.onInsert(code.textContent ?? ''));
  return [copy, insert];
}
