// A fenced code block's DOM, built line by line. While the block streams, each finished line is highlighted
// and appended once; only the line still being written is replaced per delta, so a block of thousands of
// lines costs the same per delta as a block of ten. A finished block is built through the same path, which is
// why a streamed block ends up identical to a one-shot one.
import type { CodeBlock } from './blocks';
import { el } from './dom';
import { START_STATE, highlightLine, type LineState } from './highlight';
import type { RenderContext } from './hooks';
import { languageSpec, type LanguageSpec } from './languages';

export class CodeBlockView {
  /** The whole block: header (language, Copy, Insert at Cursor) and the code. */
  readonly node: HTMLElement;
  private readonly code: HTMLElement;
  private readonly spec: LanguageSpec | undefined;
  private drawn = 0;
  private state: LineState = START_STATE;
  private partial: { text: string; nodes: Node[] } = { text: '', nodes: [] };

  constructor(private readonly ctx: RenderContext, private readonly block: CodeBlock) {
    const doc = ctx.doc;
    const lang = block.lang;
    this.spec = languageSpec(lang);
    this.node = el(doc, 'div', lang ? { class: 'md-code', 'data-lang': lang } : { class: 'md-code' });
    const header = el(doc, 'div', { class: 'md-code-header' });
    header.appendChild(el(doc, 'span', { class: 'md-code-lang' }, lang || 'text'));
    const copy = el(doc, 'button', { type: 'button', class: 'md-code-button' }, 'Copy');
    const insert = el(doc, 'button', { type: 'button', class: 'md-code-button' }, 'Insert at Cursor');
    // The raw code is read at click time, so a block still streaming copies what has arrived so far.
    copy.addEventListener('click', () => ctx.hooks.onCopy(this.block.lines.join('\n')));
    insert.addEventListener('click', () => ctx.hooks.onInsert(this.block.lines.join('\n')));
    header.append(copy, insert);
    const pre = el(doc, 'pre');
    const safeLang = lang.replace(/[^\w+#.-]/g, '');
    this.code = el(doc, 'code', safeLang ? { class: `language-${safeLang}` } : {});
    pre.appendChild(this.code);
    this.node.append(header, pre);
  }

  /** Draws the block's new finished lines and shows `partial` (the line being written; '' for none) after them. */
  update(partial: string): void {
    if (this.drawn < this.block.lines.length) {
      this.setPartial('');
      this.drawLines();
    }
    this.setPartial(partial);
  }

  /** The block is complete: every line drawn, no partial line. */
  finish(): void {
    this.setPartial('');
    this.drawLines();
  }

  private drawLines(): void {
    const lines = this.block.lines;
    while (this.drawn < lines.length) {
      const { nodes, state } = this.renderLine(lines[this.drawn], this.drawn > 0);
      this.code.append(...nodes);
      this.state = state;
      this.drawn++;
    }
  }

  private setPartial(text: string): void {
    if (text === this.partial.text) return;
    for (const node of this.partial.nodes) this.code.removeChild(node);
    this.partial = { text, nodes: text ? this.renderLine(text, this.drawn > 0).nodes : [] };
    this.code.append(...this.partial.nodes);
  }

  /** A line's nodes (a newline before it unless it is the first) and the highlighter state after it. */
  private renderLine(line: string, separator: boolean): { nodes: Node[]; state: LineState } {
    const doc = this.ctx.doc;
    const span = el(doc, 'span', { class: 'code-line' });
    let state = this.state;
    if (this.spec) {
      const result = highlightLine(this.spec, line, this.state);
      state = result.state;
      for (const token of result.tokens) {
        span.appendChild(token.kind ? el(doc, 'span', { class: `tok-${token.kind}` }, token.text) : doc.createTextNode(token.text));
      }
    } else if (line) span.appendChild(doc.createTextNode(line));
    return { nodes: separator ? [doc.createTextNode('\n'), span] : [span], state };
  }
}
