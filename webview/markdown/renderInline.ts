// Inline tree to DOM. Links and images are where untrusted output meets the user's clicks, so both go
// through the allow-lists in safeUrl.ts and never carry a navigable href or a remote src.
import { el } from './dom';
import type { RenderContext } from './hooks';
import type { Inline } from './inlineParser';
import { classifyImage, isSafeDataImage, safeLinkHref } from './safeUrl';

/** Appends the DOM for `inlines` to `parent`. */
export function renderInline(ctx: RenderContext, inlines: readonly Inline[], parent: Node): void {
  const doc = ctx.doc;
  for (const inline of inlines) {
    switch (inline.t) {
      case 'text':
        parent.appendChild(doc.createTextNode(inline.v));
        break;
      case 'softbreak':
        parent.appendChild(doc.createTextNode('\n'));
        break;
      case 'br':
        parent.appendChild(el(doc, 'br'));
        break;
      case 'code':
        parent.appendChild(el(doc, 'code', {}, inline.v));
        break;
      case 'em':
      case 'strong':
      case 'del': {
        const node = el(doc, inline.t);
        renderInline(ctx, inline.c, node);
        parent.appendChild(node);
        break;
      }
      case 'link':
        parent.appendChild(renderLink(ctx, inline));
        break;
      case 'image':
        parent.appendChild(renderImage(ctx, inline.src, inline.alt));
        break;
    }
  }
}

function renderLink(ctx: RenderContext, link: Extract<Inline, { t: 'link' }>): HTMLElement {
  const href = safeLinkHref(link.href);
  if (href === undefined) {
    // Not a scheme we open: the text stays readable but is not a link and keeps no trace of the target.
    const span = el(ctx.doc, 'span', { class: 'md-link-inert' });
    renderInline(ctx, link.c, span);
    return span;
  }
  // No href: the webview must never navigate. The host opens the link after its own confirmation.
  const a = el(ctx.doc, 'a', { class: 'md-link', 'data-href': href, role: 'link', tabindex: '0', title: link.title ? `${link.title}\n${href}` : href });
  renderInline(ctx, link.c, a);
  const activate = (event: Event) => {
    event.preventDefault();
    ctx.hooks.onLink(href);
  };
  a.addEventListener('click', activate);
  a.addEventListener('keydown', (event) => {
    if ((event as KeyboardEvent).key === 'Enter') activate(event);
  });
  return a;
}

/**
 * An image never loads by itself: a remote URL in model output is an exfiltration channel (fetching it sends
 * whatever the URL carries). It shows as a button naming the host; only a raster data: URL, fetched by the
 * host on request, ever reaches an <img>.
 */
function renderImage(ctx: RenderContext, src: string, alt: string): HTMLElement {
  const doc = ctx.doc;
  const source = classifyImage(src);
  if (source.kind === 'blocked') {
    return el(doc, 'span', { class: 'md-image md-image-blocked', title: 'Image not shown: only http, https and embedded raster images can be loaded' }, `[image${alt ? `: ${alt}` : ''}]`);
  }
  const wrap = el(doc, 'span', { class: 'md-image' });
  const loaded = ctx.loadedImages.get(source.url);
  if (loaded) {
    wrap.appendChild(el(doc, 'img', { alt, src: loaded }));
    return wrap;
  }
  const label = source.kind === 'remote' ? `Load image from ${source.host}` : 'Show embedded image';
  const button = el(doc, 'button', source.kind === 'remote' ? { type: 'button', class: 'md-image-load', title: source.url } : { type: 'button', class: 'md-image-load' }, label);
  wrap.appendChild(button);
  if (alt) wrap.appendChild(el(doc, 'span', { class: 'md-image-alt' }, alt));
  button.addEventListener('click', () => {
    button.setAttribute('disabled', '');
    button.textContent = 'Loading image…';
    const fetched = source.kind === 'remote' ? ctx.hooks.loadImage(source.url) : Promise.resolve(source.url);
    fetched
      .then((dataUrl) => {
        // The host's answer is checked too: an SVG or an HTML document must not become an <img>.
        if (typeof dataUrl !== 'string' || !isSafeDataImage(dataUrl)) throw new Error('not a raster image');
        ctx.loadedImages.set(source.url, dataUrl);
        wrap.replaceChildren(el(doc, 'img', { alt, src: dataUrl }));
      })
      .catch(() => {
        button.removeAttribute('disabled');
        button.textContent = `${label} (failed, try again)`;
      });
  });
  return wrap;
}
