// Inline (phrasing) mdast nodes to DOM. Text only ever goes in through text nodes; raw HTML is shown as the
// text it is; math keeps every character of the formula.
import type { PhrasingContent } from 'mdast';
import { el } from './dom';
import { codeFileRef, findFileRefs } from './fileLinks';
import type { RenderContext } from './hooks';
import { renderImage } from './images';
import { fileLinkElement, linkElement } from './links';

/** Appends the DOM for `nodes` to `parent`. `inLink`: inside a link, where file references stay text. */
export function renderPhrasing(ctx: RenderContext, nodes: readonly PhrasingContent[], parent: Node, inLink = false): void {
  const doc = ctx.doc;
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        appendText(ctx, node.value, parent, inLink);
        break;
      case 'html':
        parent.appendChild(doc.createTextNode(node.value));
        break;
      case 'break':
        parent.appendChild(el(doc, 'br'));
        break;
      case 'inlineCode': {
        // A code span's line ends are spaces (CommonMark); the parser keeps them as written.
        const code = el(doc, 'code', {}, node.value.replace(/\r\n?|\n/g, ' '));
        const file = inLink ? undefined : codeFileRef(node.value);
        if (file) {
          const a = fileLinkElement(ctx, file, undefined, true);
          a.appendChild(code);
          parent.appendChild(a);
        } else parent.appendChild(code);
        break;
      }
      case 'inlineMath':
        parent.appendChild(el(doc, 'code', { class: 'md-math' }, node.value));
        break;
      case 'emphasis':
      case 'strong':
      case 'delete': {
        const tag = node.type === 'emphasis' ? 'em' : node.type === 'strong' ? 'strong' : 'del';
        const wrap = el(doc, tag);
        renderPhrasing(ctx, node.children, wrap, inLink);
        parent.appendChild(wrap);
        break;
      }
      case 'link': {
        const a = linkElement(ctx, node.url, node.title);
        renderPhrasing(ctx, node.children, a, true);
        parent.appendChild(a);
        break;
      }
      case 'linkReference': {
        const def = ctx.definition(node.identifier);
        if (def) {
          const a = linkElement(ctx, def.url, def.title);
          renderPhrasing(ctx, node.children, a, true);
          parent.appendChild(a);
        } else {
          // The parser knew the label but the table does not (only while a block is still open): as written.
          parent.appendChild(doc.createTextNode('['));
          renderPhrasing(ctx, node.children, parent, inLink);
          parent.appendChild(doc.createTextNode(node.referenceType === 'full' ? `][${node.label ?? ''}]` : node.referenceType === 'collapsed' ? '][]' : ']'));
        }
        break;
      }
      case 'image':
        parent.appendChild(renderImage(ctx, node.url, node.alt ?? ''));
        break;
      case 'imageReference': {
        const def = ctx.definition(node.identifier);
        parent.appendChild(def ? renderImage(ctx, def.url, node.alt ?? '') : doc.createTextNode(`![${node.alt ?? ''}]`));
        break;
      }
      default:
        // Constructs this parser setup does not produce (footnotes): their text, never dropped silently.
        if ('value' in node && typeof node.value === 'string') parent.appendChild(doc.createTextNode(node.value));
        else if ('children' in node) renderPhrasing(ctx, node.children as PhrasingContent[], parent, inLink);
    }
  }
}

/** Text, with `src/foo.ts:10` references made into file links (not inside another link). */
function appendText(ctx: RenderContext, text: string, parent: Node, inLink: boolean): void {
  const doc = ctx.doc;
  const refs = inLink ? [] : findFileRefs(text);
  let from = 0;
  for (const ref of refs) {
    if (ref.start > from) parent.appendChild(doc.createTextNode(text.slice(from, ref.start)));
    const a = fileLinkElement(ctx, ref.target, undefined, true);
    a.appendChild(doc.createTextNode(text.slice(ref.start, ref.end)));
    parent.appendChild(a);
    from = ref.end;
  }
  if (from < text.length) parent.appendChild(doc.createTextNode(from ? text.slice(from) : text));
}
