/**
 * Webview rendering benchmark, in headless Chromium, against the real webview bundle (dist/webview.js).
 *
 * A 20,000-token markdown answer (prose, lists, code blocks, a table) is streamed into the bundle as fast as
 * deltas can be posted. The page's requestAnimationFrame is replaced by a queue this script drains after each
 * delta, so every measured delta pays the real path: message event -> protocol guard -> reducer -> queued
 * render -> incremental markdown -> forced style and layout.
 *
 * Reported: median cost of one delta near token 500 and near token 20,000 and their ratio; the same for a
 * baseline that re-renders the whole answer per delta (the renderer's one-shot function); the p95 work per
 * animation frame (render, style, layout) while streaming at 1,000 tokens/s with the real
 * requestAnimationFrame, and the p95 interval between frames; the heap after 100 answers.
 */
import { build } from 'esbuild';
import { chromium, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { markdownTable, median, p95, writeJson } from './benchKit';
import { hostileTexts, longLine, longLineTexts } from './webviewLongLine';
import { ROOT, openPage, startConversation } from './webviewPage';
import { toolCardRender } from './webviewToolCard';

// The functions passed to page.evaluate run in the browser; this Node-typed project only needs their names.
declare const window: any;
declare const document: any;
type HTMLElement = unknown;
declare const requestAnimationFrame: (cb: (t: number) => void) => number;

const CHROMIUM = process.env.SWITCHBOARD_CHROMIUM || '/usr/bin/chromium';
const TOKENS = 20_000;
const WINDOW = 200;
/** Hostile lines are measured at this size and twice it; twice the text may cost at most HOSTILE_GROWTH_MAX times (whole). */
const HOSTILE_SIZE = 20_000;
const HOSTILE_GROWTH_MAX = 2.5;

/** A long, varied answer, cut into ~1-token deltas (a word, a space, or a piece of punctuation). */
function makeAnswer(tokens: number): string[] {
  const prose = 'The request handler reads the configuration once, validates every field, and keeps the result in memory so later calls are cheap. ';
  const sections = [
    (i: number) => `## Section ${i}\n\n${prose.repeat(3)}\n\n`,
    (i: number) => `- first point about item ${i} with **bold** and \`code\`\n- second point, with a [link](https://example.com/${i})\n  - nested detail\n- third point\n\n`,
    (i: number) => '```ts\n' + `export function handler${i}(input: string): number {\n  const parts = input.split(',');\n  // count the non-empty parts\n  return parts.filter((p) => p.trim() !== '').length + ${i};\n}\n` + '```\n\n',
    (i: number) => `| name | value | note |\n| --- | ---: | :--- |\n| alpha | ${i} | first |\n| beta | ${i * 2} | second |\n| gamma | ${i * 3} | third |\n\n`,
    (i: number) => '```python\n' + `def total_${i}(items):\n    """Sum the prices."""\n    return sum(item.price for item in items if item.price > ${i})\n` + '```\n\n',
    (i: number) => `> Note ${i}: ${prose}\n\n1. step one\n2. step two\n3. step three\n\n`,
  ];
  let text = '';
  for (let i = 0; text.length < tokens * 6; i++) text += sections[i % sections.length](i);
  // About four characters a token, like real tokenizers: a word with its leading space, or one symbol;
  // whitespace at the very end stays with the last token so nothing is lost.
  const deltas = text.match(/\s*[A-Za-z0-9_]+|\s*[^\sA-Za-z0-9_]|\s+$/g) ?? [];
  if (deltas.join('') !== text) throw new Error('the benchmark answer does not survive tokenization');
  return deltas.slice(0, tokens);
}

async function streamMeasured(page: Page, deltas: string[], messageId: string, seqStart: number, layout = true): Promise<number[]> {
  return page.evaluate(({ deltas, messageId, seqStart, layout }) => {
    const w = window as unknown as { __drain: () => void };
    const post = (data: unknown) => window.dispatchEvent(new MessageEvent('message', { data }));
    post({ type: 'upsert', seq: seqStart, busy: true, message: { id: messageId, role: 'assistant', parts: [], state: 'streaming', deltas: 0, info: { modelId: null, model: null, fallbacks: [], usage: null, costNanos: 0, costUnknown: false, ttftMs: null, steps: 1 } } });
    w.__drain();
    // performance.now() is coarse in a page (about 0.1 ms), so deltas are timed in groups of GROUP and each
    // delta of a group is given the group's mean.
    const GROUP = 10;
    const times: number[] = [];
    for (let i = 0; i < deltas.length; i += GROUP) {
      const end = Math.min(i + GROUP, deltas.length);
      const t0 = performance.now();
      for (let j = i; j < end; j++) {
        post({ type: 'delta', seq: seqStart + 1 + j, messageId, index: j, step: 0, text: deltas[j], reasoning: '' });
        w.__drain();
        if (layout) void document.body.offsetHeight; // include style and layout
      }
      const each = (performance.now() - t0) / (end - i);
      for (let j = i; j < end; j++) times.push(each);
    }
    post({ type: 'upsert', seq: seqStart + 1 + deltas.length, busy: false, message: { id: messageId, role: 'assistant', parts: [{ kind: 'text', step: 0, text: deltas.join('') }], state: 'done', deltas: deltas.length, info: { modelId: null, model: null, fallbacks: [], usage: null, costNanos: 0, costUnknown: false, ttftMs: null, steps: 1 } } });
    w.__drain();
    return times;
  }, { deltas, messageId, seqStart, layout });
}

async function baseline(page: Page, deltas: string[], sample: number[]): Promise<number[]> {
  // The renderer's one-shot function, bundled on its own: what re-rendering the whole answer per delta costs.
  const bundle = await build({ entryPoints: [join(ROOT, 'webview', 'markdown', 'index.ts')], bundle: true, write: false, format: 'iife', globalName: '__md', platform: 'browser', target: 'es2022' });
  await page.addScriptTag({ content: bundle.outputFiles[0].text });
  return page.evaluate(({ deltas, sample }) => {
    const md = (window as unknown as { __md: { renderMarkdown: (el: HTMLElement, text: string, hooks: unknown) => void } }).__md;
    const hooks = { onLink() {}, onOpenFile() {}, loadImage: () => Promise.reject(new Error('no')), onCopy() {}, onInsert() {} };
    const box = document.createElement('div');
    document.body.append(box);
    const prefix: string[] = [];
    let text = '';
    for (const d of deltas) prefix.push((text += d));
    const times: number[] = [];
    for (const i of sample) {
      const t0 = performance.now();
      md.renderMarkdown(box, prefix[i], hooks);
      void document.body.offsetHeight;
      times.push(performance.now() - t0);
    }
    box.remove();
    return times;
  }, { deltas, sample });
}

async function frameTimes(browser: import('playwright-core').Browser, deltas: string[]): Promise<{ p95: number; median: number; frames: number; intervalP95: number }> {
  const page = await openPage(browser, false, true);
  await startConversation(page);
  const result = await page.evaluate(async (deltas) => {
    const post = (data: unknown) => window.dispatchEvent(new MessageEvent('message', { data }));
    post({ type: 'upsert', seq: 2, busy: true, message: { id: 'f', role: 'assistant', parts: [], state: 'streaming', deltas: 0, info: { modelId: null, model: null, fallbacks: [], usage: null, costNanos: 0, costUnknown: false, ttftMs: null, steps: 1 } } });
    // 1,000 tokens/s, delivered as the host would: coalesced every 24 ms.
    const perBatch = 24;
    const frames: number[] = [];
    let last = performance.now();
    let running = true;
    const tick = (t: number) => {
      frames.push(t - last);
      last = t;
      if (running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    let i = 0;
    let index = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const text = deltas.slice(i, i + perBatch).join('');
        i += perBatch;
        post({ type: 'delta', seq: 3 + index, messageId: 'f', index, step: 0, text, reasoning: '' });
        index++;
        if (i >= deltas.length) {
          clearInterval(timer);
          resolve();
        }
      }, 24);
    });
    running = false;
    return { intervals: frames.slice(2), work: (window as unknown as { __work: number[] }).__work.slice() };
  }, deltas);
  await page.close();
  return { p95: p95(result.work), median: median(result.work), frames: result.work.length, intervalP95: p95(result.intervals) };
}

async function heapAfterAnswers(browser: import('playwright-core').Browser, deltas: string[], answers: number): Promise<{ usedMB: number; domNodes: number }> {
  const page = await openPage(browser, true);
  await startConversation(page);
  // Bigger deltas here: the subject is memory, not per-delta cost.
  const chunks: string[] = [];
  for (let i = 0; i < deltas.length; i += 50) chunks.push(deltas.slice(i, i + 50).join(''));
  let seq = 10;
  for (let a = 0; a < answers; a++) {
    await page.evaluate(({ a, seq }) => {
      window.dispatchEvent(new MessageEvent('message', { data: { type: 'upsert', seq, busy: false, message: { id: `u${a}`, role: 'user', text: `question ${a}` } } }));
    }, { a, seq: seq++ });
    await streamMeasured(page, chunks, `a${a}`, seq);
    seq += chunks.length + 2;
  }
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  const domNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  await page.close();
  return { usedMB: heap.usedSize / 1024 / 1024, domNodes };
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'webview.js'))) throw new Error('dist/webview.js is missing: run node esbuild.mjs first');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    const deltas = makeAnswer(TOKENS);
    const chars = deltas.join('').length;

    const page = await openPage(browser, true);
    await startConversation(page);
    const times = await streamMeasured(page, deltas, 'm1', 2);
    await page.close();
    const jsPage = await openPage(browser, true);
    await startConversation(jsPage);
    const jsTimes = await streamMeasured(jsPage, deltas, 'm1', 2, false);
    await jsPage.close();
    const around = (center: number) => times.slice(center - WINDOW / 2, center + WINDOW / 2);
    const early = median(around(500));
    const late = median(around(TOKENS - WINDOW / 2 - 1));
    const totalMs = times.reduce((a, b) => a + b, 0);
    const jsEarly = median(jsTimes.slice(500 - WINDOW / 2, 500 + WINDOW / 2));
    const jsLate = median(jsTimes.slice(TOKENS - WINDOW - 1, TOKENS - 1));

    const basePage = await openPage(browser, true);
    const earlyIdx = Array.from({ length: 40 }, (_, k) => 480 + k);
    const lateIdx = Array.from({ length: 20 }, (_, k) => TOKENS - 20 + k);
    const baseEarly = median(await baseline(basePage, deltas, earlyIdx));
    const baseLate = median(await baseline(basePage, deltas, lateIdx));
    await basePage.close();

    const frames = await frameTimes(browser, deltas.slice(0, 5000));
    const texts = longLineTexts();
    const blob = await longLine(browser, texts.blob);
    const prose = await longLine(browser, texts.prose);
    const hostile: { name: string; small: { wholeMs: number; streamedMs: number }; large: { wholeMs: number; streamedMs: number } }[] = [];
    const larges = hostileTexts(2 * HOSTILE_SIZE);
    for (const [i, h] of hostileTexts(HOSTILE_SIZE).entries()) {
      hostile.push({ name: h.name, small: await longLine(browser, h.text), large: await longLine(browser, larges[i].text) });
    }
    const growth = (h: (typeof hostile)[number], k: 'wholeMs' | 'streamedMs') => h.large[k] / h.small[k];
    // The whole render is what a quadratic parser shows: streaming parses the first 8 KB on every batch, the same
    // work at both sizes, so its growth stays under 2x either way and is reported, not held to the target.
    const hostileWorst = Math.max(...hostile.map((h) => growth(h, 'wholeMs')));
    const cards = await toolCardRender(browser);
      const card = { medianMs: median(cards.cardMs), p95Ms: p95(cards.cardMs), plainMedianMs: median(cards.plainMs), plainP95Ms: p95(cards.plainMs) };
    const heap = process.env.BENCH_QUICK ? { usedMB: NaN, domNodes: NaN } : await heapAfterAnswers(browser, deltas, 100);

    const results = {
      date: new Date().toISOString(),
      chromium: browser.version(),
      tokens: TOKENS,
      answerChars: chars,
      incremental: { earlyMedianMs: early, lateMedianMs: late, lateOverEarly: late / early, totalMs },
      incrementalWithoutLayout: { earlyMedianMs: jsEarly, lateMedianMs: jsLate, lateOverEarly: jsLate / jsEarly },
      baseline: { earlyMedianMs: baseEarly, lateMedianMs: baseLate },
      speedupAtEnd: baseLate / late,
      frames: { workP95Ms: frames.p95, workMedianMs: frames.median, frames: frames.frames, intervalP95Ms: frames.intervalP95, rate: '1,000 tokens/s, 24 ms batches' },
      heapAfter100Answers: heap,
      longLine: { blob, prose, wholeOverProse: blob.wholeMs / prose.wholeMs, streamedOverProse: blob.streamedMs / prose.streamedMs },
      toolCard: card,
      hostileLines: { sizes: [HOSTILE_SIZE, 2 * HOSTILE_SIZE], lines: hostile, worstGrowth: hostileWorst },
      targets: { lateOverEarlyMax: 1.5, p95FrameMsMax: 16, speedupAtEndMin: 10, longLineWholeMsMax: 100, longLineStreamedMsMax: 1000, longLineOverProseMax: 2, toolCardMsMax: 16, hostileGrowthMax: HOSTILE_GROWTH_MAX },
    };
    writeJson(join(ROOT, 'bench', 'results', 'webview.json'), results);
    const f = (n: number) => n.toFixed(3);
    console.log(`\nWebview benchmark: ${TOKENS.toLocaleString('en-US')}-token answer (${(chars / 1024).toFixed(0)} KB), Chromium ${browser.version()}\n`);
    console.log(markdownTable(['Measure', 'Value', 'Target'], [
      ['median ms per delta near token 500 (incremental)', f(early), ''],
      ['median ms per delta near token 20,000 (incremental)', f(late), ''],
      ['end / start', `${(late / early).toFixed(2)}x`, '≤ 1.5x'],
      ['end / start without forcing layout after each delta', `${(jsLate / jsEarly).toFixed(2)}x (${f(jsEarly)} → ${f(jsLate)} ms)`, ''],
      ['median ms per delta near token 500 (baseline: whole re-render)', f(baseEarly), ''],
      ['median ms per delta near token 20,000 (baseline: whole re-render)', f(baseLate), ''],
      ['speed-up at token 20,000', `${(baseLate / late).toFixed(0)}x`, '≥ 10x'],
      ['p95 frame work at 1,000 tokens/s (ms, render + layout per frame)', frames.p95.toFixed(2), '< 16 ms'],
      ['p95 interval between frames at 1,000 tokens/s (ms)', frames.intervalP95.toFixed(1), '(60 Hz = 16.7)'],
      ['JS heap after 100 answers in one conversation (MB)', heap.usedMB.toFixed(1), ''],
      ['DOM elements after 100 answers', heap.domNodes, ''],
      ['a pending command card: message -> render + layout (ms, median / p95)', `${card.medianMs.toFixed(2)} / ${card.p95Ms.toFixed(2)}`, '< 16 ms (one frame)'],
      ['  the same update without the card (baseline, ms, median / p95)', `${card.plainMedianMs.toFixed(2)} / ${card.plainP95Ms.toFixed(2)}`, ''],
      ['100 KB line without spaces, whole: render + layout (ms)', blob.wholeMs.toFixed(1), '< 100 ms'],
      ['  the same size of prose, whole (baseline, ms)', prose.wholeMs.toFixed(1), ''],
      ['  long line / prose, whole', `${(blob.wholeMs / prose.wholeMs).toFixed(2)}x`, '≤ 2x'],
      ['100 KB line without spaces, streamed at 24 tokens a batch: total work (ms)', blob.streamedMs.toFixed(0), '< 1,000 ms'],
      ['  the same size of prose, streamed (baseline, ms)', prose.streamedMs.toFixed(0), ''],
      ['  long line / prose, streamed', `${(blob.streamedMs / prose.streamedMs).toFixed(2)}x`, '≤ 2x'],
    ]));
    console.log(`\nHostile lines: the cost of ${HOSTILE_SIZE / 1000} KB and of twice that (linear: 2x; quadratic: 4x)\n`);
    console.log(markdownTable(['Line', 'Whole ms', 'Whole, twice the size', 'Target (whole)', 'Streamed ms', 'Streamed, twice the size'], hostile.map((h) => [
      h.name,
      h.small.wholeMs.toFixed(1),
      `${h.large.wholeMs.toFixed(1)} (${growth(h, 'wholeMs').toFixed(2)}x)`,
      `≤ ${HOSTILE_GROWTH_MAX}x`,
      h.small.streamedMs.toFixed(0),
      `${h.large.streamedMs.toFixed(0)} (${growth(h, 'streamedMs').toFixed(2)}x)`,
    ])));
    console.log('\nwrote bench/results/webview.json');
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

