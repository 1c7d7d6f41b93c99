import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { SseServer } from '../support/sseServer';
import { DONE, sse } from '../fixtures/providers/build';
import { activateSwitchboard, answerAt } from './support';
import { answerText } from '../../src/protocol/transcript';

const answer = (text: string, cost?: number) => sse(
  { choices: [{ index: 0, delta: { role: 'assistant', content: text.slice(0, 5) } }] },
  { choices: [{ index: 0, delta: { content: text.slice(5) } }] },
  { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
  { choices: [], usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19, ...(cost === undefined ? {} : { cost }) } },
  DONE,
);
const config = () => vscode.workspace.getConfiguration('switchboard');

suite('chat turns in the real extension host, through the real broker, against loopback servers', () => {
  let ok: SseServer;
  let down: SseServer;

  suiteSetup(async () => {
    ok = await SseServer.start();
    ok.setDefault({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: answer('Hello there, friend.', 0.0042) });
    down = await SseServer.start();
    down.setDefault({ status: 503, headers: { 'content-type': 'application/json', 'retry-after': '1' }, body: '{"error":{"message":"Loading model","type":"unavailable_error","code":503}}' });
    await config().update('models', { good: { endpoint: ok.url, model: 'g' }, bad: { endpoint: down.url, model: 'b' } }, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    await config().update('models', undefined, vscode.ConfigurationTarget.Global);
    await config().update('chains', undefined, vscode.ConfigurationTarget.Global);
    await ok?.close();
    await down?.close();
  });

  async function useChain(chat: string[]): Promise<void> {
    const api = await activateSwitchboard();
    await config().update('chains', { chat }, vscode.ConfigurationTarget.Global);
    const deadline = Date.now() + 5000;
    while (api.settings.settings.chains.chat.join() !== chat.join()) {
      if (Date.now() > deadline) throw new Error('the chain setting did not apply');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  test('a turn streams the answer, names the model, counts tokens and cost, and lands in the ledger under chat', async () => {
    const api = await activateSwitchboard();
    await useChain(['good']);
    await vscode.commands.executeCommand('switchboard.resetUsage', { confirmed: true });
    await api.session.newChat();
    await api.session.send('hello');
    const [user] = api.session.messages;
    const reply = answerAt(api, 1);
    assert.equal(user.role === 'user' && user.text, 'hello');
    assert.equal(reply.state, 'done', JSON.stringify(reply.error));
    assert.equal(answerText(reply), 'Hello there, friend.');
    assert.equal(reply.info?.modelId, 'good');
    assert.deepEqual(reply.info?.usage, { promptTokens: 12, completionTokens: 7 });
    assert.equal(reply.info?.costNanos, 4_200_000);
    const sent = ok.requests.at(-1)!.json<{ messages: { role: string; content: string }[]; stream: boolean }>();
    assert.equal(sent.stream, true);
    assert.deepEqual(sent.messages.map((m) => m.content), ['hello']);
    // The ledger write is asynchronous (append, then read back): wait for it.
    const deadline = Date.now() + 2000;
    const logged = async () => {
      const out: [string, string, number | null][] = [];
      for await (const r of api.ledger.history()) out.push([r.modelId, r.category, r.costNanos]);
      return out;
    };
    while ((await logged()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(await logged(), [['good', 'chat', 4_200_000]]);
  });

  test('when the first model answers 503, the next one answers and the fallback is noted with its reason', async () => {
    const api = await activateSwitchboard();
    await useChain(['bad', 'good']);
    await api.session.newChat();
    await api.session.send('hi');
    const reply = answerAt(api, 1);
    assert.equal(reply.state, 'done', JSON.stringify(reply.error));
    assert.equal(reply.info?.modelId, 'good');
    assert.equal(reply.info?.fallbacks.length, 1);
    assert.equal(reply.info?.fallbacks[0].from, 'bad');
    assert.match(reply.info?.fallbacks[0].reason ?? '', /Loading model/);
  });

  test('the status bar shows a spinner while an answer streams, and Stop ends the request and the spinner', async () => {
    const api = await activateSwitchboard();
    await useChain(['good']);
    await api.session.newChat();
    ok.respond({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: [{ write: 'data: {"choices":[{"index":0,"delta":{"content":"slow"}}]}\n\n' }, { stall: true }] });
    const turn = api.session.send('take your time');
    const deadline = Date.now() + 5000;
    while (!(api.session.messages[1] && answerText(answerAt(api, 1))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.match(api.statusBar.text, /^\$\(loading~spin\) /);
    await api.session.stop();
    await turn;
    assert.equal(answerAt(api, 1).state, 'stopped');
    assert.match(api.statusBar.text, /^\$\(pulse\) /);
    await ok.requests.at(-1)!.disconnected;
  });

  test('the conversation is stored in workspace storage and listed after New Chat', async () => {
    const api = await activateSwitchboard();
    await useChain(['good']);
    await api.session.newChat();
    await api.session.send('remember me');
    const id = api.session.conversationId;
    await api.session.newChat();
    assert.ok(api.session.conversations().some((c) => c.id === id && c.title === 'remember me'));
    assert.equal(await api.session.open(id), true);
    assert.equal(answerText(answerAt(api, 1)), 'Hello there, friend.');
  });

  test('a streamed tool call runs the turn loop: the next request carries the assistant tool_calls and the tool result, as the OpenAI API expects', async () => {
    const body = (r: { json<T>(): T }) => r.json<{ tools?: { function: { name: string } }[] }>();
    const api = await activateSwitchboard();
    await useChain(['good']);
    await api.session.newChat();
    const toolCall = sse(
      { choices: [{ index: 0, delta: { role: 'assistant', content: 'Checking.' } }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_abc', type: 'function', function: { name: 'read_file', arguments: '{"path":' } }] } }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"fib.ts"}' } }] } }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      { choices: [], usage: { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29, cost: 0.001 } },
      DONE,
    );
    const before = ok.requests.length;
    ok.respond({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: toolCall });
    ok.respond({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: answer('Done without the file.', 0.002) });
    await api.session.send('what is in fib.ts?');
    const sent = ok.requests.slice(before).map((r) => r.json<{ messages: Record<string, unknown>[] }>().messages);
    assert.equal(sent.length, 2, 'two requests: the tool step and the answer');
    assert.deepEqual(body(ok.requests[before]).tools?.map((t) => t.function.name), ['read_file', 'list_files', 'search_text', 'write_file', 'edit_file', 'run_command', 'delegate_task']);
    assert.deepEqual(sent[0], [{ role: 'user', content: 'what is in fib.ts?' }]);
    assert.deepEqual(sent[1].slice(0, 2), [
      { role: 'user', content: 'what is in fib.ts?' },
      { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'call_abc', type: 'function', function: { name: 'read_file', arguments: '{"path":"fib.ts"}' } }] },
    ]);
    assert.equal(sent[1][2].role, 'tool');
    assert.equal(sent[1][2].tool_call_id, 'call_abc');
    assert.match(String(sent[1][2].content), /export function fib/, 'the read-only call was auto-approved and its result sent');
    const reply = answerAt(api, 1);
    assert.equal(reply.state, 'done', JSON.stringify(reply.error));
    assert.equal(reply.info.steps, 2);
    assert.equal(reply.info.costNanos, 3_000_000, 'both steps roll up into the answer');
    assert.deepEqual(reply.parts.map((p) => p.kind), ['text', 'toolCall', 'text']);
  });
});
