import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { SseServer } from '../support/sseServer';
import { streamOf, textAnswer, toolCallStep } from '../support/scriptedStreams';
import { activateSwitchboard, answerAt } from './support';
import type { SwitchboardApi } from '../../src/extension';
import type { ToolCallPart } from '../../src/protocol/transcript';

const config = () => vscode.workspace.getConfiguration('switchboard');
const stream = streamOf;
const toolStep = (id: string, name: string, args: object) => toolCallStep(id, name, args);
const answer = (text: string) => textAnswer(text);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
/** The answer's call with this id, once it reached `state`. */
const callIn = (api: SwitchboardApi, id: string, state: ToolCallPart['state']) => () => {
  const m = api.session.messages[1];
  const p = m?.role === 'assistant' ? m.parts.find((x): x is ToolCallPart => x.kind === 'toolCall' && x.id === id) : undefined;
  return p?.state === state ? p : undefined;
};

suite('tools in the real extension host: edits, commands and the probe', () => {
  let chat: SseServer;
  let probe: SseServer;
  let folder: string;

  suiteSetup(async () => {
    chat = await SseServer.start();
    probe = await SseServer.start();
    folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    await config().update('models', { main: { endpoint: chat.url, model: 'm' }, cheap: { endpoint: probe.url, model: 'c' } }, vscode.ConfigurationTarget.Global);
    await config().update('chains', { chat: ['main'], cheap: ['cheap'] }, vscode.ConfigurationTarget.Global);
    await config().update('purposes', { probe: 'cheap' }, vscode.ConfigurationTarget.Global);
    const api = await activateSwitchboard();
    await until('the settings', () => api.settings.settings.purposes.probe === 'cheap');
  });

  suiteTeardown(async () => {
    for (const key of ['models', 'chains', 'purposes', 'safety.llmProbe']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await chat?.close();
    await probe?.close();
  });

  test('an approved edit is applied as a WorkspaceEdit: the file changes, and Undo in the editor brings the old text back', async () => {
    const api = await activateSwitchboard();
    const file = join(folder, 'undo-me.ts');
    writeFileSync(file, 'export const answer = 41;\n');
    await api.session.newChat();
    chat.respond(toolStep('e1', 'edit_file', { path: 'undo-me.ts', oldText: '41', newText: '42' }), answer('done'));
    const turn = api.session.send('fix the answer');
    await until('the edit card', callIn(api, 'e1', 'pending'));
    assert.equal(api.tools.decide('e1', { kind: 'approve', confirmed: false }), true);
    await turn;
    assert.equal(readFileSync(file, 'utf8'), 'export const answer = 42;\n');
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), 'export const answer = 41;\n');
  });

  test('Stop kills a running command and the processes it started', async () => {
    const api = await activateSwitchboard();
    const pidFile = join(folder, 'pids.txt');
    await api.session.newChat();
    // Only the tool step: the answer after it is never asked for, since Stop ends the turn.
    chat.respond(toolStep('c1', 'run_command', { command: `sleep 30 & echo $! > ${pidFile}; echo $$ >> ${pidFile}; wait` }));
    await config().update('safety.llmProbe', false, vscode.ConfigurationTarget.Global);
    const turn = api.session.send('wait a while');
    await until('the command card', callIn(api, 'c1', 'pending'));
    api.tools.decide('c1', { kind: 'approve', confirmed: true });
    await until('both process ids', () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim().split('\n').length === 2);
    const pids = readFileSync(pidFile, 'utf8').trim().split('\n').map(Number);
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    assert.ok(pids.every(alive), 'the shell and its child run');
    await api.session.stop();
    await turn;
    await until('the processes to end', () => pids.every((p) => !alive(p)) || undefined, 5000);
    assert.equal(answerAt(api, 1).state, 'stopped');
    await config().update('safety.llmProbe', undefined, vscode.ConfigurationTarget.Global);
  });

  test('an unsure command asks the probe chain (category probe); a YES makes the card destructive, and the answer is cached', async () => {
    const api = await activateSwitchboard();
    await vscode.commands.executeCommand('switchboard.resetUsage', { confirmed: true });
    probe.setDefault(stream({ choices: [{ index: 0, delta: { content: 'YES' } }] }, { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }, { choices: [], usage: { prompt_tokens: 40, completion_tokens: 1, total_tokens: 41, cost: 0.00001 } }));
    for (const id of ['p1', 'p2']) {
      await api.session.newChat();
      chat.respond(toolStep(id, 'run_command', { command: 'frobnicate --all' }), answer('ok'));
      const turn = api.session.send('frobnicate');
      const card = await until('the probed card', callIn(api, id, 'pending'));
      assert.equal(card.card?.risk.level, 'destructive');
      assert.equal(card.card?.risk.probe?.answer, 'yes');
      assert.equal(card.card?.risk.probe?.modelId, 'cheap');
      assert.equal(card.card?.needsSecondConfirm, true);
      assert.equal(card.card?.risk.probe?.cached, id === 'p2');
      api.tools.decide(id, { kind: 'reject', reason: 'no' });
      await turn;
    }
    assert.equal(probe.requests.length, 1, 'the second card used the cached answer');
    const body = probe.requests[0].json<{ max_tokens: number; messages: { content: string }[] }>();
    assert.equal(body.max_tokens, 4);
    assert.match(body.messages.map((m) => m.content).join('\n'), /frobnicate --all/);
    // The ledger's write is asynchronous (append, then read back): wait for the probe's record.
    const deadline = Date.now() + 10_000;
    let found = false;
    while (!found && Date.now() < deadline) {
      for await (const r of api.ledger.history()) if (r.category === 'probe' && r.modelId === 'cheap') found = true;
      if (!found) await sleep(50);
    }
    assert.ok(found, 'the probe request is in the ledger under category probe, on the cheap model');
  });

  test('Open Diff shows the proposed change in VS Code\'s diff editor; Run in Terminal sends the command to a terminal', async () => {
    const api = await activateSwitchboard();
    writeFileSync(join(folder, 'diff-me.txt'), 'one\ntwo\n');
    await api.session.newChat();
    chat.respond(toolStep('v1', 'edit_file', { path: 'diff-me.txt', oldText: 'two', newText: 'three' }), answer('ok'));
    const turn = api.session.send('change it');
    await until('the edit card', callIn(api, 'v1', 'pending'));
    await api.tools.showDiff(api.session.messages[1].id, 'v1');
    const tab = await until('the diff tab', () => vscode.window.tabGroups.activeTabGroup.activeTab);
    assert.ok(tab.input instanceof vscode.TabInputTextDiff, `a diff editor is open, not ${tab.label}`);
    const diff = tab.input as vscode.TabInputTextDiff;
    assert.equal(diff.original.fsPath, join(folder, 'diff-me.txt'));
    assert.equal((await vscode.workspace.openTextDocument(diff.modified)).getText(), 'one\nthree\n');
    api.tools.decide('v1', { kind: 'reject' });
    await turn;
    assert.equal(readFileSync(join(folder, 'diff-me.txt'), 'utf8'), 'one\ntwo\n', 'looking at the diff changed nothing');

    await config().update('safety.llmProbe', false, vscode.ConfigurationTarget.Global);
    await api.session.newChat();
    chat.respond(toolStep('t1', 'run_command', { command: 'echo in-a-terminal' }), answer('ok'));
    const second = api.session.send('run it where I can see');
    await until('the command card', callIn(api, 't1', 'pending'));
    const before = vscode.window.terminals.length;
    api.tools.decide('t1', { kind: 'runInTerminal' });
    await second;
    await until('the terminal', () => vscode.window.terminals.length > before);
    assert.ok(vscode.window.terminals.some((t) => t.name === 'Switchboard'));
    const result = chat.requests.at(-1)!.json<{ messages: { role: string; content: string }[] }>().messages.find((m) => m.role === 'tool');
    assert.match(result?.content ?? '', /ran this command in a VS Code terminal/);
    await config().update('safety.llmProbe', undefined, vscode.ConfigurationTarget.Global);
  });

  test('a model marked "tools": false is offered no tools; tools.enabled false turns them off for every model', async () => {
    const api = await activateSwitchboard();
    const offered = async () => {
      await api.session.newChat();
      chat.respond(answer('plain'));
      await api.session.send('hello');
      return chat.requests.at(-1)!.json<{ tools?: unknown[] }>().tools?.length ?? 0;
    };
    assert.equal(await offered(), 7, 'six tools and delegate_task');
    await config().update('models', { main: { endpoint: chat.url, model: 'm', tools: false }, cheap: { endpoint: probe.url, model: 'c' } }, vscode.ConfigurationTarget.Global);
    await until('the opt-out', () => api.settings.settings.models.main?.tools === false);
    assert.equal(await offered(), 0);
    await config().update('models', { main: { endpoint: chat.url, model: 'm' }, cheap: { endpoint: probe.url, model: 'c' } }, vscode.ConfigurationTarget.Global);
    await config().update('tools.enabled', false, vscode.ConfigurationTarget.Global);
    await until('tools off', () => api.settings.settings.tools.enabled === false || undefined);
    assert.equal(await offered(), 0);
    await config().update('tools.enabled', undefined, vscode.ConfigurationTarget.Global);
  });
});
