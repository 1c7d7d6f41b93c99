import { strict as assert } from 'node:assert';
import { BrokerError, type BrokerEvent, type ChatMessage, type Usage } from '../../../src/broker';
import { ChatSession, toChatMessages, type Conversation, type ConversationStore, type SessionUpdate } from '../../../src/chat/chatSession';
import type { ConversationSummary } from '../../../src/protocol/messages';
import { answerText, type AssistantMessage, type TranscriptMessage } from '../../../src/protocol/transcript';

class MemoryStore implements ConversationStore {
  items = new Map<string, Conversation>();
  current: string | undefined;
  saves = 0;
  list(): ConversationSummary[] {
    return [...this.items.values()].map((c) => ({ id: c.id, title: c.title, updated: c.updated })).sort((a, b) => b.updated - a.updated);
  }
  load(id: string) {
    const c = this.items.get(id);
    return c ? structuredClone(c) : undefined;
  }
  save(c: Conversation) {
    this.saves++;
    if (c.messages.length) this.items.set(c.id, structuredClone(c));
  }
  currentId() {
    return this.current;
  }
  setCurrentId(id: string) {
    this.current = id;
  }
}

const usage = (over: Partial<Usage> = {}): Usage => ({
  promptTokens: 10, completionTokens: 5, totalTokens: 15, cost: 0.002, costSource: 'provider', modelId: 'a', model: 'm-a', category: 'chat', ...over,
});

type Script = (signal: AbortSignal, messages: ChatMessage[]) => AsyncIterable<BrokerEvent>;

function harness(script: Script, opts: { coalesceMs?: number; store?: MemoryStore } = {}) {
  const store = opts.store ?? new MemoryStore();
  let id = 0;
  const calls: ChatMessage[][] = [];
  const session = new ChatSession({
    store,
    newId: () => `id${++id}`,
    coalesceMs: opts.coalesceMs ?? 5,
    stream: (messages, { signal }) => {
      calls.push(messages);
      return script(signal, messages);
    },
  });
  const updates: SessionUpdate[] = [];
  session.onDidUpdate((u) => updates.push(u));
  return { session, store, updates, calls };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The message as an answer (fails the test when it is not one). */
function ans(m: TranscriptMessage | undefined): AssistantMessage & { text: string } {
  assert.ok(m && m.role === 'assistant', `expected an answer, got ${JSON.stringify(m)}`);
  return Object.assign(structuredClone(m), { text: answerText(m) });
}
const textOf = (m: TranscriptMessage) => (m.role === 'user' ? m.text : m.role === 'assistant' ? answerText(m) : m.summary);

suite('chat session: a turn', () => {
  test('streams the answer as numbered, coalesced deltas whose concatenation is the answer, then marks it done with model, usage, cost and first-token time', async () => {
    let busyAtStart: boolean | undefined;
    const { session, updates } = harness(async function* () {
      yield { kind: 'reasoning', text: 'hmm ' };
      for (const t of ['Hel', 'lo', ', ', 'wor', 'ld']) yield { kind: 'text', text: t };
      yield { kind: 'usage', usage: usage() };
      yield { kind: 'done', finishReason: 'stop', model: 'm-a', modelId: 'a' };
    });
    session.onDidUpdate((u) => {
      if (u.type === 'upsert' && u.message.role === 'assistant' && busyAtStart === undefined) busyAtStart = session.busy;
    });
    await session.send('hi');
    const deltas = updates.filter((u): u is Extract<SessionUpdate, { type: 'delta' }> => u.type === 'delta');
    assert.ok(deltas.length >= 1 && deltas.length < 6, `coalesced into ${deltas.length} deltas`);
    assert.deepEqual(deltas.map((d) => d.index), deltas.map((_, i) => i));
    assert.equal(deltas.map((d) => d.text).join(''), 'Hello, world');
    assert.equal(deltas.map((d) => d.reasoning).join(''), 'hmm ');
    const [user] = session.messages;
    const answer = ans(session.messages[1]);
    assert.equal(user.role, 'user');
    assert.equal(textOf(user), 'hi');
    assert.deepEqual(answer.parts.map((p) => p.kind), ['reasoning', 'text'], 'reasoning first, then the text, both of step 0');
    assert.equal(answer.state, 'done');
    assert.equal(answer.text, 'Hello, world');
    assert.equal(answer.deltas, deltas.length);
    assert.equal(answer.info?.modelId, 'a');
    assert.deepEqual(answer.info?.usage, { promptTokens: 10, completionTokens: 5 });
    assert.equal(answer.info?.costNanos, 2_000_000);
    assert.equal(answer.info?.costUnknown, false);
    assert.equal(typeof answer.info?.ttftMs, 'number');
    const last = updates[updates.length - 1];
    assert.ok(last.type === 'upsert' && last.message.role === 'assistant' && last.message.state === 'done');
    assert.equal(session.busy, false);
    assert.equal(busyAtStart, true, 'the session is busy from the answer\'s first update on');
  });

  test('a fallback is recorded with a one-line reason and shown while streaming; usage of every attempt counts', async () => {
    const { session, updates } = harness(async function* () {
      yield { kind: 'usage', usage: usage({ modelId: 'a', cost: null, costSource: 'unknown' }) };
      yield { kind: 'fallback', from: 'a', to: 'b', error: new BrokerError('http', 'service unavailable\n(503)', { status: 503 }) };
      yield { kind: 'text', text: 'ok' };
      yield { kind: 'usage', usage: usage({ modelId: 'b', cost: 0.001 }) };
      yield { kind: 'done', finishReason: 'stop', model: 'm-b', modelId: 'b' };
    });
    await session.send('q');
    const answer = ans(session.messages[1]);
    assert.deepEqual(answer.info?.fallbacks, [{ from: 'a', to: 'b', reason: 'service unavailable (503)' }]);
    assert.equal(answer.info?.modelId, 'b');
    assert.deepEqual(answer.info?.usage, { promptTokens: 20, completionTokens: 10 });
    assert.equal(answer.info?.costNanos, 1_000_000);
    assert.equal(answer.info?.costUnknown, true, 'one attempt had an unknown cost');
    assert.ok(updates.some((u) => u.type === 'upsert' && u.message.role === 'assistant' && u.message.state === 'streaming' && u.message.info.fallbacks.length === 1));
  });

  test('an answer with no usage at all has an unknown cost, never zero', async () => {
    const { session } = harness(async function* () {
      yield { kind: 'text', text: 'x' };
      yield { kind: 'done', finishReason: 'stop', model: null, modelId: 'local' };
    });
    await session.send('q');
    assert.equal(ans(session.messages[1]).info.usage, null);
    assert.equal(ans(session.messages[1]).info.costUnknown, true);
  });

  test('Stop aborts the stream at once and keeps the partial answer, marked stopped', async () => {
    let sawAbort = false;
    const { session } = harness(async function* (signal) {
      yield { kind: 'text', text: 'partial ' };
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      sawAbort = true;
      throw new BrokerError('aborted', 'the request was cancelled', { partialText: 'partial ' });
    });
    const turn = session.send('q');
    await sleep(30);
    assert.equal(session.busy, true);
    await session.stop();
    await turn;
    assert.equal(sawAbort, true);
    assert.equal(ans(session.messages[1]).state, 'stopped');
    assert.equal(ans(session.messages[1]).text, 'partial ');
    assert.equal(session.busy, false);
  });

  test('errors become an inline error with its kind, a one-line message and the actions that apply', async () => {
    const cases: [BrokerError, string[]][] = [
      [new BrokerError('config', 'OPENROUTER_API_KEY is not set'), ['openSettings', 'showLog']],
      [new BrokerError('http', 'rate limited', { status: 429, retryable: true }), ['retry', 'showLog']],
      [new BrokerError('transport', 'connection refused'), ['retry', 'showLog']],
      [new BrokerError('api', 'context too long', { status: 400 }), ['showLog']],
    ];
    for (const [err, actions] of cases) {
      const { session } = harness(async function* () {
        yield* [];
        throw err;
      });
      await session.send('q');
      const a = ans(session.messages[1]);
      assert.equal(a.state, 'error');
      assert.deepEqual(a.error, { kind: err.kind, message: err.message, actions });
    }
  });

  test('usage carried by an error still counts toward the turn', async () => {
    const { session } = harness(async function* () {
      yield { kind: 'text', text: 'cut' };
      throw new BrokerError('transport', 'stream ended early', { usage: usage({ cost: 0.5 }) });
    });
    await session.send('q');
    assert.equal(ans(session.messages[1]).info.costNanos, 500_000_000);
    assert.equal(ans(session.messages[1]).text, 'cut');
  });

  test('a second send while an answer streams is refused', async () => {
    const { session } = harness(async function* (signal) {
      await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
      throw new BrokerError('aborted', 'cancelled');
    });
    const turn = session.send('one');
    await assert.rejects(session.send('two'), /still streaming/);
    await session.stop();
    await turn;
  });
});

suite('chat session: history and persistence', () => {
  test('the request carries the conversation so far: users, and finished or stopped answers (failed ones left out)', () => {
    const info = { modelId: null, model: null, fallbacks: [], usage: null, costNanos: 0, costUnknown: true, ttftMs: null, steps: 1 };
    const msgs = toChatMessages([
      { id: '1', role: 'user', text: 'a' },
      { id: '2', role: 'assistant', parts: [{ kind: 'reasoning', step: 0, text: 'r' }, { kind: 'text', step: 0, text: 'A' }], state: 'done', deltas: 1, info },
      { id: '3', role: 'user', text: 'b' },
      { id: '4', role: 'assistant', parts: [{ kind: 'text', step: 0, text: 'half' }], state: 'error', deltas: 1, info },
      { id: '5', role: 'user', text: 'c' },
    ], 'be brief');
    assert.deepEqual(msgs.map((m) => [m.role, m.content]), [['system', 'be brief'], ['user', 'a'], ['assistant', 'A'], ['user', 'b'], ['user', 'c']]);
  });

  test('the conversation is saved and restored by a new session (a reload); an answer cut by the reload shows as stopped', async () => {
    const store = new MemoryStore();
    const { session } = harness(async function* () {
      yield { kind: 'text', text: 'answer' };
      yield { kind: 'done', finishReason: 'stop', model: null, modelId: 'a' };
    }, { store });
    await session.send('question');
    const saved = store.items.get(session.conversationId)!;
    (saved.messages[1] as AssistantMessage).state = 'streaming';
    store.items.set(saved.id, saved);
    const reloaded = harness(async function* () {}, { store }).session;
    assert.equal(reloaded.conversationId, session.conversationId);
    assert.deepEqual(reloaded.messages.map((m) => [m.role, textOf(m), m.role === 'assistant' ? m.state : '']), [['user', 'question', ''], ['assistant', 'answer', 'stopped']]);
  });

  test('Retry drops the last answer and asks again with the same history', async () => {
    let n = 0;
    const { session, calls } = harness(async function* () {
      n++;
      yield { kind: 'text', text: `try ${n}` };
      yield { kind: 'done', finishReason: 'stop', model: null, modelId: 'a' };
    });
    await session.send('q');
    await session.retry();
    assert.deepEqual(session.messages.map(textOf), ['q', 'try 2']);
    assert.deepEqual(calls[0], calls[1]);
  });

  test('New Chat starts over; the previous conversation is listed and can be reopened', async () => {
    const { session } = harness(async function* () {
      yield { kind: 'text', text: 'A1' };
      yield { kind: 'done', finishReason: 'stop', model: null, modelId: 'a' };
    });
    await session.send('first question');
    const first = session.conversationId;
    await session.newChat();
    assert.notEqual(session.conversationId, first);
    assert.equal(session.messages.length, 0);
    assert.deepEqual(session.conversations().map((c) => [c.id, c.title]), [[first, 'first question']]);
    assert.equal(await session.open(first), true);
    assert.deepEqual(session.messages.map(textOf), ['first question', 'A1']);
    assert.equal(await session.open('missing'), false);
  });
});
