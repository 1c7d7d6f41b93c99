// Link reference definitions. CommonMark lets `[text][label]` use a definition written anywhere in the
// answer, also after it, and whether `[text][label]` is a link at all depends on it. So the renderer keeps the
// table of definitions from finished blocks, tells the parser about them by putting a definition line per
// label before the block it parses (only the labels the block's text may contain), and re-renders the
// finished blocks that may use a label when its definition arrives.
import type { Definition as MdastDefinition, Nodes, Root } from 'mdast';

export interface Definition {
  url: string;
  title: string | null;
}

/** A label's matching key: case-folded like CommonMark's label normalisation, without whitespace or `>`. */
export function labelKey(text: string): string {
  return text.toLowerCase().toUpperCase().replace(/[\s>]+/g, '');
}

/**
 * Whether a block with this source text may contain a reference to a label with key `key`. An over-estimate
 * (a substring test of keys: whitespace and blockquote markers between a label's words are ignored) so a
 * block is never left out; a needless re-render yields the same DOM.
 */
export function mayUse(sourceKey: string, key: string): boolean {
  return sourceKey.includes(key);
}

export class DefinitionTable {
  private readonly byId = new Map<string, Definition>();
  /** Every defined label, in order: its raw text (as the parser must see it) and its key. */
  private readonly labels: { raw: string; key: string }[] = [];

  get size(): number {
    return this.byId.size;
  }

  get(identifier: string): Definition | undefined {
    return this.byId.get(identifier);
  }

  /**
   * Adds the definitions in `tree` (parsed from `source`) that are not defined yet (the first definition of
   * a label wins). Returns the keys of the labels that became defined.
   */
  addFrom(tree: Root, source: string, skipLines = 0): string[] {
    const added: string[] = [];
    for (const def of collectDefinitions(tree)) {
      if (this.byId.has(def.identifier) || (def.position?.start.line ?? 0) <= skipLines) continue;
      this.byId.set(def.identifier, { url: def.url, title: def.title ?? null });
      // A label written over several lines inside a container: the parser sees it without the `>` or indent.
      const raw = (rawLabel(source, def) ?? def.label ?? def.identifier).replace(/\n[ \t>]*/g, '\n');
      const key = labelKey(raw);
      this.labels.push({ raw, key });
      added.push(key);
    }
    return added;
  }

  /** The definition lines to parse before `source` (then a blank line), or '' when it may use no known label. */
  preamble(source: string): string {
    if (!this.labels.length || !source.includes('[')) return '';
    const key = labelKey(source);
    const lines = this.labels.filter((l) => mayUse(key, l.key)).map((l) => `[${l.raw}]: <>`);
    return lines.length ? `${lines.join('\n')}\n\n` : '';
  }
}

/** The `definition` nodes of a tree, at any depth, in document order. */
export function collectDefinitions(tree: Nodes): MdastDefinition[] {
  const out: MdastDefinition[] = [];
  const walk = (node: Nodes) => {
    if (node.type === 'definition') out.push(node);
    else if ('children' in node) for (const child of node.children) walk(child);
  };
  walk(tree);
  return out;
}

/** The label exactly as written (escapes kept): the parser matches labels on their source text. */
function rawLabel(source: string, def: MdastDefinition): string | undefined {
  const start = def.position?.start.offset;
  if (start === undefined || source[start] !== '[') return undefined;
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']') return source.slice(start + 1, i);
  }
  return undefined;
}
