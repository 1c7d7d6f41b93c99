import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { SseServer } from '../support/sseServer';
import { DONE, sse } from '../fixtures/providers/build';
import { recordFromUsage, serializeRecord } from '../../src/usage/record';
import { e2e, newChat, openChatView, openWorkbench, runCommand, writeMachineSettings } from './context';

/** The usage log of the installed extension in the running code-server (global storage on the server). */
function usageLogPath(): string {
  return join(e2e().userDataDir, 'User', 'globalStorage', 'switchboard.switchboard', 'usage.jsonl');
}

/** `n` records of today, from other windows, costing $0.0001 each. */
function writeHistory(n: number): void {
  const now = Date.now();
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = recordFromUsage(
      { promptTokens: 100, completionTokens: 10, totalTokens: 110, cost: 0.0001, costSource: 'provider', modelId: 'mini', model: 'openai/gpt-4o-mini', category: i % 2 ? 'chat' : 'delegate' },
      { time: now - (i % 1000), sessionId: `earlier-${i % 4}`, id: `hist-${i}` },
    );
    lines.push(`${serializeRecord(r)}\n`);
  }
  mkdirSync(dirname(usageLogPath()), { recursive: true });
  writeFileSync(usageLogPath(), lines.join(''));
}

suite('the usage log in the real workbench', () => {
  let page: Page | undefined;
  let model: SseServer | undefined;

  // Each test starts from its own log and settings; its page stays open until the next one (a failure's
  // screenshot is taken after the test's own teardown).
  setup(async () => {
    await page?.close();
    page = undefined;
    await model?.close();
    model = undefined;
    writeMachineSettings({});
    rmSync(usageLogPath(), { recursive: true, force: true });
  });

  suiteTeardown(async () => {
    await page?.close();
    await model?.close();
    writeMachineSettings({});
    rmSync(usageLogPath(), { recursive: true, force: true });
  });

  test('with 100,000 records in the log the workbench opens, and the status bar fills in with their total', async () => {
    writeHistory(100_000);
    const opened = Date.now();
    page = await openWorkbench();
    // Today's cost: 100,000 × $0.0001.
    const item = page.locator('.statusbar-item', { hasText: '$10.00' });
    await item.waitFor({ state: 'visible', timeout: 60_000 });
    console.log(`      the total showed ${Date.now() - opened} ms after the workbench was opened (a measurement, not a target)`);
    await item.hover();
    const tooltip = page.locator('.monaco-hover, .workbench-hover', { hasText: 'Usage today' }).first();
    await tooltip.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await tooltip.innerText(), /100,000 requests/);
  });

  test('a usage log that cannot be written is told once in a notification, however many answers follow', async () => {
    model = await SseServer.start();
    model.setDefault({
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      body: sse({ choices: [{ index: 0, delta: { content: 'ok' } }] }, { choices: [], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4, cost: 0.001 } }, DONE),
    });
    writeMachineSettings({
      'switchboard.models': { m1: { endpoint: model.url, model: 'm-1' } },
      'switchboard.chains': { chat: ['m1'], summarize: ['m1'], probe: ['m1'] },
    });
    // A folder where the log should be: no append can succeed.
    rmSync(usageLogPath(), { recursive: true, force: true });
    mkdirSync(usageLogPath(), { recursive: true });
    page = await openWorkbench();
    const frame = await openChatView(page);
    // Conversations persist across windows: start from an empty one so the answers counted are this test's.
    await newChat(frame);
    const box = frame.getByRole('textbox', { name: 'Message' });
    for (let i = 1; i <= 3; i++) {
      await box.fill(`question ${i}`);
      await box.press('Enter');
      await frame.locator('[role="log"] [data-role="assistant"] .meta', { hasText: '$0.001 ' }).nth(i - 1).waitFor({ timeout: 20_000 });
    }
    // The usage still counts in this window: three answers at $0.001.
    await page.locator('.statusbar-item', { hasText: '$0.003' }).waitFor({ state: 'visible', timeout: 20_000 });
    await runCommand(page, 'Notifications: Show Notifications');
    const center = page.locator('.notifications-center');
    await center.waitFor({ state: 'visible', timeout: 10_000 });
    const notices = center.locator('.notification-list-item', { hasText: 'usage cannot be saved' });
    await notices.first().waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await notices.count(), 1, 'told once, not once per answer');
    await page.screenshot({ path: join(e2e().screenshotDir, 'usage-write-failure.png') });
  });
});
