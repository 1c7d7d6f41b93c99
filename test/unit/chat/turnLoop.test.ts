import { strict as assert } from 'node:assert';
import { BrokerError, type BrokerEvent, type ChatMessage, type ToolSpec, type Usage } from '../../../src/broker';
import { ChatSession, type Conversation, type ConversationStore } from '../../../src/chat/chatSession';
import { REJECT_ALL_TOOLS, parseToolArguments, type ToolHook } from '../../../src/chat/toolHook';
import type { ConversationSummary } from '../../../src/protocol/messages';
import type { AssistantMessage, ToolCallPart } from '../../../src/protocol/transcript';

class MemoryStore implements ConversationStore {
  items = new Map<string, Conversation>();
  current: string | undefined;
  list(): ConversationSummary[] {
    return [...this.items.values()].map((c) => ({ id: c.id, title: c.title, updated: c.updated }));
  }
  load(id: string) {
    return structuredClone(this.items.get(id));
  }
  save(c: Conversation) {
    if (c.messages.length) this.items.set(c.id, structuredClone(c));
  }
  currentId() {
    return this.current;
  }
  setCurrentId(id: string) {
    this.current = id;
  }
}

const usage = (cost: number | null): Usage => ({ promptTokens: 10, completionTokens: 5, totalTokens: 15, cost, costSource: cost === null ? 'unknown' : 'provider', modelId: 'a', model: 'm', category: 'chat' });
const done = (): BrokerEvent => ({ kind: 'done', finishReason: 'stop', model: 'm', modelId: 'a' });
const call = (id: string, name = 'read_file', args = '{"path":"a.ts"}'): BrokerEvent => ({ kind: 'tool_call', id, name, arguments: args });

/** A scripted broker: request n gets steps[n] (the last one repeats). */
function scripted(steps: ((signal: AbortSignal) => AsyncIterable<BrokerEvent>)[]) {
  const requests: { messages: ChatMessage[]; tools: ToolSpec[] }[] = [];
  return {
    requests,
    stream: (messages: ChatMessage[], opts: { signal: AbortSignal; tools: ToolSpec[] }) => {
      requests.push({ messages: structuredClone(messages), tools: opts.tools });
      return steps[Math.min(requests.length - 1, steps.length - 1)](opts.signal);
    },
  };
}

function session(broker: ReturnType<typeof scripted>, tools?: ToolHook, maxSteps = 10) {
  let id = 0;
  return new ChatSession({ store: new MemoryStore(), newId: () => `id${++id}`, coalesceMs: 1, stream: broker.stream, tools, maxSteps: () => maxSteps });
}

const answerOf = (s: ChatSession) => s.messages[s.messages.length - 1] as AssistantMessage;
const callsOf = (a: AssistantMessage) => a.parts.filter((p): p is ToolCallPart => p.kind === 'toolCall');

/** A tool hook that approves everything and answers with the call's name and path. */
const approveAll: ToolHook = {
  specs: () => [{ type: 'function', function: { name: 'read_file', parameters: { type: 'object' } } }],
  handle: async (c) => ({ state: 'done', outcome: 'approved', result: `contents of ${String(c.args.path)}` }),
};

suite('turn loop: tool steps against a scripted broker', () => {
  test('an answer without tool calls is one request, one step', async () => {
    const broker = scripted([async function* () {
      yield { kind: 'text', text: 'plain' };
      yield done();
    }]);
    const s = session(broker);
    await s.send('q');
    assert.equal(broker.requests.length, 1);
    assert.equal(answerOf(s).info.steps, 1);
    assert.equal(answerOf(s).state, 'done');
  });

  test('one tool step: the next request carries the assistant tool_calls and one tool message per call, in the OpenAI shape', async () => {
    const broker = scripted([
      async function* () {
        yield { kind: 'text', text: 'Let me look.' };
        yield call('call_1');
        yield call('call_2', 'read_file', '{"path":"b.ts"}');
        yield { kind: 'usage', usage: usage(0.001) };
        yield done();
      },
      async function* () {
        yield { kind: 'text', text: 'Both read.' };
        yield { kind: 'usage', usage: usage(0.002) };
        yield done();
      },
    ]);
    const s = session(broker, approveAll);
    await s.send('read a and b');
    assert.equal(broker.requests.length, 2);
    assert.deepEqual(broker.requests[0].tools.map((t) => t.function.name), ['read_file']);
    assert.deepEqual(broker.requests[1].messages.slice(1), [
      { role: 'assistant', content: 'Let me look.', tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } },
        { id: 'call_2', type: 'function', function: { name: 'read_file', arguments: '{"path":"b.ts"}' } },
      ] },
      { role: 'tool', tool_call_id: 'call_1', content: 'contents of a.ts' },
      { role: 'tool', tool_call_id: 'call_2', content: 'contents of b.ts' },
    ]);
    const a = answerOf(s);
    assert.deepEqual(a.parts.map((p) => [p.kind, p.step]), [['text', 0], ['toolCall', 0], ['toolCall', 0], ['text', 1]]);
    assert.deepEqual(callsOf(a).map((c) => c.state), ['done', 'done']);
    assert.equal(a.info.steps, 2);
    assert.equal(a.info.costNanos, 3_000_000, 'both steps\' cost rolls up into the answer');
    assert.deepEqual(a.info.usage, { promptTokens: 20, completionTokens: 10 });
  });

  test('three tool steps, then an answer: four requests, and the history grows by one step each time', async () => {
    const broker = scripted([
      async function* () { yield call('c1'); yield done(); },
      async function* () { yield call('c2'); yield done(); },
      async function* () { yield call('c3'); yield done(); },
      async function* () { yield { kind: 'text', text: 'finished' }; yield done(); },
    ]);
    const s = session(broker, approveAll);
    await s.send('go');
    assert.equal(broker.requests.length, 4);
    assert.deepEqual(broker.requests.map((r) => r.messages.length), [1, 3, 5, 7]);
    assert.equal(broker.requests[3].messages[1].content, null, 'an assistant message with only tool calls has null content');
    assert.equal(answerOf(s).state, 'done');
    assert.equal(answerOf(s).info.steps, 4);
  });

  test('the default hook rejects every call with "tools are not enabled yet", and the model is told so', async () => {
    const broker = scripted([
      async function* () { yield call('c1'); yield done(); },
      async function* () { yield { kind: 'text', text: 'ok, without tools' }; yield done(); },
    ]);
    const s = session(broker);
    await s.send('q');
    const [c] = callsOf(answerOf(s));
    assert.equal(c.state, 'rejected');
    assert.match(c.outcome ?? '', /tools are not enabled yet/);
    assert.equal(broker.requests[1].messages[2].role, 'tool');
    assert.match(String(broker.requests[1].messages[2].content), /tools are not enabled yet/);
    assert.deepEqual(broker.requests[0].tools, [], 'no tools are offered by the default hook');
    assert.equal(REJECT_ALL_TOOLS.specs().length, 0);
  });

  test('maxSteps ends a loop that keeps calling tools, with a notice, after exactly maxSteps requests', async () => {
    let n = 0;
    const broker = scripted([async function* () { yield call(`c${++n}`); yield done(); }]);
    const s = session(broker, approveAll, 3);
    await s.send('loop forever');
    assert.equal(broker.requests.length, 3);
    const a = answerOf(s);
    assert.equal(a.state, 'done');
    assert.match(a.parts.filter((p) => p.kind === 'notice').map((p) => (p as { text: string }).text).join(), /Stopped after 3 tool steps/);
  });

  test('Stop during step 2 ends the stream of step 2 and no further request is made; step 1 stays', async () => {
    let sawAbort = false;
    const broker = scripted([
      async function* () { yield { kind: 'text', text: 'step one' }; yield call('c1'); yield done(); },
      async function* (signal) {
        yield { kind: 'text', text: 'step two, partial' };
        await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
        sawAbort = true;
        throw new BrokerError('aborted', 'the request was cancelled');
      },
    ]);
    const s = session(broker, approveAll);
    const turn = s.send('q');
    while (broker.requests.length < 2) await new Promise((r) => setTimeout(r, 2));
    await s.stop();
    await turn;
    assert.equal(sawAbort, true);
    assert.equal(broker.requests.length, 2);
    const a = answerOf(s);
    assert.equal(a.state, 'stopped');
    assert.deepEqual(a.parts.map((p) => p.kind), ['text', 'toolCall', 'text']);
  });

  test('Stop while a call waits for a decision rejects it; the hook sees the abort', async () => {
    let hookSawAbort = false;
    const waiting: ToolHook = {
      specs: () => [],
      handle: (_c, ctx) => new Promise((resolve) => {
        ctx.update({ state: 'pending' });
        ctx.signal.addEventListener('abort', () => {
        hookSawAbort = true;
          resolve({ state: 'rejected', outcome: 'rejected: the answer was stopped', result: 'stopped by the user' });
        }, { once: true });
      }),
    };
    const broker = scripted([async function* () { yield call('c1'); yield done(); }]);
    const s = session(broker, waiting);
    const turn = s.send('q');
    while (callsOf(answerOf(s))[0]?.state !== 'pending') await new Promise((r) => setTimeout(r, 2));
    await s.stop();
    await turn;
    assert.equal(hookSawAbort, true);
    assert.equal(broker.requests.length, 1);
    assert.equal(answerOf(s).state, 'stopped');
    assert.equal(callsOf(answerOf(s))[0].state, 'rejected');
  });

  test('invalid arguments (cut off, not JSON, not an object) go back to the model as a tool error without asking the hook', async () => {
    let asked = 0;
    const counting: ToolHook = { specs: () => [], handle: async () => { asked++; return { state: 'done', outcome: '', result: '' }; } };
    const broker = scripted([
      async function* () { yield call('c1', 'read_file', '{"path": "src/a'); yield call('c2', 'read_file', '[1,2]'); yield done(); },
      async function* () { yield { kind: 'text', text: 'sorry' }; yield done(); },
    ]);
    const s = session(broker, counting);
    await s.send('q');
    assert.equal(asked, 0);
    const tools = broker.requests[1].messages.filter((m) => m.role === 'tool');
    assert.match(String(tools[0].content), /not valid JSON \(they look cut off/);
    assert.match(String(tools[1].content), /must be a JSON object, not a list/);
    assert.deepEqual(callsOf(answerOf(s)).map((c) => c.state), ['failed', 'failed']);
  });

  test('a hook that throws fails that call; the loop goes on', async () => {
    const throwing: ToolHook = { specs: () => [], handle: async () => { throw new Error('disk on fire'); } };
    const broker = scripted([
      async function* () { yield call('c1'); yield done(); },
      async function* () { yield { kind: 'text', text: 'recovered' }; yield done(); },
    ]);
    const s = session(broker, throwing);
    await s.send('q');
    assert.equal(callsOf(answerOf(s))[0].state, 'failed');
    assert.match(String(broker.requests[1].messages[2].content), /disk on fire/);
    assert.equal(answerOf(s).state, 'done');
  });

  test('argument parsing: empty is an empty object; valid objects pass through', () => {
    assert.deepEqual(parseToolArguments(''), { ok: true, args: {} });
    assert.deepEqual(parseToolArguments(' {"a":1} '), { ok: true, args: { a: 1 } });
    assert.equal(parseToolArguments('null').ok, false);
  });
});
