import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { chatFrame, e2e, openChatView, openWorkbench, runCommand } from './context';

suite('the Switchboard UI in a real workbench', () => {
  let page: Page;

  suiteSetup(async () => {
    page = await openWorkbench();
  });

  suiteTeardown(async () => {
    await page?.close();
  });

  test('the activity-bar container opens the Chat view; after the handshake, New Chat shows an empty conversation', async () => {
    // openChatView waits for the marker the webview sets only once the host's snapshot arrived.
    const frame = await openChatView(page);
    await frame.getByRole('textbox', { name: 'Message' }).waitFor({ state: 'visible' });
    await frame.getByRole('button', { name: 'New Chat' }).click();
    await frame.locator('[data-testid="empty-conversation"]').waitFor({ state: 'visible', timeout: 10_000 });
    await page.screenshot({ path: join(e2e().screenshotDir, 'chat-view.png') });
  });

  test('"Switchboard: Open Chat" from the command palette shows the view and focuses the message box', async () => {
    // Move away first so the command has something to do.
    await runCommand(page, 'View: Show Explorer');
    await page.locator('.sidebar .composite.title', { hasText: 'Explorer' }).waitFor({ state: 'visible', timeout: 10_000 });
    await runCommand(page, 'Switchboard: Open Chat');
    const message = chatFrame(page).getByRole('textbox', { name: 'Message' });
    await message.waitFor({ state: 'visible', timeout: 20_000 });
    const deadline = Date.now() + 10_000;
    let focused = false;
    while (!focused && Date.now() < deadline) {
      focused = await message.evaluate((el) => el === el.ownerDocument.activeElement && el.ownerDocument.hasFocus());
      if (!focused) await page.waitForTimeout(100);
    }
    assert.ok(focused, 'the message box has keyboard focus after Open Chat');
  });

  test('the cost item sits in the status bar with a dollar amount and opens the usage breakdown', async () => {
    const item = page.locator('.statusbar-item[id$="switchboard.cost"]');
    await item.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await item.innerText(), /\$\d+\.\d{2}|unknown|tok/);
    await item.locator('a, .statusbar-item-label').first().click();
    // Show Usage opens a markdown preview of the breakdown.
    await page.locator('.tab', { hasText: 'Switchboard Usage' }).first().waitFor({ state: 'visible', timeout: 20_000 });
  });
});
