import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { SseServer } from '../support/sseServer';
import { streamOf, textAnswer } from '../support/scriptedStreams';
import { askAndWait, e2e, newChat, openChatView, openWorkbench, writeMachineSettings } from './context';


suite('long conversations and subtasks in the real workbench', () => {
  let page: Page;
  let frame: FrameLocator;
  let main: SseServer;
  let cheap: SseServer;
  let strong: SseServer;

  suiteSetup(async () => {
    main = await SseServer.start();
    cheap = await SseServer.start();
    strong = await SseServer.start();
    main.setDefault(textAnswer('Noted.', 0.001));
    cheap.setDefault(textAnswer('TASK: answer questions. FILES: fib.ts. PENDING: none.', 0.0003));
    strong.setDefault(streamOf(
      { choices: [{ index: 0, delta: { content: 'Subtask says: **fib is iterative**.' } }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { choices: [], usage: { prompt_tokens: 80, completion_tokens: 12, total_tokens: 92, cost: 0.0042 } },
    ));
    writeMachineSettings({
      'switchboard.models': { main: { endpoint: main.url, model: 'm' }, cheap: { endpoint: cheap.url, model: 'c' }, strong: { endpoint: strong.url, model: 's' } },
      'switchboard.chains': { chat: ['main'], cheap: ['cheap'], strong: ['strong'] },
      'switchboard.purposes': { memory_summarize: 'cheap', delegate: 'strong' },
      'switchboard.safety.llmProbe': false,
    });
    page = await openWorkbench();
    frame = await openChatView(page);
  });

  suiteTeardown(async () => {
    writeMachineSettings({});
    await page?.close();
    await Promise.all([main?.close(), cheap?.close(), strong?.close()]);
  });

  const ask = (text: string) => askAndWait(frame, text);

  test('Compact shows a card with tokens before and after, the model and the cost; Undo sends the full history again', async () => {
    await newChat(frame);
    for (let i = 0; i < 5; i++) await ask(`Question number ${i}: ${'here is a long description of what I need. '.repeat(12)}`);
    // The view's title bar has the button (the command palette has it too).
    await page.getByRole('button', { name: 'Compact Conversation' }).click();
    const card = frame.getByRole('group', { name: 'Compaction' });
    await card.and(frame.locator('[data-state="done"]')).waitFor({ timeout: 20_000 });
    const text = await card.innerText();
    assert.match(text, /Compacted \d+ earlier messages: [\d,]+ → [\d,]+ tokens · cheap · \$0\.0003/);
    await card.locator('summary', { hasText: 'Summary' }).click();
    assert.match(await card.innerText(), /TASK: answer questions/);
    await page.screenshot({ path: join(e2e().screenshotDir, 'compaction-card.png') });
    await ask('after compaction');
    assert.match(JSON.stringify(main.requests.at(-1)!.json()), /Summary of the earlier part/);
    await card.getByRole('button', { name: 'Undo' }).click();
    await card.and(frame.locator('[data-state="undone"]')).waitFor({ timeout: 10_000 });
    await ask('after undo');
    const sent = JSON.stringify(main.requests.at(-1)!.json());
    assert.doesNotMatch(sent, /Summary of the earlier part/);
    assert.match(sent, /Question number 1/);
  });

  test('a delegated task asks first, streams its answer into a nested part of its card, and the parent\'s info line shows its cost', async () => {
    await newChat(frame);
    main.respond(streamOf(
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'd1', type: 'function', function: { name: 'delegate_task', arguments: '{"task":"Find out how fib is computed"}' } }] } }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      { choices: [], usage: { prompt_tokens: 30, completion_tokens: 10, total_tokens: 40, cost: 0.001 } },
    ), textAnswer('Per the subtask, fib is iterative.', 0.001));
    const box = frame.getByRole('textbox', { name: 'Message' });
    await box.fill('delegate the research');
    await box.press('Enter');
    const a = frame.locator('[role="log"] [data-role="assistant"]').last();
    const card = a.getByRole('group', { name: 'Tool call: delegate_task' });
    await card.getByRole('button', { name: 'Approve' }).waitFor({ timeout: 20_000 });
    assert.match(await card.innerText(), /Runs on the "strong" chain, with a budget of \$0\.25/);
    assert.match(await card.innerText(), /Find out how fib is computed/);
    await card.getByRole('button', { name: 'Approve' }).click();
    await a.and(frame.locator('[data-state="done"]')).waitFor({ timeout: 20_000 });
    const nested = card.getByLabel('Subtask answer');
    assert.match(await nested.innerText(), /Subtask says: fib is iterative/);
    assert.equal(await nested.locator('strong', { hasText: 'fib is iterative' }).count(), 1, 'rendered as markdown');
    assert.match(await a.locator('.meta').last().innerText(), /\+ 1 subtask: \$0\.0042/);
    await page.screenshot({ path: join(e2e().screenshotDir, 'delegated-task.png') });
  });
});
