import { strict as assert } from 'node:assert';
import { envKeyResolver, type Usage } from '../../../../src/broker';
import { ChatSession, type Conversation, type ConversationStore, type SessionUpdate } from '../../../../src/chat/chatSession';
import { ModelRunner } from '../../../../src/chat/modelRunner';
import { planSummary, type SummaryPlan, type SummarySource } from '../../../../src/chat/summarize/plan';
import { streamSummary, type SummaryRequests } from '../../../../src/chat/summarize/streamSummary';
import type { ModelSettings } from '../../../../src/config/settingsTypes';
import { answerText, type AssistantMessage } from '../../../../src/protocol/transcript';
import type { UnknownUsage } from '../../../../src/usage/record';
import { settingsWith } from '../../../support/settingsKit';
import { SummaryServer } from '../../../support/summaryServer';

class MemoryStore implements ConversationStore {
  saved: Conversation | undefined;
  current: string | undefined;
  list() {
    return [];
  }
  load() {
    return undefined;
  }
  save(c: Conversation) {
    this.saved = structuredClone(c);
  }
  currentId() {
    return this.current;
  }
  setCurrentId(id: string) {
    this.current = id;
  }
}

const source = (lines: number): SummarySource => ({
  file: 'src/big.ts',
  language: 'typescript',
  startLine: 1,
  endLine: lines,
  text: Array.from({ length: lines }, (_, i) => `export const value${String(i).padStart(4, '0')} = compute(${i}); // line ${i + 1}\n`).join(''),
});

suite('summarize: parts in parallel, a streamed combining pass, in the chat session, against a loopback server', () => {
  let server: SummaryServer;
  let down: SummaryServer;
  setup(async () => {
    server = await SummaryServer.start({ delayMs: 30, cost: 0.001 });
    down = await SummaryServer.start({ override: () => ({ status: 503, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"overloaded"}}' }) });
  });
  teardown(async () => {
    await Promise.all([server.close(), down.close()]);
  });

  function harness(chain: string[] = ['cheap']) {
    const models: ModelSettings[] = [
      { id: 'cheap', endpoint: server.url, model: 'cheap-1', contextTokens: 1500 },
      { id: 'down', endpoint: down.url, model: 'down-1', contextTokens: 1500 },
      { id: 'chatty', endpoint: server.url, model: 'chat-1' },
    ];
    const recorded: (Usage | UnknownUsage)[] = [];
    const runner = new ModelRunner({
      settings: () => settingsWith(models, { chat: ['chatty'], cheap: chain }, { summarize: 'cheap' }),
      resolveKey: envKeyResolver({}),
      record: (u) => recorded.push(u),
    });
    const requests: SummaryRequests = {
      complete: (messages, signal) => runner.complete('summarize', messages, { signal }),
      stream: (messages, signal) => runner.stream('summarize', messages, { signal }),
    };
    let n = 0;
    const store = new MemoryStore();
    const session = new ChatSession({ store, newId: () => `id${++n}`, coalesceMs: 5, stream: (messages, { signal }) => runner.stream('chat', messages, { signal }) });
    const updates: SessionUpdate[] = [];
    session.onDidUpdate((u) => updates.push(u));
    const progress: string[] = [];
    const run = (plan: SummaryPlan) => session.runExchange({
      title: plan.title,
      text: `Summarize ${plan.title}`,
      stream: ({ signal, progress: show }) => streamSummary(plan, requests, signal, (t) => {
        progress.push(t);
        show(t);
      }),
    });
    return { runner, recorded, session, store, updates, progress, run, first: models[0] };
  }

  test('a long selection: one request per part with at most `parallel` at once, then the combining pass streams the answer', async () => {
    const h = harness();
    const plan = planSummary(source(800), h.first, { confirmAboveUsd: 0.1, parallel: 3, prompt: '' });
    const n = plan.chunks.length;
    assert.ok(n >= 7, `${n} parts`);
    const answer = await h.run(plan);
    assert.equal(answer.state, 'done', JSON.stringify(answer.error));
    const parts = server.asked.filter((a) => a.kind === 'part');
    const combine = server.asked.filter((a) => a.kind === 'combine');
    assert.equal(parts.length, n);
    assert.equal(combine.length, 1);
    assert.equal(server.asked.at(-1)!.kind, 'combine', 'the combining pass comes after every part');
    assert.equal(server.maxInFlight, 3, 'parts run three at once, never more');
    assert.deepEqual(parts.map((p) => /part (\d+) of/.exec(p.user)![1]).sort((a, b) => +a - +b), plan.chunks.map((_, i) => String(i + 1)));
    for (const p of parts) assert.match(p.user, /^File: src\/big\.ts \(typescript\), lines \d+-\d+: part \d+ of \d+/);
    // The combining pass lists every part's summary in line order.
    const listed = [...combine[0].user.matchAll(/### Part (\d+) of \d+ \(lines (\d+-\d+)\)\n\nsummary of lines (\d+-\d+)/g)];
    assert.deepEqual(listed.map((m) => m[2]), plan.chunks.map((c) => `${c.startLine}-${c.endLine}`));
    assert.deepEqual(listed.map((m) => m[3]), listed.map((m) => m[2]));
    assert.match(answerText(answer), /^Combined summary of lines 1-800/);
    // Every call is recorded under summarize, and the answer's info sums all of them.
    assert.equal(h.recorded.length, n + 1);
    assert.ok(h.recorded.every((u) => u.category === 'summarize' && u.modelId === 'cheap'));
    assert.equal(answer.info.costNanos, (n + 1) * 1_000_000);
    assert.equal(answer.info.modelId, 'cheap');
    assert.equal(answer.progress, undefined, 'progress is cleared when the answer ends');
    assert.equal(h.progress[0], `part 1 of ${n}`);
    assert.ok(h.progress.includes(`part 3 of ${n}`));
    assert.equal(h.progress.at(-1), `combining ${n} parts`);
    const shown = h.updates.flatMap((u) => (u.type === 'upsert' && u.message.role === 'assistant' && u.message.progress ? [u.message.progress] : []));
    assert.ok(shown.includes(`part 3 of ${n}`), 'the view is told "part 3 of N"');
    const user = h.session.messages[0];
    assert.equal(user.role === 'user' && user.title, plan.title);
    assert.equal(h.store.saved?.title, plan.title, 'the first exchange names the conversation');
  });

  test('an exchange is refused while an answer streams, and adds nothing', async () => {
    const h = harness();
    server.options.delayMs = 200;
    const plan = planSummary(source(20), h.first, { confirmAboveUsd: 0.1, parallel: null, prompt: '' });
    const first = h.run(plan);
    await assert.rejects(h.run(plan), /an answer is still streaming; stop it first/);
    await first;
    assert.equal(h.session.messages.length, 2, 'one exchange: its user message and its answer');
  });

  test('part summaries too long to combine in one request are combined in groups first, then once more', async () => {
    const h = harness();
    server.options.summaryChars = 2000; // 500 tokens each against a budget of about 1,000 per request
    const plan = planSummary(source(800), h.first, { confirmAboveUsd: 0.1, parallel: 4, prompt: '' });
    const n = plan.chunks.length;
    const answer = await h.run(plan);
    assert.equal(answer.state, 'done', JSON.stringify(answer.error));
    const combines = server.asked.filter((a) => a.kind === 'combine');
    assert.ok(combines.length >= 3, `${combines.length} combining requests for ${n} parts`);
    const final = combines.at(-1)!;
    assert.match(final.user, /^File: src\/big\.ts \(typescript\), lines 1-800, summarized in \d+ parts/);
    const groups = [...final.user.matchAll(/\(lines (\d+)-(\d+)\)/g)].map((m) => [+m[1], +m[2]]);
    assert.equal(groups[0][0], 1);
    assert.equal(groups.at(-1)![1], 800);
    for (let i = 1; i < groups.length; i++) assert.equal(groups[i][0], groups[i - 1][1] + 1, 'the groups cover the selection in order');
    for (const c of combines) assert.ok(c.user.length / 4 <= 1500, 'every combining request fits the context');
    assert.equal(h.recorded.length, server.asked.length);
  });

  test('a selection that fits is one streamed request, no combining pass', async () => {
    const h = harness();
    const plan = planSummary(source(20), h.first, { confirmAboveUsd: 0.1, parallel: null, prompt: '' });
    const answer = await h.run(plan);
    assert.equal(answer.state, 'done');
    assert.deepEqual(server.asked.map((a) => a.kind), ['whole']);
    assert.equal(answerText(answer), 'summary of lines 1-20');
    assert.equal(h.recorded.length, 1);
    assert.equal(h.recorded[0].category, 'summarize');
  });

  test('loopback endpoints get one request at a time by default', async () => {
    const h = harness();
    const plan = planSummary(source(400), h.first, { confirmAboveUsd: 0.1, parallel: null, prompt: '' });
    assert.equal(plan.parallel, 1);
    await h.run(plan);
    assert.equal(server.maxInFlight, 1);
  });

  test('Stop while parts run keeps the summaries that arrived, marked stopped; the requests in flight are cancelled', async () => {
    const h = harness();
    server.options.delayMs = 0;
    const plan = planSummary(source(800), h.first, { confirmAboveUsd: 0.1, parallel: 2, prompt: '' });
    // The first two parts answer at once; the rest never do.
    server.options.override = (req) => (req.kind === 'part' && !/part [12] of/.test(req.user) ? { stallBeforeHeaders: true } : undefined);
    const done = h.run(plan);
    while (h.progress.length < 3) await new Promise((r) => setTimeout(r, 5));
    while (server.asked.length < 4) await new Promise((r) => setTimeout(r, 5));
    await h.session.stop();
    const answer = await done;
    assert.equal(answer.state, 'stopped');
    const text = answerText(answer);
    assert.match(text, new RegExp(`^Only 2 of ${plan.chunks.length} parts were summarized`));
    assert.ok(text.includes(`summary of lines ${plan.chunks[0].startLine}-${plan.chunks[0].endLine}`));
    assert.ok(text.includes(`summary of lines ${plan.chunks[1].startLine}-${plan.chunks[1].endLine}`));
    const stalled = server.asked.filter((a) => a.kind === 'part' && !/part [12] of/.test(a.user));
    await Promise.all(stalled.map((a) => a.record.disconnected));
    assert.equal(server.asked.filter((a) => a.kind === 'combine').length, 0);
    assert.equal(answer.info.costNanos, 2_000_000, 'the two finished parts are counted');
  });

  test('Stop during the combining pass keeps the streamed part of the combined summary', async () => {
    const h = harness();
    server.options = { delayMs: 0, cost: 0.001, combinePieces: 50, pieceDelayMs: 20 };
    const plan = planSummary(source(400), h.first, { confirmAboveUsd: 0.1, parallel: 4, prompt: '' });
    const done = h.run(plan);
    while (!answerTextOf(h.session.messages.at(-1)).startsWith('Combined')) await new Promise((r) => setTimeout(r, 5));
    await h.session.stop();
    const answer = await done;
    assert.equal(answer.state, 'stopped');
    assert.match(answerText(answer), /^Combined summary/);
    assert.ok(answerText(answer).length < 'the whole selection, described. '.length * 50, 'the answer stopped part-way');
  });

  test('a part that fails ends the summary with the error as in chat, keeping the parts that arrived', async () => {
    const h = harness();
    server.options.delayMs = 0;
    const plan = planSummary(source(800), h.first, { confirmAboveUsd: 0.1, parallel: 1, prompt: '' });
    server.options.override = (req) => (/part 3 of/.test(req.user) ? { status: 400, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"context length exceeded","code":"context_length_exceeded"}}' } : undefined);
    const answer = await h.run(plan);
    assert.equal(answer.state, 'error');
    assert.equal(answer.error?.kind, 'http');
    assert.match(answer.error!.message, /context length exceeded/);
    assert.ok(answer.error!.actions.includes('showLog'));
    assert.match(answerText(answer), new RegExp(`^Only 2 of ${plan.chunks.length} parts`));
    assert.equal(server.asked.length, 3, 'no part is asked after the failure');
  });

  test('when the chain\'s first model is down every part falls back, with one note, and usage goes to the model that answered', async () => {
    const h = harness(['down', 'cheap']);
    const plan = planSummary(source(800), h.first, { confirmAboveUsd: 0.1, parallel: 2, prompt: '' });
    const answer = await h.run(plan);
    assert.equal(answer.state, 'done', JSON.stringify(answer.error));
    assert.deepEqual(answer.info.fallbacks.map((f) => [f.from, f.to]), [['down', 'cheap']]);
    assert.ok(h.recorded.every((u) => u.modelId === 'cheap' && u.category === 'summarize'));
    assert.equal(answer.info.modelId, 'cheap');
  });

  test('Retry runs a failed summary again, through the same parts', async () => {
    const h = harness();
    let fail = true;
    server.options.override = (req) => (fail && req.kind === 'combine' ? { status: 500, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"boom"}}' } : undefined);
    const plan = planSummary(source(400), h.first, { confirmAboveUsd: 0.1, parallel: 4, prompt: '' });
    assert.equal((await h.run(plan)).state, 'error');
    fail = false;
    await h.session.retry();
    const answer = h.session.messages.at(-1) as AssistantMessage;
    assert.equal(answer.state, 'done');
    assert.match(answerText(answer), /^Combined summary of lines 1-400/);
    assert.equal(h.session.messages.length, 2, 'the same exchange, answered again');
  });

  test('a follow-up question in chat sees the summary and the selection it was about', async () => {
    const h = harness();
    const plan = planSummary(source(20), h.first, { confirmAboveUsd: 0.1, parallel: null, prompt: '' });
    await h.run(plan);
    await h.session.send('and what does line 3 do?');
    const followUp = server.asked.at(-1)!.record.json<{ model: string; messages: { role: string; content: string }[] }>();
    assert.equal(followUp.model, 'chat-1', 'the follow-up runs on the chat chain');
    assert.deepEqual(followUp.messages.map((m) => m.role), ['user', 'assistant', 'user']);
    assert.equal(followUp.messages[1].content, 'summary of lines 1-20');
  });
});

function answerTextOf(m: unknown): string {
  return m && (m as AssistantMessage).role === 'assistant' ? answerText(m as AssistantMessage) : '';
}
