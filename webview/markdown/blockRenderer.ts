// Renders blocks from their text: finished blocks once (and again when a label they may use gets defined),
// the open block on every delta. Owns the definitions table and the finished blocks' DOM.
import type { Root, RootContent } from 'mdast';
import { DefinitionTable, collectDefinitions, type Definition } from './definitions';
import { el } from './dom';
import { FinishedBlocks } from './finishedBlocks';
import type { RenderContext } from './hooks';
import { parseMarkdown } from './parse';
import { renderFlow } from './renderFlow';

/** A block the text has moved past: its lines, and its tree when a parse of its region already made one. */
export interface FinishingBlock {
  source: string;
  node?: RootContent;
}

export class BlockRenderer {
  private readonly defs = new DefinitionTable();
  private readonly finished: FinishedBlocks;

  constructor(container: HTMLElement, private readonly ctx: RenderContext) {
    this.finished = new FinishedBlocks(container, ctx.doc);
  }

  /** The definition of a label from the finished blocks. */
  definition(identifier: string): Definition | undefined {
    return this.defs.get(identifier);
  }

  /**
   * Renders finished blocks in order before `before`; a definition among them re-renders the blocks using it.
   * A block without `[` cannot use or make a definition, so its node from the parse that found it is drawn
   * as it is (parsing it alone gives the same tree); any other block is parsed alone with the labels it may use.
   */
  finish(blocks: readonly FinishingBlock[], before: Node | null): void {
    const added: string[] = [];
    const rendered = blocks.map(({ source, node }) => {
      if (node && !source.includes('[')) return { source, node: renderFlow(this.ctx, node) };
      const { tree, text, skip } = this.parse(source);
      added.push(...this.defs.addFrom(tree, text, skip));
      return { source, node: this.renderTree(tree, skip, this.ctx) };
    });
    for (const block of rendered) this.finished.add(block.node, block.source, before);
    // Blocks that may use a label just defined (in this batch too, also before its definition) are rendered again.
    if (added.length) this.finished.rerender(added, (source) => this.renderSource(source));
  }

  private renderSource(source: string): HTMLElement | undefined {
    const { tree, skip } = this.parse(source);
    return this.renderTree(tree, skip, this.ctx);
  }

  /** Parses `source` with the known definitions it may use in front (lines up to `skip` are theirs). */
  private parse(source: string): { tree: Root; text: string; skip: number } {
    const preamble = this.defs.preamble(source);
    const text = preamble + source;
    let skip = 0;
    for (let i = preamble.indexOf('\n'); i >= 0; i = preamble.indexOf('\n', i + 1)) skip++;
    return { tree: parseMarkdown(text), text, skip };
  }

  /** The block's one element (blocks parsed alone yield one node; several are kept together in a div). */
  private renderTree(tree: Root, skip: number, ctx: RenderContext): HTMLElement | undefined {
    const nodes = this.renderAll(tree, skip, ctx);
    if (nodes.length <= 1) return nodes[0];
    const wrap = el(ctx.doc, 'div', { class: 'md-blocks' });
    wrap.append(...nodes);
    return wrap;
  }

  private renderAll(tree: Root, skip: number, ctx: RenderContext): HTMLElement[] {
    const out: HTMLElement[] = [];
    for (const child of tree.children) {
      if (child.position!.start.line <= skip) continue;
      const node = renderFlow(ctx, child);
      if (node) out.push(node);
    }
    return out;
  }

  /** The open block's elements, parsed from `source`; its own definitions count while it is shown. */
  renderOpen(source: string): HTMLElement[] {
    const { tree, skip } = this.parse(source);
    const local = new Map<string, Definition>();
    // A definition starts with `[`: text without one has none to collect.
    if (source.includes('[')) for (const def of collectDefinitions(tree)) if (!local.has(def.identifier)) local.set(def.identifier, { url: def.url, title: def.title ?? null });
    const ctx: RenderContext = local.size ? { ...this.ctx, definition: (id) => this.defs.get(id) ?? local.get(id) } : this.ctx;
    return this.renderAll(tree, skip, ctx);
  }
}
