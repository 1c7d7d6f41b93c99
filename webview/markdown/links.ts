// Links are where untrusted output meets the user's clicks. Only http(s) and mailto links and links to
// workspace files become clickable, none of them navigates (no href): a click asks the host, which confirms
// web links and confines file links to the workspace. Every other destination leaves readable, inert text.
import { el } from './dom';
import { fileLinkTarget, type FileTarget } from './fileLinks';
import type { RenderContext } from './hooks';
import { safeLinkHref } from './safeUrl';

/** An element for a link to `url`, to which the caller appends the link's content. */
export function linkElement(ctx: RenderContext, url: string, title: string | null | undefined): HTMLElement {
  const href = safeLinkHref(url);
  if (href !== undefined) {
    const a = el(ctx.doc, 'a', { class: 'md-link', 'data-href': href, role: 'link', tabindex: '0', title: title ? `${title}\n${href}` : href });
    const { hooks } = ctx;
    activate(a, () => hooks.onLink(href));
    return a;
  }
  const file = fileLinkTarget(url);
  if (file) return fileLinkElement(ctx, file, title);
  // Not a scheme we open: the text stays readable but is not a link and keeps no trace of the target.
  return el(ctx.doc, 'span', { class: 'md-link-inert' });
}

/** A link that opens `file` (at its line) in the editor through the host. */
export function fileLinkElement(ctx: RenderContext, file: FileTarget, title?: string | null, auto = false): HTMLElement {
  const where = file.line ? `${file.path}, line ${file.line}` : file.path;
  const attrs: Record<string, string> = {
    class: auto ? 'md-link md-file-link md-file-ref' : 'md-link md-file-link',
    'data-path': file.path,
    role: 'link',
    tabindex: '0',
    title: title ? `${title}\nOpen ${where}` : `Open ${where}`,
  };
  if (file.line) attrs['data-line'] = String(file.line);
  const a = el(ctx.doc, 'a', attrs);
  const { hooks } = ctx;
  activate(a, () => hooks.onOpenFile(file.path, file.line));
  return a;
}

/** Listeners hold only what a click needs (never the render context, which holds the whole answer's renderer). */
function activate(a: HTMLElement, run: () => void): void {
  const handler = (event: Event) => {
    event.preventDefault();
    run();
  };
  a.addEventListener('click', handler);
  a.addEventListener('keydown', (event) => {
    if ((event as KeyboardEvent).key === 'Enter') handler(event);
  });
}
