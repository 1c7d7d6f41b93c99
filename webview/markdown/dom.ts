// The only way the renderer creates elements. Tags and attributes come from fixed allow-lists, text only ever
// goes in through text nodes, and nothing is parsed as HTML, so model output cannot inject markup, event
// handlers, styles or remote sources, whatever it contains.

const TAGS = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'span', 'div',
  'em', 'strong', 'del', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'br', 'input', 'button', 'img',
]);

const ATTRIBUTES = new Set([
  'class', 'data-href', 'data-lang', 'data-align', 'start', 'type', 'checked', 'disabled', 'aria-label',
  'title', 'alt', 'role', 'tabindex', 'src', 'data-path', 'data-line',
]);

export type AllowedTag = 'p' | 'h1' | 'h2' | 'h3' | 'h4' | 'h5' | 'h6' | 'ul' | 'ol' | 'li' | 'blockquote' | 'pre' | 'code' | 'span' | 'div'
  | 'em' | 'strong' | 'del' | 'a' | 'table' | 'thead' | 'tbody' | 'tr' | 'th' | 'td' | 'hr' | 'br' | 'input' | 'button' | 'img';

/**
 * Creates an allow-listed element. `src` is accepted only on `img` and only for an embedded raster image
 * (the one case where the user asked for it and the bytes are already here).
 */
export function el(doc: Document, tag: AllowedTag, attrs: Record<string, string> = {}, text?: string): HTMLElement {
  if (!TAGS.has(tag)) throw new Error(`markdown: tag <${tag}> is not allowed`);
  const node = doc.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (!ATTRIBUTES.has(name)) throw new Error(`markdown: attribute ${name} is not allowed`);
    if (name === 'src' && (tag !== 'img' || !/^data:image\/(?:png|jpeg|gif|webp);base64,/.test(value))) {
      throw new Error('markdown: only embedded raster images may have a src');
    }
    node.setAttribute(name, value);
  }
  if (text !== undefined) node.appendChild(doc.createTextNode(text));
  return node;
}
