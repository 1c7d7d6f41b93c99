// Shared helpers for the markdown renderer tests: a fresh jsdom document per suite (no globals), recording
// hooks, and a seeded PRNG so a failing random split can be replayed from its printed seed.
import { JSDOM } from 'jsdom';
import { StreamingMarkdown, renderMarkdown, type MarkdownHooks } from '../../../webview/markdown';

export interface RecordingHooks extends MarkdownHooks {
  links: string[];
  files: { path: string; line: number | undefined }[];
  images: string[];
  copied: string[];
  inserted: string[];
  /** What `loadImage` resolves with (or rejects when undefined). */
  imageAnswer?: string;
}

export function recordingHooks(): RecordingHooks {
  const hooks: RecordingHooks = {
    links: [], files: [], images: [], copied: [], inserted: [],
    onLink: (href) => void hooks.links.push(href),
    onOpenFile: (path, line) => void hooks.files.push({ path, line }),
    loadImage: (src) => {
      hooks.images.push(src);
      return hooks.imageAnswer === undefined ? Promise.reject(new Error('refused')) : Promise.resolve(hooks.imageAnswer);
    },
    onCopy: (code) => void hooks.copied.push(code),
    onInsert: (code) => void hooks.inserted.push(code),
  };
  return hooks;
}

/** A document of its own; containers made from it are detached from any other test's DOM. */
export class MarkdownDom {
  readonly dom = new JSDOM('<!DOCTYPE html><body></body>');
  readonly document = this.dom.window.document;

  container(): HTMLElement {
    const div = this.document.createElement('div');
    this.document.body.appendChild(div);
    return div;
  }

  /** One-shot render. */
  render(text: string, hooks: MarkdownHooks = recordingHooks()): HTMLElement {
    const container = this.container();
    renderMarkdown(container, text, hooks);
    return container;
  }

  /** Streams `parts` as deltas, then finishes. */
  stream(parts: readonly string[], hooks: MarkdownHooks = recordingHooks()): HTMLElement {
    const container = this.container();
    const md = new StreamingMarkdown(container, hooks);
    for (const part of parts) md.append(part);
    md.finish();
    return container;
  }
}

/** The shared seeded generator: the same sequence for the same seed everywhere. */
export { mulberry32 as prng } from '../../support/prng';

/** Splits `text` at random UTF-16 offsets (so surrogate pairs can be cut), into pieces of 1 to `max` units. */
export function randomSplit(text: string, random: () => number, max = 12): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; ) {
    const n = 1 + Math.floor(random() * max);
    parts.push(text.slice(i, i + n));
    i += n;
  }
  return parts;
}
