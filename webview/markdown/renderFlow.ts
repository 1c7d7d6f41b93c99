// Block (flow) mdast nodes to DOM. Every top-level block becomes at most one element (a definition becomes
// none), so the streaming renderer can treat a block's DOM as one node it keeps or replaces.
import type { List, ListItem, Nodes, RootContent, Table } from 'mdast';
import { CodeBlockView } from './codeBlockView';
import { el, type AllowedTag } from './dom';
import type { RenderContext } from './hooks';
import { renderPhrasing } from './renderPhrasing';

/** Renders one block (and everything nested in it), or undefined for a block that shows nothing. */
export function renderFlow(ctx: RenderContext, node: RootContent): HTMLElement | undefined {
  const doc = ctx.doc;
  switch (node.type) {
    case 'paragraph': {
      const p = el(doc, 'p');
      renderPhrasing(ctx, node.children, p);
      return p;
    }
    case 'heading': {
      const h = el(doc, `h${node.depth}` as AllowedTag);
      renderPhrasing(ctx, node.children, h);
      return h;
    }
    case 'thematicBreak':
      return el(doc, 'hr');
    case 'blockquote': {
      const quote = el(doc, 'blockquote');
      appendFlow(ctx, node.children, quote);
      return quote;
    }
    case 'list':
      return renderList(ctx, node);
    case 'code':
      return new CodeBlockView(ctx, node.lang ?? '').setCode(node.value).node;
    case 'math':
      // Display math, kept exactly as written: readable in any theme, nothing for a renderer to eat.
      return el(doc, 'div', { class: 'md-math md-math-display' }, node.value);
    case 'table':
      return renderTable(ctx, node);
    case 'html':
      // Raw HTML from a model is shown as the text it is.
      return el(doc, 'p', { class: 'md-html' }, node.value);
    case 'definition':
      return undefined;
    default:
      return undefined;
  }
}

function appendFlow(ctx: RenderContext, nodes: readonly RootContent[], parent: HTMLElement): void {
  for (const child of nodes) {
    const node = renderFlow(ctx, child);
    if (node) parent.appendChild(node);
  }
}

function renderTable(ctx: RenderContext, table: Table): HTMLElement {
  const doc = ctx.doc;
  // The wrapper scrolls sideways in a narrow sidebar instead of squeezing the columns.
  const wrap = el(doc, 'div', { class: 'md-table', tabindex: '0', role: 'region', 'aria-label': 'Table' });
  const tableEl = el(doc, 'table');
  const aligns = table.align ?? [];
  const width = table.children[0]?.children.length ?? 0;
  const row = (cells: Table['children'][number]['children'], tag: 'th' | 'td') => {
    const tr = el(doc, 'tr');
    for (let i = 0; i < width; i++) {
      const align = aligns[i];
      const cell = el(doc, tag, align ? { 'data-align': align } : {});
      if (cells[i]) renderPhrasing(ctx, cells[i].children, cell);
      tr.appendChild(cell);
    }
    return tr;
  };
  const [head, ...rows] = table.children;
  const thead = el(doc, 'thead');
  if (head) thead.appendChild(row(head.children, 'th'));
  tableEl.appendChild(thead);
  if (rows.length) {
    const tbody = el(doc, 'tbody');
    for (const r of rows) tbody.appendChild(row(r.children, 'td'));
    tableEl.appendChild(tbody);
  }
  wrap.appendChild(tableEl);
  return wrap;
}

/**
 * Loose lists wrap item text in paragraphs; tight ones put it straight into the `<li>`. CommonMark: a list is
 * loose when a blank line separates two of its items or two blocks directly inside one item. Decided from
 * line positions, since mdast's `spread` flags count a blank line after a list inside a blockquote.
 */
function isLoose(list: List): boolean {
  const gap = (a: Nodes, b: Nodes) => a.position!.end.line < b.position!.start.line - 1;
  const items = list.children;
  for (let i = 0; i + 1 < items.length; i++) if (gap(items[i], items[i + 1])) return true;
  return items.some((item) => item.children.some((child, j) => j + 1 < item.children.length && gap(child, item.children[j + 1])));
}

function renderList(ctx: RenderContext, list: List): HTMLElement {
  const doc = ctx.doc;
  const ordered = !!list.ordered;
  const start = list.start ?? 1;
  const node = el(doc, ordered ? 'ol' : 'ul', ordered && start !== 1 ? { start: String(start) } : {});
  const loose = isLoose(list);
  for (const item of list.children) node.appendChild(renderItem(ctx, item, loose));
  return node;
}

function renderItem(ctx: RenderContext, item: ListItem, loose: boolean): HTMLElement {
  const doc = ctx.doc;
  const task = typeof item.checked === 'boolean';
  const li = el(doc, 'li', task ? { class: 'md-task' } : {});
  let checkbox: HTMLElement | undefined;
  if (task) {
    const attrs: Record<string, string> = { type: 'checkbox', disabled: '', 'aria-label': item.checked ? 'Done' : 'Not done' };
    if (item.checked) attrs.checked = '';
    checkbox = el(doc, 'input', attrs);
  }
  item.children.forEach((child, i) => {
    if (child.type === 'paragraph' && !loose) {
      if (i === 0 && checkbox) li.append(checkbox, doc.createTextNode(' '));
      renderPhrasing(ctx, child.children, li);
      return;
    }
    const node = renderFlow(ctx, child);
    if (!node) return;
    if (i === 0 && checkbox && child.type === 'paragraph') node.prepend(checkbox, doc.createTextNode(' '));
    li.appendChild(node);
  });
  if (checkbox && !checkbox.parentNode) li.prepend(checkbox, doc.createTextNode(' '));
  return li;
}
