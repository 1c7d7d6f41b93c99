import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { DONE, sse } from '../fixtures/providers/build';
import { SseServer } from '../support/sseServer';
import { e2e, newChat, openChatView, openWorkbench, runCommand, writeMachineSettings } from './context';

const ok = () => ({
  status: 200,
  headers: { 'content-type': 'text/event-stream' },
  body: sse({ choices: [{ index: 0, delta: { content: 'fine' } }] }, { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }, DONE),
});

suite('a stored API key stays with the endpoint origin it was stored for', () => {
  let page: Page;
  let first: SseServer;
  let moved: SseServer;

  suiteSetup(async () => {
    first = await SseServer.start();
    first.setDefault(ok());
    moved = await SseServer.start();
    moved.setDefault(ok());
    writeMachineSettings({ 'switchboard.models': { keyed: { endpoint: first.url, model: 'k' } }, 'switchboard.chains': { chat: ['keyed'] } });
    page = await openWorkbench();
  });

  suiteTeardown(async () => {
    writeMachineSettings({});
    await page?.close();
    await first?.close();
    await moved?.close();
  });

  test('after the endpoint moves to another origin, the key is withheld and the user is asked once to send it there', async () => {
    const frame = await openChatView(page);
    await newChat(frame);
    await runCommand(page, 'Switchboard: Set API Key...');
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'keyed' }).first().waitFor({ timeout: 10_000 });
    await input.fill('keyed');
    await input.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'API key for "keyed"' }).waitFor({ timeout: 10_000 });
    await input.fill('sk-e2e-origin-key');
    await input.press('Enter');
    await page.locator('.notification-toast', { hasText: 'the key for "keyed" is stored' }).waitFor({ timeout: 10_000 });

    writeMachineSettings({ 'switchboard.models': { keyed: { endpoint: moved.url, model: 'k' } }, 'switchboard.chains': { chat: ['keyed'] } });
    const origin = new URL(moved.url).origin;
    const prompt = page.locator('.notification-toast', { hasText: `Send its stored API key to ${origin}?` });
    await prompt.waitFor({ timeout: 20_000 });
    assert.match(await prompt.innerText(), new RegExp(`changed from ${new URL(first.url).origin.replace(/[.]/g, '\\.')} to`));
    await page.screenshot({ path: `${e2e().screenshotDir}/key-origin-prompt.png` });

    // Until confirmed, a request to the new origin goes without the key: it fails as a config error, sending nothing.
    const box = frame.getByRole('textbox', { name: 'Message' });
    await box.fill('before confirming');
    await box.press('Enter');
    await frame.locator('[data-role="assistant"] [role="alert"]', { hasText: 'not sent there until you confirm' }).waitFor({ timeout: 20_000 });
    assert.equal(moved.requests.length, 0, 'nothing reached the new origin');

    await prompt.getByRole('button', { name: `Send Key to ${origin}` }).click();
    await prompt.waitFor({ state: 'hidden', timeout: 10_000 });
    await box.fill('after confirming');
    await box.press('Enter');
    await frame.locator('[data-role="assistant"][data-state="done"]', { hasText: 'fine' }).waitFor({ timeout: 20_000 });
    assert.equal(moved.requests.at(-1)?.headers.authorization, 'Bearer sk-e2e-origin-key');
  });
});
