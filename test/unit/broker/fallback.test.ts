import { strict as assert } from 'node:assert';
import { BrokerError, chatStreamWithFallback, CooldownRegistry, MAX_COOLDOWN_MS, type BrokerEvent, type ChatOptions, type ModelConfig } from '../../../src/broker';
import { SseServer } from '../../support/sseServer';
import { collect, modelAt, SSE_HEADERS, sseBody } from './brokerTestKit';

const JSON_HEADERS = { 'content-type': 'application/json' };
const err = (status: number, code: string, headers: Record<string, string> = {}) => ({
  status,
  headers: { ...JSON_HEADERS, ...headers },
  body: JSON.stringify({ error: { message: `failure ${code}`, code } }),
});

suite('broker: fallback chains and cooldowns', () => {
  let a: SseServer;
  let b: SseServer;
  let c: SseServer;
  let clock: number;
  let cooldowns: CooldownRegistry;
  let chain: ModelConfig[];
  const opts = (): ChatOptions => ({ cooldowns, timeoutMs: 2000, idleTimeoutMs: 2000 });
  const msgs = [{ role: 'user' as const, content: 'hi' }];

  suiteSetup(async () => {
    [a, b, c] = await Promise.all([SseServer.start(), SseServer.start(), SseServer.start()]);
  });
  suiteTeardown(() => Promise.all([a.close(), b.close(), c.close()]));
  setup(() => {
    for (const s of [a, b, c]) s.reset();
    clock = 1_000_000;
    cooldowns = new CooldownRegistry(() => clock);
    chain = [modelAt(a.url, { id: 'A' }), modelAt(b.url, { id: 'B' }), modelAt(c.url, { id: 'C' })];
  });

  test('a failure before any output moves to the next model with a fallback event', async () => {
    a.respond(err(500, 'server_error'));
    b.respond({ headers: SSE_HEADERS, body: sseBody(['from B']) });
    const out = await collect(chatStreamWithFallback(chain, msgs, opts()));
    assert.equal(out.error, undefined);
    const [fb, text, done] = out.events as [Extract<BrokerEvent, { kind: 'fallback' }>, BrokerEvent, Extract<BrokerEvent, { kind: 'done' }>];
    assert.equal(fb.kind, 'fallback');
    assert.equal(fb.from, 'A');
    assert.equal(fb.to, 'B');
    assert.equal(fb.error.kind, 'http');
    assert.equal(fb.error.status, 500);
    assert.deepEqual(text, { kind: 'text', text: 'from B' });
    assert.equal(done.modelId, 'B');
    assert.equal(c.requests.length, 0);
  });

  test('every failure kind but aborted falls back: config, transport, timeout, shape', async () => {
    const dead = await SseServer.start();
    const deadUrl = dead.url;
    await dead.close();
    const stalled = await SseServer.start();
    stalled.respond({ stallBeforeHeaders: true });
    a.respond({ headers: JSON_HEADERS, body: '{"id":"x","choices":[{"message":{"content":"not streamed"}}]}' });
    b.respond({ headers: SSE_HEADERS, body: sseBody(['finally']) });
    const longChain = [
      modelAt(a.url, { id: 'noKey', keyEnv: 'UNSET_VAR' }),
      modelAt(deadUrl, { id: 'dead' }),
      modelAt(stalled.url, { id: 'stalled', timeoutMs: 50 }),
      modelAt(a.url, { id: 'shape' }),
      modelAt(b.url, { id: 'B' }),
    ];
    const out = await collect(chatStreamWithFallback(longChain, msgs, { ...opts(), env: {}, timeoutMs: undefined }));
    await stalled.close();
    assert.equal(out.error, undefined, out.error?.message);
    const kinds = out.events.filter((e) => e.kind === 'fallback').map((e) => (e as Extract<BrokerEvent, { kind: 'fallback' }>).error.kind);
    assert.deepEqual(kinds, ['config', 'transport', 'timeout', 'shape']);
    assert.deepEqual(out.events.at(-2), { kind: 'text', text: 'finally' });
  });

  test('a failure after output began is thrown with the partial text, never falls back', async () => {
    a.respond({ headers: SSE_HEADERS, body: 'data: {"choices":[{"index":0,"delta":{"content":"half"}}]}\n\n' });
    b.respond({ headers: SSE_HEADERS, body: sseBody(['B answer']) });
    const out = await collect(chatStreamWithFallback(chain, msgs, opts()));
    assert.equal(out.error?.kind, 'transport');
    assert.equal(out.error?.partialText, 'half');
    assert.equal(out.error?.modelId, 'A');
    assert.deepEqual(out.error?.attempts?.map((x) => x.modelId), ['A']);
    assert.equal(b.requests.length, 0);
    assert.ok(!out.events.some((e) => e.kind === 'fallback'));
  });

  test('reasoning or a tool call counts as output: no fallback after it', async () => {
    a.respond({ headers: SSE_HEADERS, body: 'data: {"choices":[{"index":0,"delta":{"reasoning_content":"hmm"}}]}\n\n' });
    const out = await collect(chatStreamWithFallback(chain, msgs, opts()));
    assert.equal(out.error?.kind, 'transport');
    assert.equal(b.requests.length, 0);
  });

  test('an abort never falls back', async () => {
    a.respond({ stallBeforeHeaders: true });
    const ac = new AbortController();
    const run = collect(chatStreamWithFallback(chain, msgs, { ...opts(), signal: ac.signal }));
    while (a.requests.length === 0) await new Promise((r) => setTimeout(r, 2));
    ac.abort();
    const out = await run;
    assert.equal(out.error?.kind, 'aborted');
    assert.equal(b.requests.length, 0);
    assert.deepEqual(out.events, []);
  });

  test('when all fail, the last error is thrown with every attempt listed in order', async () => {
    a.respond(err(500, 'e_a'));
    b.respond(err(502, 'e_b'));
    c.respond(err(400, 'e_c'));
    const out = await collect(chatStreamWithFallback(chain, msgs, opts()));
    assert.equal(out.error?.code, 'e_c');
    assert.equal(out.error?.modelId, 'C');
    assert.deepEqual(out.error?.attempts?.map((x) => [x.modelId, x.error.code]), [['A', 'e_a'], ['B', 'e_b'], ['C', 'e_c']]);
    assert.equal(out.events.filter((e) => e.kind === 'fallback').length, 2);
  });

  test("a failed attempt's usage is yielded, attributed to that model, before the fallback", async () => {
    a.respond({ headers: SSE_HEADERS, body: 'data: {"choices":[],"usage":{"prompt_tokens":50,"completion_tokens":0,"total_tokens":50}}\n\ndata: {"error":{"message":"moderation"}}\n\n' });
    b.respond({ headers: SSE_HEADERS, body: sseBody(['ok'], { usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } }) });
    const out = await collect(chatStreamWithFallback(chain, msgs, opts()));
    const usages = out.events.filter((e) => e.kind === 'usage').map((e) => (e as Extract<BrokerEvent, { kind: 'usage' }>).usage);
    assert.deepEqual(usages.map((u) => [u.modelId, u.totalTokens]), [['A', 50], ['B', 6]]);
    assert.deepEqual(out.events.map((e) => e.kind), ['usage', 'fallback', 'text', 'usage', 'done']);
  });

  test('a 429 with a retry hint cools the model down: later requests skip it until the hint expires', async () => {
    a.respond(err(429, 'rate_limit_exceeded', { 'retry-after': '20' }));
    b.respond({ headers: SSE_HEADERS, body: sseBody(['one']) }, { headers: SSE_HEADERS, body: sseBody(['two']) });
    await collect(chatStreamWithFallback(chain, msgs, opts()));
    assert.equal(cooldowns.remainingMs('A'), 20_000);

    clock += 10_000;
    const second = await collect(chatStreamWithFallback(chain, msgs, opts()));
    assert.equal(a.requests.length, 1, 'A was skipped while cooling down');
    assert.ok(!second.events.some((e) => e.kind === 'fallback'), 'skipping is silent');
    assert.equal(b.requests.length, 2);

    clock += 10_001;
    a.respond({ headers: SSE_HEADERS, body: sseBody(['A is back']) });
    const third = await collect(chatStreamWithFallback(chain, msgs, opts()));
    assert.equal(a.requests.length, 2);
    assert.deepEqual(third.events[0], { kind: 'text', text: 'A is back' });
  });

  test('a 503 with a retry hint cools down; a 429 without one does not', async () => {
    a.respond(err(503, 'overloaded', { 'retry-after': '5' }));
    b.respond(err(429, 'rate_limit_exceeded'));
    c.respond({ headers: SSE_HEADERS, body: sseBody(['c']) });
    await collect(chatStreamWithFallback(chain, msgs, opts()));
    assert.equal(cooldowns.remainingMs('A'), 5000);
    assert.equal(cooldowns.remainingMs('B'), 0);
  });

  test('402 and insufficient_quota cool down for the cap; long hints are capped at 10 minutes', async () => {
    a.respond(err(402, 'payment_required'));
    b.respond(err(429, 'insufficient_quota'));
    c.respond(err(429, 'rate_limit_exceeded', { 'retry-after': '3600' }));
    const out = await collect(chatStreamWithFallback(chain, msgs, opts()));
    assert.equal(out.error?.kind, 'http');
    assert.equal(cooldowns.remainingMs('A'), MAX_COOLDOWN_MS);
    assert.equal(cooldowns.remainingMs('B'), MAX_COOLDOWN_MS);
    assert.equal(cooldowns.remainingMs('C'), MAX_COOLDOWN_MS);
    assert.equal(MAX_COOLDOWN_MS, 600_000);
  });

  test('when every model is cooling down, the one that frees first is tried', async () => {
    cooldowns.noteFailure('A', new BrokerError('http', 'x', { status: 429, retryAfterMs: 30_000 }));
    cooldowns.noteFailure('B', new BrokerError('http', 'x', { status: 429, retryAfterMs: 5_000 }));
    cooldowns.noteFailure('C', new BrokerError('http', 'x', { status: 429, retryAfterMs: 60_000 }));
    b.respond({ headers: SSE_HEADERS, body: sseBody(['B frees first']) });
    const out = await collect(chatStreamWithFallback(chain, msgs, opts()));
    assert.equal(out.error, undefined);
    assert.deepEqual([a.requests.length, b.requests.length, c.requests.length], [0, 1, 0]);
    assert.equal(cooldowns.remainingMs('B'), 0, 'a success ends the cooldown');
  });

  test('an empty chain is a config error', async () => {
    const out = await collect(chatStreamWithFallback([], msgs, opts()));
    assert.equal(out.error?.kind, 'config');
  });
});
