import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import { sse } from '../fixtures/providers/build';
import { streamOf, toolCallStep } from '../support/scriptedStreams';
import { SseServer, type RecordedRequest } from '../support/sseServer';
import { e2e, newChat, openChatView, openWorkbench, runCommand, sendMessage, writeMachineSettings } from './context';

const ANSWER = [
  '## Result',
  '',
  'The function in [fib.ts](fib.ts#L2) loops; see `fib.ts:4` and the [docs](https://example.com/docs). Cost grows as $O(n)$.',
  '',
  '| n | fib(n) |',
  '|--:|-------:|',
  '| 10 | 55 |',
  '| 20 | 6765 |',
  '',
  '```ts',
  '// iterative',
  'export function fib(n: number): number {',
  '  let [a, b] = [0, 1];',
  '  return a + b * 2 + "x".length;',
  '}',
  '```',
  '',
  '- [x] read the file',
  '- [ ] write tests',
].join('\n');

const toolStep = toolCallStep('call_1', 'read_file', { path: 'fib.ts' }, 0);
/** A command the shell parser cannot vouch for: its card waits, marked "Unsure". */
const unsureStep = toolCallStep('call_2', 'run_command', { command: 'frobnicate --all' }, 0);
const textStep = (text: string) => streamOf(
  ...text.match(/[\s\S]{1,9}/g)!.map((content) => ({ choices: [{ index: 0, delta: { content } }] })),
  { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
  { choices: [], usage: { prompt_tokens: 20, completion_tokens: 30, total_tokens: 50, cost: 0.002 } },
);

/** The chat webview's inner frame as a Frame (axe runs in it through the DevTools protocol, which the CSP does not govern). */
async function webviewFrame(page: Page): Promise<Frame> {
  for (let i = 0; i < 100; i++) {
    // Switchboard's own view: other webviews may be open.
    const frame = page.frames().find((f) => (f.url().includes('fake.html') || f.name() === 'active-frame') && !!f.parentFrame()?.url().includes('extensionId=switchboard.switchboard'));
    if (frame && (await frame.locator('body[data-ready="true"]').count())) return frame;
    await page.waitForTimeout(100);
  }
  throw new Error('the chat webview frame was not found');
}

/** Picks a colour theme in the theme picker (rows are matched by their label: the palette's fuzzy order is not). */
async function pickColorTheme(page: Page, theme: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill('>Preferences: Color Theme');
  await page.locator('.quick-input-list .monaco-list-row[aria-label^="Preferences: Color Theme"]').first().click();
  await input.fill(theme);
  await page.locator(`.quick-input-list .monaco-list-row[aria-label*="${theme}"]`).first().click();
  await input.waitFor({ state: 'hidden', timeout: 10_000 });
}

interface Violation { id: string; impact: string; help: string; nodes: string[] }

async function axeViolations(frame: Frame): Promise<Violation[]> {
  if (!(await frame.evaluate('typeof axe !== "undefined"'))) {
    await frame.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  }
  return frame.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[]; failureSummary: string }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
  });
}

suite('answers in the real workbench: markdown, file links, Stop as a command, accessibility in three themes', () => {
  let page: Page;
  let frame: FrameLocator;
  let model: SseServer;
  let loading: SseServer;

  suiteSetup(async () => {
    model = await SseServer.start();
    loading = await SseServer.start();
    loading.setDefault({ status: 503, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"model is loading","code":503}}' });
    writeMachineSettings({
      'switchboard.models': { fast: { endpoint: model.url, model: 'fast-1' }, sleepy: { endpoint: loading.url, model: 'sleepy-1' } },
      'switchboard.chains': { chat: ['sleepy', 'fast'] },
      'switchboard.safety.llmProbe': false,
    });
    page = await openWorkbench();
    frame = await openChatView(page);
  });

  suiteTeardown(async () => {
    // The next suites find an empty conversation, as after their own New Chat.
    if (frame) {
      await frame.getByRole('button', { name: 'New Chat' }).click();
      await frame.locator('[role="log"] [data-role="assistant"]').first().waitFor({ state: 'detached', timeout: 10_000 });
    }
    writeMachineSettings({});
    await page?.close();
    await model?.close();
    await loading?.close();
  });

  const ask = (text: string) => sendMessage(frame, text);

  test('an answer with a tool card, code, a table, links, math and a fallback note, an error, then a pending "Unsure" command card: no serious or critical axe violation in Light, Dark and High Contrast', async () => {
    await frame.getByRole('combobox', { name: 'Model' }).locator('option', { hasText: 'sleepy → fast' }).waitFor({ state: 'attached', timeout: 20_000 });
    // A conversation of its own: what earlier suites left in the view is theirs to check.
    await newChat(frame);
    const initialTheme = (await frame.locator('body').getAttribute('class'))?.includes('vscode-light') ? 'Light Modern' : 'Dark Modern';
    model.respond(toolStep, textStep(ANSWER));
    const answer = await ask('explain fib.ts');
    await answer.getByRole('group', { name: 'Tool call: read_file' }).waitFor({ timeout: 20_000 });
    await answer.locator('.md-code .hljs-keyword', { hasText: 'export' }).waitFor({ timeout: 20_000 });
    await answer.locator('.meta .fallback').waitFor({ timeout: 20_000 });
    await answer.locator('table td', { hasText: '6765' }).waitFor();
    assert.equal(await answer.locator('a.md-file-link').count(), 2);
    assert.equal(await answer.locator('.md-math').innerText(), 'O(n)');
    model.respond({ status: 500, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"upstream exploded"}}' });
    const failed = await ask('and again?');
    await failed.getByRole('alert').waitFor({ timeout: 20_000 });
    model.respond(unsureStep, textStep('Left alone.'));
    const pending = await ask('frobnicate everything');
    const unsureCard = pending.getByRole('group', { name: 'Tool call: run_command' });
    await unsureCard.getByRole('button', { name: 'Reject' }).waitFor({ timeout: 20_000 });
    assert.match(await unsureCard.locator('.tool-call-risk').innerText(), /^Unsure: unknown command: frobnicate/);

    const inner = await webviewFrame(page);
    const report: string[] = [];
    for (const [theme, bodyClass] of [['Light Modern', 'vscode-light'], ['Dark Modern', 'vscode-dark'], ['Dark High Contrast', 'vscode-high-contrast']]) {
      await pickColorTheme(page, theme);
      await frame.locator(`body.${bodyClass}`).waitFor({ state: 'attached', timeout: 20_000 });
      // axe skips what the transcript has scrolled out of sight, so each answer is brought into view in turn.
      const exchanges = frame.locator('[role="log"] [data-role="assistant"]');
      assert.equal(await exchanges.count(), 3);
      for (let i = 0; i < 3; i++) {
        await exchanges.nth(i).evaluate((node) => node.scrollIntoView({ block: 'start' }));
        const violations = (await axeViolations(inner)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
        await page.screenshot({ path: join(e2e().screenshotDir, `answer-${i + 1}-${bodyClass}.png`) });
        for (const v of violations) report.push(`${theme}, answer ${i + 1} in view: ${v.id} (${v.impact}) ${v.help}\n    ${v.nodes.slice(0, 5).join('\n    ')}`);
      }
    }
    await pickColorTheme(page, initialTheme);
    await unsureCard.getByRole('button', { name: 'Reject' }).click();
    await pending.and(frame.locator('[data-state="done"]')).waitFor({ timeout: 20_000 });
    assert.deepEqual(report, [], report.join('\n'));
  });

  test('a workspace file link opens the file at its line; a path outside the workspace is refused', async () => {
    const answer = frame.locator('[role="log"] [data-role="assistant"]', { has: frame.locator('a.md-file-link') }).last();
    await answer.locator('a.md-file-link', { hasText: 'fib.ts' }).first().click();
    await page.locator('.tab.active', { hasText: 'fib.ts' }).waitFor({ timeout: 20_000 });
    await page.locator('.statusbar-item', { hasText: 'Ln 2, Col 1' }).waitFor({ timeout: 20_000 });

    writeMachineSettings({ 'switchboard.models': { fast: { endpoint: model.url, model: 'fast-1' } }, 'switchboard.chains': { chat: ['fast'] }, 'switchboard.safety.llmProbe': false });
    await frame.getByRole('combobox', { name: 'Model' }).locator('option', { hasText: 'Chat chain (fast)' }).waitFor({ state: 'attached', timeout: 20_000 });
    model.respond(textStep('Look at [the secret](../../outside/secret.txt#L1).'));
    const outside = await ask('where is the secret?');
    await outside.locator('a.md-file-link', { hasText: 'the secret' }).click();
    // Toasts may be hidden (VS Code 1.139 under its test driver): the Notifications Center always lists it.
    await runCommand(page, 'Notifications: Show Notifications');
    await page.locator('.notifications-center .notification-list-item', { hasText: 'is not a file in this workspace' }).first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('.tab', { hasText: 'secret.txt' }).count(), 0, 'nothing outside the workspace was opened');
    // Later suites expect the workbench as they found it: no editor open.
    await runCommand(page, 'View: Close All Editors');
    await page.locator('.tab', { hasText: 'fib.ts' }).waitFor({ state: 'detached', timeout: 10_000 });
  });

  test('Switchboard: Stop Answer stops an answer whose 100 KB unbroken line keeps the view busy', async () => {
    let request: RecordedRequest | undefined;
    const blob = 'QUJD'.repeat(25_000);
    model.respond((req) => {
      request = req;
      return { status: 200, headers: { 'content-type': 'text/event-stream' }, body: [{ write: sse(...blob.match(/[\s\S]{1,50}/g)!.map((content) => ({ choices: [{ index: 0, delta: { content } }] }))) }, { stall: true }] };
    });
    const answer = await ask('print the blob');
    await answer.locator('.body', { hasText: 'QUJDQUJD' }).waitFor({ timeout: 20_000 });
    await runCommand(page, 'Switchboard: Stop Answer');
    await answer.and(frame.locator('[data-state="stopped"]')).waitFor({ timeout: 20_000 });
    assert.ok(request, 'the server saw the request');
    await Promise.race([request.disconnected, new Promise((_, reject) => setTimeout(() => reject(new Error('the server did not see the disconnect')), 10_000))]);
    const kept = (await answer.locator('.body').innerText()).replace(/\s/g, '');
    assert.ok(kept.length > 0 && blob.startsWith(kept), 'what arrived is kept, every character in place');
  });
});
