// The tool-card case of the webview benchmark: how long the view takes to show a pending command card (the
// host's part is bench/tools.bench.ts), against the same answer update without the card.
import { openPage, startConversation } from './webviewPage';

// The functions passed to page.evaluate run in the browser; this Node-typed project only needs their names.
declare const window: any;
declare const document: any;

/**
 * Posts `runs` answers, each a streaming update holding a pending `run_command` card (risk, command, buttons,
 * reason box), and times message -> render -> layout; then the same updates with only the text, as the baseline.
 */
export async function toolCardRender(browser: import('playwright-core').Browser, runs = 60): Promise<{ cardMs: number[]; plainMs: number[] }> {
  const page = await openPage(browser, true);
  await startConversation(page);
  const result = await page.evaluate((runs) => {
    const post = (data: unknown) => window.dispatchEvent(new MessageEvent('message', { data }));
    const info = { modelId: 'fast', model: 'fast-1', fallbacks: [], usage: null, costNanos: 0, costUnknown: false, ttftMs: 120, steps: 1 };
    const card = {
      summary: 'Run in the workspace folder',
      command: 'npm run build && rm -rf dist/tmp',
      paths: [],
      risk: { level: 'unsure', reasons: ['unknown command: frobnicate'] },
      turnCostNanos: 1_200_000,
      turnCostUnknown: false,
      needsSecondConfirm: false,
      allowPrefix: 'npm run build',
      policy: 'no allow rule covers "npm run build"',
    };
    const time = (id: string, withCard: boolean, seq: number) => {
      const parts: unknown[] = [{ kind: 'text', step: 0, text: 'Let me build it first.' }];
      if (withCard) parts.push({ kind: 'toolCall', step: 0, id: `call_${id}`, name: 'run_command', arguments: '{"command":"npm run build && rm -rf dist/tmp"}', state: 'pending', card });
      const t0 = performance.now();
      post({ type: 'upsert', seq, busy: true, message: { id, role: 'assistant', parts, state: 'streaming', deltas: 1, info } });
      window.__drain();
      void document.body.offsetHeight;
      return performance.now() - t0;
    };
    let seq = 2;
    const cardMs: number[] = [];
    const plainMs: number[] = [];
    for (let r = 0; r < runs; r++) {
      cardMs.push(time(`c${r}`, true, seq++));
      plainMs.push(time(`p${r}`, false, seq++));
    }
    return { cardMs, plainMs };
  }, runs);
  await page.close();
  return result;
}
