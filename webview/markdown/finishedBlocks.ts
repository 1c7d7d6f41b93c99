// The finished blocks of an answer: inserted once in order, gathered into groups, and kept apart from the open
// block's DOM. A finished block is never touched again, with one exception CommonMark forces: when a link
// reference definition arrives, the blocks whose text may use its label are rendered again (definitions.ts).
import { labelKey, mayUse } from './definitions';
import { el } from './dom';

/** Finished blocks per group (see FinishedBlocks.settled). */
export const GROUP_SIZE = 32;

interface Referrer {
  node: HTMLElement;
  source: string;
  key: string;
}

export class FinishedBlocks {
  /** Finished blocks that are still direct children of the container (not yet moved into a group). */
  private ungrouped: Element[] = [];
  /** Finished blocks whose text has a `[`, kept to re-render when a label they may use is defined. */
  private readonly referrers: Referrer[] = [];

  constructor(private readonly container: HTMLElement, private readonly doc: Document) {}

  /** Puts a finished block's element before `before` (the open block's first node, or null for the end). */
  add(node: HTMLElement | undefined, source: string, before: Node | null): void {
    if (!node) return;
    this.container.insertBefore(node, before);
    if (source.includes('[')) this.referrers.push({ node, source, key: labelKey(source) });
    this.settled(node);
  }

  /**
   * Re-renders every finished block that may use one of the label keys just defined. `render` must return
   * an element (a block that rendered to one still does: its text is the same).
   */
  rerender(keys: readonly string[], render: (source: string) => HTMLElement | undefined): void {
    for (const ref of this.referrers) {
      if (!keys.some((key) => mayUse(ref.key, key))) continue;
      const fresh = render(ref.source);
      if (!fresh) continue;
      ref.node.replaceWith(fresh);
      const i = this.ungrouped.indexOf(ref.node);
      if (i >= 0) this.ungrouped[i] = fresh;
      ref.node = fresh;
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
    const group = el(this.doc, 'div', { class: 'md-group' });
    this.container.insertBefore(group, members[0]);
    for (const m of members) group.appendChild(m);
  }
}
