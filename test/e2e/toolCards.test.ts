import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { SseServer, type RecordedRequest } from '../support/sseServer';
import { textAnswer, toolCallStep } from '../support/scriptedStreams';
import { chatFrame, e2e, newChat, openChatView, openWorkbench, writeMachineSettings } from './context';

/** A step that calls one tool, costing `cost` dollars. */
const toolStep = (id: string, name: string, args: object, cost = 0.001) => toolCallStep(id, name, args, cost);
const answer = (text: string) => textAnswer(text, 0.0005);
/** The `tool` message a request carried back to the model. */
const toolResult = (req: RecordedRequest | undefined) => {
  const msgs = req?.json<{ messages: { role: string; content: string }[] }>().messages ?? [];
  return msgs.filter((m) => m.role === 'tool').map((m) => m.content).join('\n');
};

suite('tool-call cards in the real workbench: the model proposes, the user decides', () => {
  let page: Page;
  let frame: FrameLocator;
  let model: SseServer;
  let workspace: string;

  const settings = (extra: Record<string, unknown> = {}) => writeMachineSettings({
    'switchboard.models': { fast: { endpoint: model.url, model: 'fast-1' } },
    'switchboard.chains': { chat: ['fast'] },
    'switchboard.safety.llmProbe': false,
    ...extra,
  });

  suiteSetup(async () => {
    model = await SseServer.start();
    workspace = new URL(e2e().workbenchUrl).searchParams.get('folder')!;
    settings();
    page = await openWorkbench();
    frame = await openChatView(page);
  });

  suiteTeardown(async () => {
    writeMachineSettings({});
    await page?.close();
    await model?.close();
  });

  async function ask(text: string): Promise<Locator> {
    await newChat(frame);
    const box = frame.getByRole('textbox', { name: 'Message' });
    await box.fill(text);
    await box.press('Enter');
    return frame.locator('[role="log"] [data-role="assistant"]').last();
  }
  const card = (answer: Locator, tool: string) => answer.getByRole('group', { name: `Tool call: ${tool}` });

  test('a read-only call is auto-approved, shows as such, and the answer continues with the file\'s content', async () => {
    const before = model.requests.length;
    model.respond(toolStep('call_r1', 'read_file', { path: 'fib.ts', startLine: 1, endLine: 3 }), answer('It computes Fibonacci numbers.'));
    const a = await ask('what is in fib.ts?');
    const c = card(a, 'read_file');
    await c.waitFor({ timeout: 20_000 });
    await a.and(frame.locator('[data-state="done"]')).waitFor({ timeout: 20_000 });
    assert.match(await c.innerText(), /auto-approved: read-only tool "read_file"/);
    assert.match(await c.innerText(), /Read fib\.ts, lines 1-3/);
    assert.match(await a.innerText(), /It computes Fibonacci numbers\./);
    assert.match(toolResult(model.requests[before + 1]), /export function fib/);
    await page.screenshot({ path: join(e2e().screenshotDir, 'tool-card-read.png') });
  });

  test('a command asks; Approve runs it, its output shows on the card, and the model gets it', async () => {
    const before = model.requests.length;
    model.respond(toolStep('call_c1', 'run_command', { command: 'echo tools-are-live' }), answer('The command printed it.'));
    const a = await ask('run echo');
    const c = card(a, 'run_command');
    await c.getByRole('button', { name: 'Approve' }).waitFor({ timeout: 20_000 });
    assert.notEqual(await c.getAttribute('data-risk'), 'destructive');
    assert.match(await c.innerText(), /This answer so far: \$0\.001/);
    await c.getByRole('button', { name: 'Approve' }).click();
    await a.and(frame.locator('[data-state="done"]')).waitFor({ timeout: 20_000 });
    assert.match(await c.locator('.tool-call-output').innerText(), /tools-are-live/);
    assert.match(await c.innerText(), /approved by you; exit code 0/);
    assert.match(toolResult(model.requests[before + 1]), /tools-are-live/);
  });

  test('Reject sends the refusal with the user\'s reason to the model, and nothing runs', async () => {
    const marker = join(workspace, 'rejected-marker.txt');
    const before = model.requests.length;
    model.respond(toolStep('call_c2', 'run_command', { command: `touch ${marker}` }), answer('Understood.'));
    const a = await ask('touch a file');
    const c = card(a, 'run_command');
    await c.getByRole('button', { name: 'Reject' }).waitFor({ timeout: 20_000 });
    await c.getByRole('textbox', { name: /Reason for rejecting/ }).fill('not in this folder');
    await c.getByRole('button', { name: 'Reject' }).click();
    await a.and(frame.locator('[data-state="done"]')).waitFor({ timeout: 20_000 });
    assert.match(toolResult(model.requests[before + 1]), /rejected this tool call, saying: not in this folder/);
    assert.equal(existsSync(marker), false, 'the command did not run');
    assert.match(await c.innerText(), /rejected: not in this folder/);
  });

  test('a destructive command shows the red card with the reason in words and needs a second confirmation', async () => {
    const target = join(workspace, 'build-output');
    mkdirSync(join(target, 'nested'), { recursive: true });
    model.respond(toolStep('call_d1', 'run_command', { command: 'rm -rf build-output' }), answer('Removed.'));
    const a = await ask('clean the build');
    const c = card(a, 'run_command');
    await c.getByRole('button', { name: 'Approve' }).waitFor({ timeout: 20_000 });
    assert.equal(await c.getAttribute('data-risk'), 'destructive');
    assert.match(await c.locator('.tool-call-risk').innerText(), /Destructive: .*(recursive|delet)/i);
    await page.screenshot({ path: join(e2e().screenshotDir, 'tool-card-destructive.png') });
    await c.getByRole('button', { name: 'Approve' }).click();
    const confirm = c.getByRole('button', { name: 'Run Anyway' });
    await confirm.waitFor({ timeout: 10_000 });
    assert.ok(existsSync(target), 'one click is not enough: nothing ran yet');
    assert.match(await c.innerText(), /Run it anyway\?/);
    await confirm.click();
    await a.and(frame.locator('[data-state="done"]')).waitFor({ timeout: 20_000 });
    assert.equal(existsSync(target), false, 'after the second confirmation the command ran');
    assert.match(await c.innerText(), /approved by you after a second confirmation/);
  });

  test('once the answer\'s cost passes the auto-approval budget, even a read-only call asks', async () => {
    // The step before the call cost $0.60: over the default budget of $0.50 per answer.
    model.respond(toolStep('call_b1', 'read_file', { path: 'fib.ts' }, 0.6), answer('Read it.'));
    const a = await ask('read fib.ts again');
    const c = card(a, 'read_file');
    await c.getByRole('button', { name: 'Approve' }).waitFor({ timeout: 20_000 });
    assert.match(await c.innerText(), /auto-approval paused: this turn has cost \$0\.60, over the \$0\.50 budget/);
    await c.getByRole('button', { name: 'Approve' }).click();
    await a.and(frame.locator('[data-state="done"]')).waitFor({ timeout: 20_000 });
  });

  test('an edit shows its diff; approved, it lands in the file through the editor', async () => {
    const file = join(workspace, 'fib.ts');
    const original = readFileSync(file, 'utf8');
    model.respond(toolStep('call_e1', 'edit_file', { path: 'fib.ts', oldText: 'iteratively in O(n)', newText: 'iteratively, in linear time' }), answer('Edited.'));
    const a = await ask('reword the comment');
    const c = card(a, 'edit_file');
    await c.getByRole('button', { name: 'Approve' }).waitFor({ timeout: 20_000 });
    const diff = await c.getByLabel('Proposed change').innerText();
    assert.match(diff, /^-.*iteratively in O\(n\)/m);
    assert.match(diff, /^\+.*iteratively, in linear time/m);
    await c.getByRole('button', { name: 'Approve' }).click();
    await a.and(frame.locator('[data-state="done"]')).waitFor({ timeout: 20_000 });
    assert.equal(readFileSync(file, 'utf8'), original.replace('iteratively in O(n)', 'iteratively, in linear time'));
  });

  test('a pending card survives hiding the view: shown again, it still waits, and Approve still works', async () => {
    model.respond(toolStep('call_h1', 'run_command', { command: 'echo still-here' }), answer('Done.'));
    const a = await ask('run it after a look around');
    await card(a, 'run_command').getByRole('button', { name: 'Approve' }).waitFor({ timeout: 20_000 });
    await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').click();
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 10_000 });
    frame = await openChatView(page);
    const again = card(frame.locator('[role="log"] [data-role="assistant"]').last(), 'run_command');
    await again.getByRole('button', { name: 'Approve' }).click({ timeout: 20_000 });
    await frame.locator('[role="log"] [data-role="assistant"][data-state="done"]').last().waitFor({ timeout: 20_000 });
    assert.match(await again.locator('.tool-call-output').innerText(), /still-here/);
  });

  test('a card pending when the window reloads comes back as not run, without buttons, and nothing ran', async () => {
    const marker = join(workspace, 'reload-marker.txt');
    model.respond(toolStep('call_l1', 'run_command', { command: `touch ${marker}` }), answer('never asked'));
    const a = await ask('touch after reload');
    await card(a, 'run_command').getByRole('button', { name: 'Approve' }).waitFor({ timeout: 20_000 });
    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    frame = chatFrame(page);
    const c = card(frame.locator('[role="log"] [data-role="assistant"]').last(), 'run_command');
    await c.waitFor({ timeout: 30_000 });
    assert.match(await c.innerText(), /not run: the window closed before a decision/);
    assert.equal(await c.getByRole('button', { name: 'Approve' }).count(), 0);
    assert.equal(existsSync(marker), false);
    model.reset();
  });
});
