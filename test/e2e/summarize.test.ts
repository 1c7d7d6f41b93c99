import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { SummaryServer } from '../support/summaryServer';
import { e2e, openChatView, openWorkbench, runCommand, writeMachineSettings } from './context';

suite('Summarize Selection in the real workbench against a loopback model server', () => {
  let page: Page;
  let frame: FrameLocator;
  let server: SummaryServer;

  suiteSetup(async () => {
    server = await SummaryServer.start({ cost: 0.0321 });
    // A long file in the open workspace (a copy made for this run).
    const folder = new URL(e2e().workbenchUrl).searchParams.get('folder')!;
    writeFileSync(join(folder, 'long.ts'), Array.from({ length: 300 }, (_, i) => `export const value${String(i).padStart(4, '0')} = compute(${i}); // line ${i + 1}\n`).join(''));
    writeMachineSettings({
      // Priced so that two lines cost well under the default $0.10 to summarize and the long file well over it.
      'switchboard.models': { summ: { endpoint: server.url, model: 'summ-1', contextTokens: 1500, price: { inputPerMTok: 20, outputPerMTok: 20 } } },
      'switchboard.chains': { chat: ['summ'], summarize: ['summ'] },
      'switchboard.summarize.parallel': 2,
    });
    page = await openWorkbench();
    frame = await openChatView(page);
    // Editors restored from earlier suites (a settings editor holding the focus) must not catch our keys.
    await runCommand(page, 'View: Close All Editors');
  });

  suiteTeardown(async () => {
    writeMachineSettings({});
    await page?.close();
    await server?.close();
  });

  async function openFile(name: string): Promise<void> {
    await page.keyboard.press('Control+P');
    const quick = page.locator('.quick-input-widget input');
    await quick.waitFor({ state: 'visible' });
    await quick.fill(name);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
    await quick.press('Enter');
    await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 10_000 });
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor({ state: 'visible', timeout: 10_000 });
    await editor.click();
    await page.keyboard.press('Control+Home');
  }
  const statusCost = () => page.locator('.statusbar-item[id$="switchboard.cost"]').innerText();
  const lastAnswer = () => frame.locator('[role="log"] [data-role="assistant"]').last();

  test('a selection summarized from the palette streams into the chat view under its title, and the status-bar cost moves', async () => {
    server.options = { cost: 0.0321, delayMs: 200 };
    const before = await statusCost();
    await openFile('fib.ts');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await runCommand(page, 'Switchboard: Summarize Selection');
    await frame.locator('[role="log"] [data-role="user"] .exchange-title', { hasText: 'Summary of fib.ts:1-2' }).waitFor({ timeout: 20_000 });
    const answer = lastAnswer();
    await answer.locator('.body', { hasText: 'summary of lines 1-2' }).waitFor({ timeout: 20_000 });
    await answer.locator('.meta', { hasText: '$0.0321' }).waitFor({ timeout: 20_000 });
    assert.match(await answer.locator('.meta').innerText(), /summ/);
    const [asked] = server.asked;
    assert.equal(asked.model, 'summ-1');
    assert.match(asked.user, /^File: fib\.ts \(typescript\), lines 1-2\./);
    const deadline = Date.now() + 10_000;
    let after = await statusCost();
    while (after === before && Date.now() < deadline) {
      await page.waitForTimeout(100);
      after = await statusCost();
    }
    assert.notEqual(after, before, `the status-bar cost moved from "${before}"`);
    assert.match(after, /\$\d/);
    await page.screenshot({ path: join(e2e().screenshotDir, 'summarize-selection.png') });
  });

  test('a whole file is offered, its estimate above confirmAboveUsd asks first, then it is summarized in parts with "part N of M" in the view and the notification, and Cancel keeps the partial summary', async () => {
    server.reset();
    server.options = { cost: 0.001, delayMs: 400, combinePieces: 200, pieceDelayMs: 50 };
    await openFile('long.ts');
    const start = async () => {
      await runCommand(page, 'Switchboard: Summarize Selection');
      const offer = page.locator('.notification-toast', { hasText: 'nothing is selected' });
      await offer.getByRole('button', { name: 'Summarize Whole File' }).click();
      const dialog = page.locator('.monaco-dialog-box', { hasText: 'Summary of long.ts:1-300?' });
      await dialog.waitFor({ timeout: 10_000 });
      assert.match(await dialog.innerText(), /About [\d,]+ input tokens in \d+ requests to summ, about \$0\.\d+\. That is above switchboard\.summarize\.confirmAboveUsd \(\$0\.1\)\./);
      return dialog;
    };
    await (await start()).getByRole('button', { name: 'Cancel' }).click();
    await page.locator('.monaco-dialog-box').waitFor({ state: 'hidden' });
    assert.equal(server.asked.length, 0, 'declined: nothing was sent');
    await (await start()).getByRole('button', { name: 'Summarize', exact: true }).click();
    await frame.locator('[role="log"] [data-role="user"] .exchange-title', { hasText: 'Summary of long.ts:1-300' }).waitFor({ timeout: 20_000 });
    const answer = lastAnswer();
    await answer.locator('.meta-progress', { hasText: /^part \d+ of \d+$/ }).waitFor({ timeout: 20_000 });
    const toast = page.locator('.notification-toast', { hasText: 'Summary of long.ts:1-300' });
    await toast.filter({ hasText: /part \d+ of \d+/ }).waitFor({ timeout: 20_000 });
    await answer.locator('.body', { hasText: 'Combined summary' }).waitFor({ timeout: 30_000 });
    await toast.getByRole('button', { name: 'Cancel' }).click();
    await answer.and(frame.locator('[data-state="stopped"]')).waitFor({ timeout: 10_000 });
    const kept = await answer.locator('.body').innerText();
    assert.match(kept, /^Combined summary of lines 1-300/);
    assert.ok(kept.length < 'the whole selection, described. '.length * 200, 'the summary stopped part-way and what arrived stayed');
    assert.match(await answer.locator('.meta').innerText(), /stopped/);
    const combine = server.asked.find((a) => a.kind === 'combine')!;
    await Promise.race([combine.record.disconnected, new Promise((_, reject) => setTimeout(() => reject(new Error('the server did not see the cancel')), 5000))]);
    const parts = server.asked.filter((a) => a.kind === 'part');
    assert.ok(parts.length >= 2, `${parts.length} parts`);
    assert.ok(server.maxInFlight <= 2, 'switchboard.summarize.parallel requests at once');
  });
});
