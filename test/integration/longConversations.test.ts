import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { SseServer } from '../support/sseServer';
import { streamOf, textAnswer } from '../support/scriptedStreams';
import { activateSwitchboard, answerAt } from './support';
import type { SwitchboardApi } from '../../src/extension';
import type { CompactionMessage, ToolCallPart } from '../../src/protocol/transcript';
import { SUMMARY_PREFIX } from '../../src/chat/history';

const config = () => vscode.workspace.getConfiguration('switchboard');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stream = streamOf;
const answer = (text: string, cost: number, promptTokens = 10) => textAnswer(text, cost, promptTokens);

async function ledgerHas(api: SwitchboardApi, match: (r: { category: string; modelId: string; conversationId?: string }) => boolean): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    for await (const r of api.ledger.history()) if (match(r)) return true;
    await sleep(50);
  }
  return false;
}

suite('long conversations and subtasks in the real extension host: compaction and delegation on their own chains', () => {
  let main: SseServer;
  let cheap: SseServer;
  let strong: SseServer;

  suiteSetup(async () => {
    main = await SseServer.start();
    cheap = await SseServer.start();
    strong = await SseServer.start();
    // Like a real server, it reports the prompt's size (about a token per four characters of the messages).
    main.setDefault((req) => {
      const chars = req.json<{ messages: { content: string | null }[] }>().messages.reduce((n, m) => n + (m.content?.length ?? 0), 0);
      return answer('An answer of moderate length, repeated to fill the context. '.repeat(6), 0.001, Math.ceil(chars / 4));
    });
    cheap.setDefault(answer('TASK: the questions so far. DECISIONS: none. FILES: src/a.ts. PENDING: more questions.', 0.0002));
    strong.setDefault(answer('The subtask found that fib is iterative.', 0.003));
    await config().update('models', {
      main: { endpoint: main.url, model: 'm', contextTokens: 1000 },
      cheap: { endpoint: cheap.url, model: 'c' },
      strong: { endpoint: strong.url, model: 's' },
    }, vscode.ConfigurationTarget.Global);
    await config().update('chains', { chat: ['main'], cheap: ['cheap'], strong: ['strong'] }, vscode.ConfigurationTarget.Global);
    await config().update('purposes', { memory_summarize: 'cheap', delegate: 'strong' }, vscode.ConfigurationTarget.Global);
    const api = await activateSwitchboard();
    const deadline = Date.now() + 5000;
    while (api.settings.settings.purposes.delegate !== 'strong' && Date.now() < deadline) await sleep(20);
  });

  suiteTeardown(async () => {
    for (const key of ['models', 'chains', 'purposes']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await Promise.all([main?.close(), cheap?.close(), strong?.close()]);
  });

  test('past the threshold, older turns are summarized on the memory_summarize chain, recorded under that category with the conversation, and the request carries the summary', async () => {
    const api = await activateSwitchboard();
    await api.session.newChat();
    for (let i = 0; i < 6; i++) await api.session.send(`Question ${i}: ${'please consider this detail carefully. '.repeat(8)}`);
    assert.ok(cheap.requests.length >= 1, 'the summary went to the cheap chain');
    const req = cheap.requests[0].json<{ messages: { role: string; content: string }[] }>();
    assert.equal(req.messages[0].role, 'system');
    assert.match(req.messages[0].content, /file path/);
    assert.match(req.messages[1].content, /Question 1/);
    assert.doesNotMatch(req.messages[1].content, /Question 5/, 'the last turns are kept verbatim, not summarized');
    const card = api.session.messages.find((m): m is CompactionMessage => m.role === 'compaction')!;
    assert.equal(card.state, 'done');
    assert.equal(card.modelId, 'cheap');
    assert.ok(card.tokensAfter! < card.tokensBefore);
    const last = main.requests.at(-1)!.json<{ messages: { content: string }[] }>().messages;
    assert.ok(last.some((m) => m.content.startsWith(SUMMARY_PREFIX)));
    assert.ok(last[0].content.startsWith('Question 0'), 'the first message stays verbatim');
    const conversationId = api.session.conversationId;
    assert.ok(await ledgerHas(api, (r) => r.category === 'memory_summarize' && r.modelId === 'cheap' && r.conversationId === conversationId));
    assert.ok(await ledgerHas(api, (r) => r.category === 'chat' && r.modelId === 'main' && r.conversationId === conversationId));
  });

  test('an approved delegate_task runs on the delegate chain with a fresh context, its answer is the tool result, and its cost shows apart in the parent\'s info', async () => {
    const api = await activateSwitchboard();
    await api.session.newChat();
    main.respond(stream(
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'del1', type: 'function', function: { name: 'delegate_task', arguments: '{"task":"Find out how fib is computed","context":"It is in fib.ts"}' } }] } }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      { choices: [], usage: { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30, cost: 0.002 } },
    ), answer('Thanks to the subtask: it is iterative.', 0.001));
    const before = strong.requests.length;
    const turn = api.session.send('how is fib computed? delegate it');
    const deadline = Date.now() + 10_000;
    const pending = () => {
      const m = api.session.messages[1];
      return m?.role === 'assistant' ? m.parts.find((p): p is ToolCallPart => p.kind === 'toolCall' && p.state === 'pending') : undefined;
    };
    while (!pending() && Date.now() < deadline) await sleep(20);
    assert.equal(pending()?.card?.delegate?.chain, 'strong');
    api.tools.decide('del1', { kind: 'approve', confirmed: false });
    await turn;
    const sub = strong.requests.slice(before)[0].json<{ messages: { role: string; content: string }[]; tools?: { function: { name: string } }[] }>();
    assert.equal(sub.messages.length, 2, 'a fresh context: the system prompt and the task only');
    assert.match(sub.messages[1].content, /Find out how fib is computed\n\nContext:\nIt is in fib.ts/);
    assert.deepEqual(sub.tools?.map((t) => t.function.name), ['read_file', 'list_files', 'search_text']);
    const toolMsg = main.requests.at(-1)!.json<{ messages: { role: string; content: string }[] }>().messages.find((m) => m.role === 'tool');
    assert.equal(toolMsg?.content, 'The subtask found that fib is iterative.');
    const reply = answerAt(api, 1);
    assert.equal(reply.info.subtasks?.count, 1);
    assert.equal(reply.info.subtasks?.costNanos, 3_000_000);
    assert.equal(reply.info.costNanos, 3_000_000, 'the answer\'s own cost: its two steps, apart from the subtask');
    const conversationId = api.session.conversationId;
    assert.ok(await ledgerHas(api, (r) => r.category === 'delegate' && r.modelId === 'strong' && r.conversationId === conversationId));
  });
});
