import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { SseServer, type RecordedRequest, type ScriptedResponse } from '../support/sseServer';
import { DONE, sse } from '../fixtures/providers/build';
import { chatFrame, e2e, openChatView, openWorkbench, writeMachineSettings } from './context';

const chunk = (content: string) => ({ choices: [{ index: 0, delta: { content } }] });
const ANSWER = '## Plan\n\n1. Read the **file**\n2. Fix the bug\n\n```ts\nconst x = 1;\n```\n\nDone.';
const finished = (cost: number) => sse(
  { choices: [{ index: 0, delta: { reasoning_content: 'Considering the bug first.' } }] },
  ...ANSWER.match(/[\s\S]{1,7}/g)!.map(chunk),
  { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
  { choices: [], usage: { prompt_tokens: 20, completion_tokens: 30, total_tokens: 50, cost } },
  DONE,
);

suite('chat in the real workbench against loopback model servers', () => {
  let page: Page;
  let frame: FrameLocator;
  let model: SseServer;
  let loading: SseServer;
  let script: (req: RecordedRequest) => ScriptedResponse;

  suiteSetup(async () => {
    model = await SseServer.start();
    model.setDefault((req) => script(req));
    loading = await SseServer.start();
    loading.setDefault({ status: 503, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"model is loading","code":503}}' });
    writeMachineSettings({
      'switchboard.models': { fast: { endpoint: model.url, model: 'fast-1' }, sleepy: { endpoint: loading.url, model: 'sleepy-1' } },
      'switchboard.chains': { chat: ['fast'], summarize: ['fast'], probe: ['fast'] },
    });
    page = await openWorkbench();
    frame = await openChatView(page);
  });

  suiteTeardown(async () => {
    writeMachineSettings({});
    await page?.close();
    await model?.close();
    await loading?.close();
  });

  async function ask(text: string): Promise<void> {
    const box = frame.getByRole('textbox', { name: 'Message' });
    await box.fill(text);
    await box.press('Enter');
  }
  const lastAnswer = () => frame.locator('[role="log"] [data-role="assistant"]').last();

  test('a streamed answer appears with its markdown, the model that answered and its cost, and moves the status bar', async () => {
    script = () => ({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: finished(0.0123), chunking: 'bytes', pieceDelayMs: 1 });
    await ask('plan the fix');
    await frame.locator('[role="log"] [data-role="user"]', { hasText: 'plan the fix' }).waitFor();
    const answer = lastAnswer();
    await answer.locator('h2', { hasText: 'Plan' }).waitFor({ timeout: 20_000 });
    await answer.locator('.meta', { hasText: '$0.0123' }).waitFor({ timeout: 20_000 });
    assert.equal(await answer.getAttribute('aria-busy'), null, 'the answer is no longer busy');
    assert.match(await answer.locator('.meta').innerText(), /fast/);
    assert.equal(await answer.locator('ol li').count(), 2);
    assert.equal(await answer.locator('strong', { hasText: 'file' }).count(), 1);
    const thinking = answer.locator('details.thinking');
    assert.equal(await thinking.locator('summary').innerText(), 'Thinking');
    assert.equal(await thinking.evaluate((d) => d.hasAttribute('open')), false, 'reasoning is collapsed');
    assert.equal(await thinking.locator('.reasoning').textContent(), 'Considering the bug first.');
    await answer.getByRole('button', { name: 'Copy' }).waitFor();
    await answer.getByRole('button', { name: 'Insert at Cursor' }).waitFor();
    const cost = page.locator('.statusbar-item', { hasText: '$0.0123' });
    await cost.waitFor({ state: 'visible', timeout: 10_000 });
    await page.screenshot({ path: join(e2e().screenshotDir, 'chat-answer.png') });
  });

  test('Stop ends the request mid-stream at once and keeps the partial answer, marked stopped', async () => {
    let request: RecordedRequest | undefined;
    script = (req) => {
      request = req;
      return { status: 200, headers: { 'content-type': 'text/event-stream' }, body: [{ write: sse(chunk('Partial answer ')) }, { stall: true }] };
    };
    await ask('a long one please');
    const answer = lastAnswer();
    await answer.locator('.body', { hasText: 'Partial answer' }).waitFor({ timeout: 20_000 });
    await frame.getByRole('button', { name: 'Stop' }).click();
    await answer.and(frame.locator('[data-state="stopped"]')).waitFor({ timeout: 10_000 });
    assert.match(await answer.locator('.body').innerText(), /Partial answer/);
    assert.match(await answer.locator('.meta').innerText(), /stopped/);
    assert.ok(request, 'the server saw the request');
    await Promise.race([request.disconnected, new Promise((_, reject) => setTimeout(() => reject(new Error('the server did not see the disconnect')), 5000))]);
  });

  test('Escape in the view stops a streaming answer too (keyboard only)', async () => {
    script = () => ({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: [{ write: sse(chunk('Escapable ')) }, { stall: true }] });
    await ask('stop me with the keyboard');
    const answer = lastAnswer();
    await answer.locator('.body', { hasText: 'Escapable' }).waitFor({ timeout: 20_000 });
    await frame.getByRole('textbox', { name: 'Message' }).press('Escape');
    await answer.and(frame.locator('[data-state="stopped"]')).waitFor({ timeout: 10_000 });
  });

  test('when the first model answers 503 the next one answers, with a fallback note', async () => {
    writeMachineSettings({
      'switchboard.models': { fast: { endpoint: model.url, model: 'fast-1' }, sleepy: { endpoint: loading.url, model: 'sleepy-1' } },
      'switchboard.chains': { chat: ['sleepy', 'fast'], summarize: ['fast'], probe: ['fast'] },
    });
    await frame.getByRole('combobox', { name: 'Model' }).locator('option', { hasText: 'sleepy → fast' }).waitFor({ state: 'attached', timeout: 20_000 });
    script = () => ({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: finished(0.001) });
    await ask('try the chain');
    const note = lastAnswer().locator('.meta .fallback');
    await note.waitFor({ timeout: 20_000 });
    assert.match(await note.innerText(), /answered by fast after sleepy failed: .*model is loading/);
  });

  test('an error renders inline as an alert with its kind and an action, not a raw dump', async () => {
    writeMachineSettings({
      'switchboard.models': { fast: { endpoint: model.url, model: 'fast-1' } },
      'switchboard.chains': { chat: ['fast'], summarize: ['fast'], probe: ['fast'] },
    });
    await frame.getByRole('combobox', { name: 'Model' }).locator('option', { hasText: 'Chat chain (fast)' }).waitFor({ state: 'attached', timeout: 20_000 });
    script = () => ({ status: 401, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}' });
    await ask('will this work?');
    const alert = lastAnswer().getByRole('alert');
    await alert.waitFor({ timeout: 20_000 });
    const text = await alert.innerText();
    assert.match(text, /http error/);
    assert.match(text, /Incorrect API key provided/);
    assert.doesNotMatch(text, /[{}]/, 'no JSON in the message');
    await alert.getByRole('button', { name: 'Show Log' }).waitFor();
  });

  test('the conversation and the unsent draft are back after reloading the window', async () => {
    await frame.getByRole('textbox', { name: 'Message' }).fill('an unsent draft');
    // The host confirms it stored this very draft: no guess at how long saving takes.
    await frame.locator('form.composer[data-draft-saved="true"]').waitFor({ state: 'attached', timeout: 10_000 });
    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    frame = chatFrame(page);
    await frame.locator('[role="log"] [data-role="user"]', { hasText: 'plan the fix' }).waitFor({ timeout: 30_000 });
    await frame.locator('[role="log"] [data-role="assistant"] h2', { hasText: 'Plan' }).first().waitFor();
    await frame.locator('[role="log"] [data-role="assistant"][data-state="stopped"]', { hasText: 'Partial answer' }).waitFor();
    assert.equal(await frame.getByRole('textbox', { name: 'Message' }).inputValue(), 'an unsent draft');
  });
});
