// The long-line case of the webview benchmark: a 100 KB line without spaces, against prose of the same size.
import { openPage, startConversation } from './webviewPage';

// The functions passed to page.evaluate run in the browser; this Node-typed project only needs their names.
declare const window: any;
declare const document: any;

/** A 100 KB line without a space (a base64 blob) and, as its baseline, 100 KB of prose: whole and streamed. */
export function longLineTexts(): { blob: string; prose: string } {
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const blob = Array.from({ length: 100_000 }, () => chars[Math.floor(random() * 64)]).join('');
  const words = ['the', 'handler', 'reads', 'configuration', 'once', 'and', 'keeps', 'result', 'in', 'memory'];
  let prose = '';
  while (prose.length < 100_000) prose += `${words[Math.floor(random() * words.length)]} `;
  return { blob, prose: prose.slice(0, 100_000) };
}

/**
 * Lines that make a markdown parser's delimiter matching quadratic if nothing bounds it, of `size` characters.
 * Measured at two sizes: a bounded renderer costs about twice as much for twice the text, not four times.
 */
export function hostileTexts(size: number): { name: string; text: string }[] {
  const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  return [
    { name: 'emphasis delimiters `*a_ `', text: fill('*a_ ') },
    { name: 'alternating `*_`', text: fill('*_') },
    { name: 'strong openers `**a`', text: fill('**a') },
    { name: 'strikethrough `~a`', text: fill('~a') },
    { name: 'math openers `\\(`', text: fill('\\(') },
    { name: 'math openers `\\[a`', text: fill('\\[a') },
    { name: 'dollars `$a`', text: fill('$a') },
    { name: 'brackets `[^a]`', text: fill('[^a]') },
    { name: 'undefined references `[a]`', text: fill('[a]') },
    { name: 'image labels `![a]`', text: fill('![a]') },
    { name: 'processing instructions `<?`', text: fill('<?') },
    { name: 'comments `<!--`', text: fill('<!--') },
    { name: 'unclosed link titles `[a](b (`', text: fill('[a](b (') },
    { name: 'escapes, then 1,000 unmatched `a*`', text: `${fill('\\!').slice(0, size - 3000)}${' a*'.repeat(1000)}` },
  ];
}

/**
 * The long-line case. Whole: one finished answer posted, rendered and laid out (median of 5). Streamed: the
 * text in ~4-character tokens, 24 tokens per batch (1,000 tokens/s coalesced every 24 ms as the host does),
 * each batch rendered and laid out; the sum of that work.
 */
export async function longLine(browser: import('playwright-core').Browser, text: string): Promise<{ wholeMs: number; streamedMs: number }> {
  const page = await openPage(browser, true);
  await startConversation(page);
  const result = await page.evaluate((text) => {
    const w = window as unknown as { __drain: () => void };
    const post = (data: unknown) => window.dispatchEvent(new MessageEvent('message', { data }));
    const info = { modelId: null, model: null, fallbacks: [], usage: null, costNanos: 0, costUnknown: false, ttftMs: null, steps: 1 };
    let seq = 2;
    const whole: number[] = [];
    for (let r = 0; r < 5; r++) {
      // A different text each time (one more character), so no render reuses an earlier one's parse.
      const t0 = performance.now();
      post({ type: 'upsert', seq: seq++, busy: false, message: { id: `w${r}`, role: 'assistant', parts: [{ kind: 'text', step: 0, text: `${text}${r}` }], state: 'done', deltas: 1, info } });
      w.__drain();
      void document.body.offsetHeight;
      whole.push(performance.now() - t0);
    }
    post({ type: 'upsert', seq: seq++, busy: true, message: { id: 's', role: 'assistant', parts: [], state: 'streaming', deltas: 0, info } });
    w.__drain();
    let streamed = 0;
    let index = 0;
    for (let i = 0; i < text.length; i += 96) {
      const t0 = performance.now();
      post({ type: 'delta', seq: seq++, messageId: 's', index: index++, step: 0, text: text.slice(i, i + 96), reasoning: '' });
      w.__drain();
      void document.body.offsetHeight;
      streamed += performance.now() - t0;
    }
    const t0 = performance.now();
    post({ type: 'upsert', seq: seq++, busy: false, message: { id: 's', role: 'assistant', parts: [{ kind: 'text', step: 0, text }], state: 'done', deltas: index, info } });
    w.__drain();
    void document.body.offsetHeight;
    streamed += performance.now() - t0;
    whole.sort((a, b) => a - b);
    return { wholeMs: whole[2], streamedMs: streamed };
  }, text);
  await page.close();
  return result;
}

