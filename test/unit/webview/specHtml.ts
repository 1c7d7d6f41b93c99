// Compares the renderer's DOM with the HTML the CommonMark and GFM specs expect. Both sides are parsed into
// a DOM and written out in one canonical form, in which the renderer's deliberate differences from plain
// HTML count as equal: code blocks carry a header and a wrapper, tables a scrolling wrapper, links no href
// (the host opens them), images a "load" button, and every link other than http(s)/mailto is inert text.
import { normalizeUri } from 'micromark-util-sanitize-uri';

const BLOCK = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'div']);
const OPENED = /^(?:https?|mailto):/i;

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');

function attrs(list: [string, string | null | undefined][]): string {
  return list.filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => ` ${k}="${escapeAttr(v!)}"`).join('');
}

/** The canonical form of a container's children (a rendered answer, or a spec's expected HTML in a div). */
export function canonical(container: Element): string {
  return children(container, false);
}

function children(parent: Node, pre: boolean): string {
  const nodes = [...parent.childNodes];
  return nodes.map((node, i) => {
    if (node.nodeType === 3) {
      let text = node.nodeValue ?? '';
      if (!pre) {
        const prev = nodes[i - 1] as Element | undefined;
        const next = nodes[i + 1] as Element | undefined;
        if (!prev || isBlock(prev) || prev.nodeName === 'BR') text = text.replace(/^\n+/, '');
        if (!next || isBlock(next)) text = text.replace(/\n+$/, '');
      }
      return escapeText(text);
    }
    if (node.nodeType !== 1) return '';
    return element(node as Element, pre);
  }).join('');
}

function isBlock(node: Node): boolean {
  return node.nodeType === 1 && BLOCK.has(node.nodeName.toLowerCase());
}

function element(e: Element, pre: boolean): string {
  const tag = e.tagName.toLowerCase();
  const cls = e.getAttribute('class') ?? '';
  const has = (c: string) => cls.split(/\s+/).includes(c);
  // The renderer's forms.
  if (tag === 'div' && has('md-code')) {
    const code = e.querySelector('pre > code')!.textContent ?? '';
    const lang = e.getAttribute('data-lang');
    return `<pre><code${attrs([['class', lang ? `language-${lang}` : undefined]])}>${escapeText(code ? `${code}\n` : '')}</code></pre>`;
  }
  if (tag === 'div' && (has('md-table') || has('md-blocks'))) return children(e, pre);
  if (tag === 'a' && has('md-file-ref')) return children(e, pre);
  if ((tag === 'a' && has('md-file-link')) || (tag === 'span' && has('md-link-inert'))) return `<a>${children(e, pre)}</a>`;
  if (tag === 'a' && e.hasAttribute('data-href')) {
    const title = e.getAttribute('title') ?? '';
    const cut = title.lastIndexOf('\n');
    return `<a${attrs([['href', normalizeUri(e.getAttribute('data-href')!)], ['title', cut >= 0 ? title.slice(0, cut) : undefined]])}>${children(e, pre)}</a>`;
  }
  if (tag === 'span' && has('md-image')) {
    const alt = has('md-image-blocked') ? (e.textContent ?? '').replace(/^\[image(?:: )?/, '').replace(/\]$/, '') : e.querySelector('.md-image-alt')?.textContent ?? '';
    return `<img${attrs([['alt', alt]])}>`;
  }
  // The spec's forms.
  if (tag === 'a') {
    const href = e.getAttribute('href');
    if (href === null || !OPENED.test(href)) return `<a>${children(e, pre)}</a>`;
    return `<a${attrs([['href', href], ['title', e.getAttribute('title')]])}>${children(e, pre)}</a>`;
  }
  if (tag === 'img') return `<img${attrs([['alt', e.getAttribute('alt') ?? '']])}>`;
  if (tag === 'input') return `<input${attrs([['checked', e.hasAttribute('checked') ? '' : undefined], ['disabled', e.hasAttribute('disabled') ? '' : undefined], ['type', e.getAttribute('type')]])}>`;
  const kept: [string, string | null][] = [];
  if (tag === 'ol') kept.push(['start', e.getAttribute('start')]);
  if (tag === 'th' || tag === 'td') kept.push(['align', e.getAttribute('align') ?? e.getAttribute('data-align')]);
  if (tag === 'code' && pre) kept.push(['class', e.getAttribute('class')]);
  if (tag === 'br' || tag === 'hr') return `<${tag}>`;
  const inner = children(e, pre || tag === 'pre');
  if (tag === 'pre') return `<pre>${inner}</pre>`;
  return `<${tag}${attrs(kept)}>${inner}</${tag}>`;
}
