import { strict as assert } from 'node:assert';
import type { BrokerEvent, ChatMessage } from '../../../src/broker';
import { ChatSession, type CompactionDeps, type Conversation, type ConversationStore } from '../../../src/chat/chatSession';
import { chooseCovered, summaryRequest } from '../../../src/chat/compaction';
import { SUMMARY_PREFIX, toChatMessages } from '../../../src/chat/history';
import { estimateChars } from '../../../src/chat/modelRunner';
import type { ConversationSummary } from '../../../src/protocol/messages';
import { emptyInfo, type AssistantMessage, type CompactionMessage, type TranscriptMessage } from '../../../src/protocol/transcript';

const user = (id: string, text = `question ${id}`): TranscriptMessage => ({ id, role: 'user', text });
const reply = (id: string, text = `answer ${id}`, withTool = false): AssistantMessage => ({
  id, role: 'assistant', state: 'done', deltas: 1, info: { ...emptyInfo(), steps: withTool ? 2 : 1 },
  parts: withTool
    ? [{ kind: 'toolCall', step: 0, id: `call-${id}`, name: 'read_file', arguments: '{"path":"a.ts"}', state: 'done', result: `contents for ${id}` }, { kind: 'text', step: 1, text }]
    : [{ kind: 'text', step: 0, text }],
});
/** n turns; every other answer made a tool call. */
const turns = (n: number): TranscriptMessage[] => Array.from({ length: n }, (_, i) => [user(`u${i}`), reply(`a${i}`, `answer ${i}`, i % 2 === 1)]).flat();

/** Every assistant message with tool_calls is followed by exactly its tool results. */
function toolPairsIntact(msgs: ChatMessage[]): boolean {
  for (let i = 0; i < msgs.length; i++) {
    const calls = msgs[i].tool_calls;
    if (!calls) continue;
    const results = msgs.slice(i + 1, i + 1 + calls.length);
    if (!calls.every((c, k) => results[k]?.role === 'tool' && results[k].tool_call_id === c.id)) return false;
  }
  return msgs.filter((m) => m.role === 'tool').every((t) => msgs.some((m) => m.tool_calls?.some((c) => c.id === t.tool_call_id)));
}

suite('compaction: what is kept verbatim and what is summarized', () => {
  test('the first user message and the last two turns stay; whole turns in between are covered, tool calls with their results', () => {
    const msgs = turns(6);
    const covers = chooseCovered(msgs)!;
    assert.deepEqual(covers, ['a0', 'u1', 'a1', 'u2', 'a2', 'u3', 'a3']);
    const c: CompactionMessage = { id: 'c', role: 'compaction', state: 'done', covers, reason: 'manual', summary: 'S', tokensBefore: 0, tokensAfter: 0, modelId: 'm', costNanos: 0, costUnknown: false };
    const sent = toChatMessages([...msgs, c]);
    assert.deepEqual(sent.map((m) => m.role), ['user', 'user', 'user', 'assistant', 'user', 'assistant', 'tool', 'assistant']);
    assert.equal(sent[0].content, 'question u0');
    assert.equal(sent[1].content, `${SUMMARY_PREFIX}\n\nS`);
    assert.ok(toolPairsIntact(sent));
  });

  test('random transcripts: the pairs stay intact and the head and tail stay verbatim, whatever is covered (seed printed)', () => {
    const seed = Number(process.env.COMPACTION_SEED ?? 20261130);
    console.log(`    seed ${seed} (COMPACTION_SEED to replay)`);
    let x = seed;
    const rnd = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 200; run++) {
      const n = 3 + Math.floor(rnd() * 10);
      const msgs = Array.from({ length: n }, (_, i) => [user(`u${i}`), reply(`a${i}`, `answer ${i}`, rnd() < 0.5)]).flat();
      const covers = chooseCovered(msgs, 1 + Math.floor(rnd() * 2))!;
      const c: CompactionMessage = { id: 'c', role: 'compaction', state: 'done', covers, reason: 'threshold', summary: 'S', tokensBefore: 0, tokensAfter: 0, modelId: null, costNanos: 0, costUnknown: false };
      const sent = toChatMessages([...msgs, c]);
      assert.ok(toolPairsIntact(sent), `run ${run}`);
      assert.equal(sent[0].content, 'question u0');
      assert.ok(!covers.includes(`u${n - 1}`) && !covers.includes(`a${n - 1}`));
      assert.equal(sent.filter((m) => String(m.content).startsWith(SUMMARY_PREFIX)).length, 1, 'the summary is sent once');
    }
  });

  test('too short to compact: nothing is covered; an undone compaction sends everything again', () => {
    assert.equal(chooseCovered(turns(2)), undefined);
    const msgs = turns(5);
    const c: CompactionMessage = { id: 'c', role: 'compaction', state: 'undone', covers: chooseCovered(msgs)!, reason: 'manual', summary: 'S', tokensBefore: 0, tokensAfter: 0, modelId: null, costNanos: 0, costUnknown: false };
    assert.deepEqual(toChatMessages([...msgs, c]), toChatMessages(msgs));
  });

  test('a second compaction folds the first summary in and covers what both cover', () => {
    const msgs = turns(5);
    const first: CompactionMessage = { id: 'c1', role: 'compaction', state: 'done', covers: chooseCovered(msgs)!, reason: 'manual', summary: 'FIRST', tokensBefore: 0, tokensAfter: 0, modelId: null, costNanos: 0, costUnknown: false };
    const more = [...msgs, first, ...turns(8).slice(10)];
    const covers = chooseCovered(more)!;
    assert.ok(first.covers.every((id) => covers.includes(id)));
    const req = summaryRequest(more, covers);
    assert.match(String(req[1].content), /Earlier summary \(fold it in\):\nFIRST/);
    assert.doesNotMatch(String(req[1].content), /answer 1\b/, 'what the first summary covers is not sent again in full');
    assert.match(String(req[0].content), /file path/);
  });
});

class MemoryStore implements ConversationStore {
  items = new Map<string, Conversation>();
  current: string | undefined;
  list(): ConversationSummary[] {
    return [];
  }
  load(id: string) {
    return structuredClone(this.items.get(id));
  }
  save(c: Conversation) {
    this.items.set(c.id, structuredClone(c));
  }
  currentId() {
    return this.current;
  }
  setCurrentId(id: string) {
    this.current = id;
  }
}

suite('compaction in the session: before a request past the threshold, on demand, and Undo', () => {
  function harness(opts: { contextTokens: number; summarize?: CompactionDeps['summarize'] }) {
    const requests: ChatMessage[][] = [];
    const summaries: ChatMessage[][] = [];
    let id = 0;
    const session = new ChatSession({
      store: new MemoryStore(),
      newId: () => `m${++id}`,
      coalesceMs: 1,
      stream: (messages) => {
        requests.push(structuredClone(messages));
        return (async function* (): AsyncGenerator<BrokerEvent> {
          yield { kind: 'text', text: `reply ${requests.length} `.repeat(30) };
          yield { kind: 'done', finishReason: 'stop', model: null, modelId: 'm' };
        })();
      },
      compaction: {
        threshold: () => 0.8,
        estimate: (messages) => ({ promptTokens: estimateChars(messages), contextTokens: opts.contextTokens }),
        summarize: opts.summarize ?? (async (req) => {
          summaries.push(req);
          return { text: 'the task; decisions; src/a.ts; pending: tests', modelId: 'cheap', costNanos: 1000, costUnknown: false };
        }),
      },
    });
    return { session, requests, summaries };
  }

  test('a request that would pass the threshold is preceded by a compaction card, and goes out with the summary instead', async () => {
    const { session, requests, summaries } = harness({ contextTokens: 700 });
    for (let i = 0; i < 6; i++) await session.send(`question ${i} ${'words '.repeat(40)}`);
    assert.ok(summaries.length >= 1, 'a summary was asked for');
    const card = session.messages.find((m): m is CompactionMessage => m.role === 'compaction')!;
    assert.equal(card.state, 'done');
    assert.equal(card.reason, 'threshold');
    assert.ok(card.tokensAfter! < card.tokensBefore);
    assert.equal(card.modelId, 'cheap');
    const last = requests.at(-1)!;
    assert.ok(last.some((m) => String(m.content).startsWith(SUMMARY_PREFIX)));
    assert.ok(estimateChars(last) <= 700 * 0.8 || summaries.length > 1);
    assert.equal(session.messages.filter((m) => m.role === 'user').length, 6, 'the original messages stay in the conversation');
  });

  test('a failed compaction sends the full history when it fits, and says plainly when it does not', async () => {
    const failing = harness({ contextTokens: 700, summarize: async () => { throw new Error('the summary model is down'); } });
    for (let i = 0; i < 6; i++) await failing.session.send(`q${i} ${'words '.repeat(40)}`);
    const card = failing.session.messages.find((m): m is CompactionMessage => m.role === 'compaction');
    assert.equal(card?.state, 'failed');
    assert.match(card?.error ?? '', /summary model is down/);
    const tiny = harness({ contextTokens: 200, summarize: async () => { throw new Error('down'); } });
    const before = tiny.requests.length;
    for (let i = 0; i < 5; i++) await tiny.session.send(`q${i} ${'words '.repeat(60)}`);
    const last = tiny.session.messages.at(-1) as AssistantMessage;
    assert.equal(last.state, 'error');
    assert.match(last.error?.message ?? '', /longer than the model's context window .* compacting it failed: down/);
    assert.ok(tiny.requests.length - before < 5, 'no request is sent once the history cannot fit');
  });

  test('Compact Conversation on demand, then Undo: the next request carries the full history again', async () => {
    const { session, requests } = harness({ contextTokens: 1_000_000 });
    for (let i = 0; i < 5; i++) await session.send(`q${i}`);
    assert.equal(await session.compact(), true);
    const card = session.messages.at(-1) as CompactionMessage;
    assert.equal(card.reason, 'manual');
    await session.send('after compaction');
    assert.ok(requests.at(-1)!.some((m) => String(m.content).startsWith(SUMMARY_PREFIX)));
    assert.equal(session.undoCompaction(card.id), true);
    await session.send('after undo');
    assert.ok(!requests.at(-1)!.some((m) => String(m.content).startsWith(SUMMARY_PREFIX)));
    assert.ok(requests.at(-1)!.some((m) => m.content === 'q1'));
    assert.equal(session.undoCompaction(card.id), false, 'undo only once');
  });

  test('a summary no shorter than what it would replace is not used: the card says so and the history is sent in full', async () => {
    const { session, requests } = harness({ contextTokens: 1_000_000, summarize: async () => ({ text: 'padding '.repeat(2000), modelId: 'cheap', costNanos: 5, costUnknown: false }) });
    for (let i = 0; i < 5; i++) await session.send(`q${i}`);
    assert.equal(await session.compact(), false);
    const card = session.messages.at(-1) as CompactionMessage;
    assert.equal(card.state, 'failed');
    assert.match(card.error ?? '', /not shorter than the history it would replace/);
    await session.send('next');
    assert.ok(!requests.at(-1)!.some((m) => String(m.content).startsWith(SUMMARY_PREFIX)));
  });
});
