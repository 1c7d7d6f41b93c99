// The page the webview benchmarks run in: the real dist/webview.js and stylesheets in headless Chromium, with
// a stub of the VS Code API and, as asked, a manual or timed requestAnimationFrame.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

// The functions passed to page.evaluate run in the browser; this Node-typed project only needs their names.
declare const window: any;

export const ROOT = join(__dirname, '..', '..');

const STUB = `
  window.__posted = [];
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => {} });
`;
/** Times the work of every animation-frame callback the bundle schedules, including style and layout. */
const TIMED_RAF = `
  window.__work = [];
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => raf((t) => { const t0 = performance.now(); cb(t); void document.body.offsetHeight; window.__work.push(performance.now() - t0); });
`;
const MANUAL_RAF = `
  window.__frames = [];
  window.requestAnimationFrame = (cb) => { window.__frames.push(cb); return window.__frames.length; };
  window.__drain = () => { const f = window.__frames; window.__frames = []; for (const cb of f) cb(performance.now()); };
`;

export async function openPage(browser: import('playwright-core').Browser, manualRaf: boolean, timedRaf = false): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
  await page.setContent('<!DOCTYPE html><html><head></head><body><div id="app"></div></body></html>');
  for (const css of ['media/chat.css', 'media/markdown.css']) {
    if (existsSync(join(ROOT, css))) await page.addStyleTag({ path: join(ROOT, css) });
  }
  await page.addScriptTag({ content: STUB + (manualRaf ? MANUAL_RAF : timedRaf ? TIMED_RAF : '') });
  await page.addScriptTag({ path: join(ROOT, 'dist', 'webview.js') });
  return page;
}

/** Sends the host's snapshot and an empty streaming answer, as the extension would. */
export async function startConversation(page: Page, messages: unknown[] = []): Promise<void> {
  await page.evaluate((msgs) => {
    const post = (data: unknown) => window.dispatchEvent(new MessageEvent('message', { data }));
    post({ type: 'snapshot', seq: 1, protocolVersion: 3, state: { conversationId: 'c', messages: msgs, problems: [], busy: false, conversations: [], chains: [], selectedChain: '', draft: '', draftAt: 0, scrollTop: null } });
  }, messages);
}

