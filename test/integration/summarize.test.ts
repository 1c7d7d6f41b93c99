import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SwitchboardApi } from '../../src/extension';
import { answerText, type AssistantMessage } from '../../src/protocol/transcript';
import type { UsageRecord } from '../../src/usage/record';
import { DEFAULT_QUESTIONS } from '../../src/vscode/summarizeCommand';
import { SummaryServer } from '../support/summaryServer';
import { activateSwitchboard, until } from './support';

const config = () => vscode.workspace.getConfiguration('switchboard');
const G = vscode.ConfigurationTarget.Global;

suite('Summarize Selection in the real extension host, against a recording loopback server', () => {
  let api: SwitchboardApi;
  let server: SummaryServer;
  let chatServer: SummaryServer;
  let longFile: vscode.Uri;
  const asked: { wholeFile: string[]; confirm: string[] } = { wholeFile: [], confirm: [] };
  let confirmAnswer = true;

  suiteSetup(async () => {
    api = await activateSwitchboard();
    server = await SummaryServer.start({ delayMs: 20, cost: 0.001 });
    chatServer = await SummaryServer.start();
    await config().update('models', {
      cheap: { endpoint: server.url, model: 'cheap-1', contextTokens: 1500 },
      talker: { endpoint: chatServer.url, model: 'talker-1' },
    }, G);
    await config().update('chains', { chat: ['talker'], cheap: ['cheap'] }, G);
    await config().update('purposes', { summarize: 'cheap' }, G);
    await config().update('summarize.parallel', 3, G);
    await until('the settings', () => api.settings.settings.purposes.summarize === 'cheap' && api.settings.settings.summarize.parallel === 3);
    api.summarize.questions = {
      wholeFile: async (file) => (asked.wholeFile.push(file), true),
      confirmCost: async (title, detail) => (asked.confirm.push(`${title}: ${detail}`), confirmAnswer),
    };
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-summarize-'));
    longFile = vscode.Uri.file(join(dir, 'long.ts'));
    writeFileSync(longFile.fsPath, Array.from({ length: 800 }, (_, i) => `export const value${String(i).padStart(4, '0')} = compute(${i}); // line ${i + 1}\n`).join(''));
  });

  suiteTeardown(async () => {
    api.summarize.questions = DEFAULT_QUESTIONS;
    for (const key of ['models', 'chains', 'purposes', 'summarize.parallel', 'summarize.confirmAboveUsd']) await config().update(key, undefined, G);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await server?.close();
    await chatServer?.close();
  });

  setup(async () => {
    server.reset();
    chatServer.reset();
    server.options = { delayMs: 20, cost: 0.001 };
    asked.wholeFile.length = 0;
    asked.confirm.length = 0;
    confirmAnswer = true;
    await api.session.newChat();
    await vscode.commands.executeCommand('switchboard.resetUsage', { confirmed: true });
  });

  /** The ledger's records once there are `count` (the write is asynchronous: append, then read back). */
  async function ledgerRecords(count: number): Promise<UsageRecord[]> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const out: UsageRecord[] = [];
      for await (const r of api.ledger.history()) out.push(r);
      if (out.length >= count || Date.now() > deadline) return out;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async function openFixture(): Promise<vscode.TextEditor> {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'fib.ts'));
    return vscode.window.showTextDocument(doc);
  }

  test('the command is contributed with its title, editor menu entry and a keybinding', () => {
    const pkg = vscode.extensions.getExtension('switchboard.switchboard')!.packageJSON;
    const cmd = pkg.contributes.commands.find((c: { command: string }) => c.command === 'switchboard.summarizeSelection');
    assert.equal(`${cmd.category}: ${cmd.title}`, 'Switchboard: Summarize Selection');
    assert.ok(pkg.contributes.menus['editor/context'].some((m: { command: string; when: string }) => m.command === 'switchboard.summarizeSelection' && m.when === 'editorHasSelection'));
    assert.ok(pkg.contributes.keybindings.some((k: { command: string; key: string }) => k.command === 'switchboard.summarizeSelection' && k.key === 'ctrl+k alt+s'));
  });

  test('a selection is summarized on the summarize chain in one request carrying the selection, its language and file name, recorded under summarize in its conversation', async () => {
    const editor = await openFixture();
    editor.selection = new vscode.Selection(0, 0, 2, 0);
    const answer = await vscode.commands.executeCommand<AssistantMessage>('switchboard.summarizeSelection');
    assert.equal(answer?.state, 'done', JSON.stringify(answer?.error));
    assert.equal(answerText(answer), 'summary of lines 1-2');
    assert.equal(server.asked.length, 1);
    const [req] = server.asked;
    assert.equal(req.kind, 'whole');
    assert.equal(req.model, 'cheap-1');
    assert.match(req.user, /^File: fib\.ts \(typescript\), lines 1-2\.\n\n```typescript\n\/\*\* Returns the n-th Fibonacci number/);
    assert.ok(req.user.includes(editor.document.getText(editor.selection)));
    assert.equal(chatServer.asked.length, 0, 'the chat chain is not used');
    const user = api.session.messages[0];
    assert.equal(user.role === 'user' && user.title, 'Summary of fib.ts:1-2');
    const records = await ledgerRecords(1);
    assert.deepEqual(records.map((r) => [r.modelId, r.category, r.costNanos]), [['cheap', 'summarize', 1_000_000]]);
    assert.equal(records[0].conversationId, api.session.conversationId, 'the usage belongs to the conversation the summary is in');
    assert.deepEqual(asked, { wholeFile: [], confirm: [] }, 'nothing to ask: a selection, and no price');
  });

  test('with no selection the whole file is offered; a file over the context is split, three parts at once, then combined', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(longFile));
    editor.selection = new vscode.Selection(5, 3, 5, 3);
    const answer = await vscode.commands.executeCommand<AssistantMessage>('switchboard.summarizeSelection');
    const file = vscode.workspace.asRelativePath(longFile, false);
    assert.deepEqual(asked.wholeFile, [file]);
    assert.equal(answer?.state, 'done', JSON.stringify(answer?.error));
    assert.match(answerText(answer), /^Combined summary of lines 1-800/);
    const parts = server.asked.filter((a) => a.kind === 'part');
    assert.ok(parts.length >= 7, `${parts.length} parts`);
    assert.equal(server.asked.at(-1)!.kind, 'combine');
    assert.equal(server.maxInFlight, 3, 'switchboard.summarize.parallel requests at once');
    assert.ok(server.asked.every((a) => a.model === 'cheap-1'));
    const records = await ledgerRecords(server.asked.length);
    assert.equal(records.length, server.asked.length, 'one record per request');
    assert.ok(records.every((r) => r.category === 'summarize' && r.modelId === 'cheap'));
    const user = api.session.messages[0];
    assert.equal(user.role === 'user' && user.title, `Summary of ${file}:1-800`);
    assert.equal(answer.info.costNanos, server.asked.length * 1_000_000, 'the answer counts every request');
  });

  test('above confirmAboveUsd it asks first with the estimate; declining sends nothing', async () => {
    await config().update('models', {
      cheap: { endpoint: server.url, model: 'cheap-1', contextTokens: 1500, price: { inputPerMTok: 1000, outputPerMTok: 1000 } },
      talker: { endpoint: chatServer.url, model: 'talker-1' },
    }, G);
    await until('the price', () => api.settings.settings.models.cheap?.price?.inputPerMTok === 1000);
    await config().update('summarize.confirmAboveUsd', 0.05, G);
    await until('the threshold', () => api.settings.settings.summarize.confirmAboveUsd === 0.05);
    const editor = await openFixture();
    editor.selection = new vscode.Selection(0, 0, 10, 0);
    confirmAnswer = false;
    assert.equal(await vscode.commands.executeCommand('switchboard.summarizeSelection'), undefined);
    assert.equal(asked.confirm.length, 1);
    assert.match(asked.confirm[0], /^Summary of fib\.ts:1-10: About [\d,]+ input tokens in 1 request to cheap, about \$0\.\d+\. That is above switchboard\.summarize\.confirmAboveUsd \(\$0\.05\)\.$/);
    assert.equal(server.asked.length, 0, 'nothing was sent');
    assert.equal(api.session.messages.length, 0);
    confirmAnswer = true;
    const answer = await vscode.commands.executeCommand<AssistantMessage>('switchboard.summarizeSelection');
    assert.equal(answer?.state, 'done');
    assert.equal(server.asked.length, 1);
    await config().update('summarize.confirmAboveUsd', undefined, G);
    await config().update('models', {
      cheap: { endpoint: server.url, model: 'cheap-1', contextTokens: 1500 },
      talker: { endpoint: chatServer.url, model: 'talker-1' },
    }, G);
    await until('the price to go', () => api.settings.settings.models.cheap?.price === undefined);
  });

  test('an error from the server ends the summary in the chat view as in chat, with its kind and actions', async () => {
    server.options.override = () => ({ status: 401, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"invalid api key"}}' });
    const editor = await openFixture();
    editor.selection = new vscode.Selection(0, 0, 2, 0);
    const answer = await vscode.commands.executeCommand<AssistantMessage>('switchboard.summarizeSelection');
    assert.equal(answer?.state, 'error');
    assert.equal(answer.error?.kind, 'http');
    assert.match(answer.error!.message, /invalid api key/);
  });

  test('a line longer than the context refuses with a clear reason and sends nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-summarize-'));
    const uri = vscode.Uri.file(join(dir, 'min.js'));
    writeFileSync(uri.fsPath, `var a=1;\n${'x'.repeat(20_000)}\n`);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    editor.selection = new vscode.Selection(0, 0, 2, 0);
    assert.equal(await vscode.commands.executeCommand('switchboard.summarizeSelection'), undefined);
    assert.equal(server.asked.length, 0);
    assert.equal(api.session.messages.length, 0);
  });

  test('a follow-up in chat builds on the summary, on the chat chain', async () => {
    const editor = await openFixture();
    editor.selection = new vscode.Selection(0, 0, 2, 0);
    await vscode.commands.executeCommand('switchboard.summarizeSelection');
    await api.session.send('what about negative n?');
    assert.equal(chatServer.asked.length, 1);
    const body = chatServer.asked[0].record.json<{ messages: { role: string; content: string }[] }>();
    assert.deepEqual(body.messages.map((m) => m.role), ['user', 'assistant', 'user']);
    assert.match(body.messages[0].content, /^Summarize fib\.ts:1-2 \(typescript\)\.\n\n```typescript\n/);
    assert.equal(body.messages[1].content, 'summary of lines 1-2');
  });
});
