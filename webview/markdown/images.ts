// Images never load by themselves: a remote URL in model output is an exfiltration channel (fetching it sends
// whatever the URL carries). An image shows as a button naming the host; only a raster data: URL, fetched by
// the host on request, ever reaches an <img>.
import { el } from './dom';
import type { RenderContext } from './hooks';
import { classifyImage, isSafeDataImage } from './safeUrl';

export function renderImage(ctx: RenderContext, src: string, alt: string): HTMLElement {
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
  // The listener holds the hooks and the loaded-images table, not the render context (see links.ts).
  const { hooks, loadedImages } = ctx;
  button.addEventListener('click', () => {
    button.setAttribute('disabled', '');
    button.textContent = 'Loading image…';
    const fetched = source.kind === 'remote' ? hooks.loadImage(source.url) : Promise.resolve(source.url);
    fetched
      .then((dataUrl) => {
        // The host's answer is checked too: an SVG or an HTML document must not become an <img>.
        if (typeof dataUrl !== 'string' || !isSafeDataImage(dataUrl)) throw new Error('not a raster image');
        loadedImages.set(source.url, dataUrl);
        wrap.replaceChildren(el(doc, 'img', { alt, src: dataUrl }));
      })
      .catch(() => {
        button.removeAttribute('disabled');
        button.textContent = `${label} (failed, try again)`;
      });
  });
  return wrap;
}
