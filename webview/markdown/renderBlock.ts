// Block tree to DOM. Every block becomes exactly one element, so the streaming renderer can treat a block's
// DOM as one node it either keeps forever (finished) or replaces (open).
import type { Block, ListBlock, ParagraphBlock } from './blocks';
import { CodeBlockView } from './codeBlockView';
import { el, type AllowedTag } from './dom';
import type { RenderContext } from './hooks';
import { parseInline } from './inlineParser';
import { renderInline } from './renderInline';

/** Renders one block (and everything nested in it) to a single element. */
export function renderBlock(ctx: RenderContext, block: Block): HTMLElement {
  const doc = ctx.doc;
  switch (block.kind) {
    case 'paragraph': {
      const p = el(doc, 'p');
      renderInline(ctx, parseInline(paragraphText(block)), p);
      return p;
    }
    case 'heading': {
      const h = el(doc, `h${block.level}` as AllowedTag);
      renderInline(ctx, parseInline(block.text.trim()), h);
      return h;
    }
    case 'code': {
      const view = new CodeBlockView(ctx, block);
      view.finish();
      return view.node;
    }
    case 'hr':
      return el(doc, 'hr');
    case 'table':
      return renderTable(ctx, block);
    case 'quote': {
      const quote = el(doc, 'blockquote');
      for (const child of block.children) quote.appendChild(renderBlock(ctx, child));
      return quote;
    }
    case 'list':
      return renderList(ctx, block);
  }
}

function paragraphText(block: ParagraphBlock): string {
  // Trailing spaces on the last line are not a hard break.
  return block.lines.join('\n').replace(/[ \t]+$/, '');
}

function renderTable(ctx: RenderContext, block: Extract<Block, { kind: 'table' }>): HTMLElement {
  const doc = ctx.doc;
  // The wrapper scrolls sideways in a narrow sidebar instead of squeezing the columns.
  const wrap = el(doc, 'div', { class: 'md-table' });
  const table = el(doc, 'table');
  const row = (cells: string[], tag: 'th' | 'td') => {
    const tr = el(doc, 'tr');
    cells.forEach((cell, i) => {
      const align = block.aligns[i];
      const td = el(doc, tag, align ? { 'data-align': align } : {});
      renderInline(ctx, parseInline(cell), td);
      tr.appendChild(td);
    });
    return tr;
  };
  const thead = el(doc, 'thead');
  thead.appendChild(row(block.header, 'th'));
  table.appendChild(thead);
  if (block.rows.length) {
    const tbody = el(doc, 'tbody');
    for (const cells of block.rows) tbody.appendChild(row(cells, 'td'));
    table.appendChild(tbody);
  }
  wrap.appendChild(table);
  return wrap;
}

const TASK = /^\[([ xX])\](?:[ \t]+|$)/;

function renderList(ctx: RenderContext, block: ListBlock): HTMLElement {
  const doc = ctx.doc;
  const list = el(doc, block.ordered ? 'ol' : 'ul', block.ordered && block.start !== 1 ? { start: String(block.start) } : {});
  for (const item of block.items) {
    let children = item.children;
    let checkbox: HTMLElement | undefined;
    const first = children[0];
    const task = first?.kind === 'paragraph' ? TASK.exec(first.lines[0]) : null;
    if (task && first?.kind === 'paragraph') {
      const rest = [first.lines[0].slice(task[0].length), ...first.lines.slice(1)];
      children = [{ kind: 'paragraph', lines: rest }, ...children.slice(1)];
      checkbox = el(doc, 'input', task[1] === ' ' ? { type: 'checkbox', disabled: '' } : { type: 'checkbox', disabled: '', checked: '' });
    }
    const li = el(doc, 'li', checkbox ? { class: 'md-task' } : {});
    children.forEach((child, i) => {
      // A tight list puts its items' text straight into the <li>, without paragraph spacing.
      const container = child.kind === 'paragraph' && !block.loose ? li : undefined;
      if (container) {
        if (i > 0) li.appendChild(doc.createTextNode('\n'));
        if (i === 0 && checkbox) li.appendChild(checkbox);
        renderInline(ctx, parseInline(paragraphText(child as ParagraphBlock)), li);
        return;
      }
      const node = renderBlock(ctx, child);
      if (i === 0 && checkbox) node.insertBefore(checkbox, node.firstChild);
      li.appendChild(node);
    });
    if (checkbox && !li.contains(checkbox)) li.insertBefore(checkbox, li.firstChild);
    list.appendChild(li);
  }
  return list;
}
