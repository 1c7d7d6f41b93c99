import { strict as assert } from 'node:assert';
import { BrokerError, envKeyResolver, type ChatMessage, type Usage } from '../../../src/broker';
import { ModelRunner, PURPOSE_CATEGORY, estimateChars } from '../../../src/chat/modelRunner';
import { StoredKeyOrigins } from '../../../src/config/keyOrigins';
import type { ModelSettings } from '../../../src/config/settingsTypes';
import type { UnknownUsage } from '../../../src/usage/record';
import { DONE, sse } from '../../fixtures/providers/build';
import { SseServer, type RecordedRequest } from '../../support/sseServer';
import { settingsWith } from '../../support/settingsKit';

const answer = (text: string, cost?: number) => ({
  status: 200,
  headers: { 'content-type': 'text/event-stream' },
  body: sse(
    { choices: [{ index: 0, delta: { content: text } }] },
    { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
    { choices: [], usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10, ...(cost === undefined ? {} : { cost }) } },
    DONE,
  ),
});
const q: ChatMessage[] = [{ role: 'user', content: 'hi' }];

suite('model runner: one way to call a model, for every purpose', () => {
  let cheap: SseServer;
  let strong: SseServer;
  let down: SseServer;
  setup(async () => {
    cheap = await SseServer.start();
    cheap.setDefault(answer('from cheap', 0.001));
    strong = await SseServer.start();
    strong.setDefault(answer('from strong', 0.01));
    down = await SseServer.start();
    down.setDefault({ status: 503, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"overloaded"}}' });
  });
  teardown(async () => {
    await Promise.all([cheap.close(), strong.close(), down.close()]);
  });

  function runner(purposes = {}, env: Record<string, string> = {}) {
    const models: ModelSettings[] = [
      { id: 'cheap', endpoint: cheap.url, model: 'c' },
      { id: 'strong', endpoint: strong.url, model: 's', contextTokens: 1000 },
      { id: 'down', endpoint: down.url, model: 'd' },
    ];
    const recorded: (Usage | UnknownUsage)[] = [];
    const r = new ModelRunner({
      settings: () => settingsWith(models, { chat: ['down', 'cheap'], cheap: ['cheap'], strong: ['strong'] }, purposes),
      resolveKey: envKeyResolver(env),
      record: (u) => recorded.push(u),
    });
    return { r, recorded };
  }

  test('each purpose runs on its own chain and is recorded under its own category', async () => {
    const { r, recorded } = runner({ probe: 'cheap', memory_summarize: 'cheap', delegate: 'strong' });
    assert.equal((await r.complete('probe', q)).text, 'from cheap');
    assert.equal((await r.complete('memory_summarize', q)).text, 'from cheap');
    assert.equal((await r.complete('delegate', q)).text, 'from strong');
    assert.deepEqual(recorded.map((u) => [u.modelId, u.category]), [['cheap', 'probe'], ['cheap', 'memory_summarize'], ['strong', 'delegate']]);
  });

  test('the chain falls back and usage goes to the model that answered; complete() sums known cost', async () => {
    const { r, recorded } = runner();
    const out = await r.complete('chat', q);
    assert.equal(out.text, 'from cheap');
    assert.equal(out.modelId, 'cheap');
    assert.deepEqual(out.fallbacks.map((f) => [f.from, f.to]), [['down', 'cheap']]);
    assert.equal(out.cost, 0.001);
    assert.deepEqual(recorded.map((u) => [u.modelId, u.category]), [['cheap', 'chat']], 'the refused attempt generated nothing and is not recorded');
  });

  test('options reach the request: tools, tool_choice, max_tokens; a picked model replaces the chain', async () => {
    const { r } = runner();
    const tools = [{ type: 'function' as const, function: { name: 'read_file', parameters: { type: 'object' } } }];
    await r.complete('chat', q, { models: ['strong'], tools, toolChoice: 'auto', maxTokens: 4 });
    const body = strong.requests[0].json();
    assert.deepEqual(body.tools, tools);
    assert.equal(body.tool_choice, 'auto');
    assert.equal(body.max_tokens, 4);
    assert.equal(down.requests.length, 0);
  });

  test('requests report their start and end, so the spinner needs no wiring of its own', async () => {
    const { r } = runner();
    const seen: number[] = [];
    r.onDidChangeActivity((n) => seen.push(n));
    await Promise.all([r.complete('chat', q, { models: ['cheap'] }), r.complete('chat', q, { models: ['strong'] })]);
    assert.deepEqual(seen, [1, 2, 1, 0]);
    await assert.rejects(r.complete('chat', q, { models: ['down'] }));
    assert.equal(r.active, 0, 'a failed request ends too');
  });

  test('an empty or unknown chain is a config error before any request', () => {
    const { r } = runner();
    assert.throws(() => r.chain('chat', { models: ['ghost'] }), (e: BrokerError) => e.kind === 'config' && /"ghost" is not configured/.test(e.message));
  });

  test('the key comes from the resolver: sent as a bearer token, and a resolver that refuses stops the request', async () => {
    const keyed = new ModelRunner({
      settings: () => settingsWith([{ id: 'cheap', endpoint: cheap.url, model: 'c', keyEnv: 'CHEAP_KEY' }]),
      resolveKey: envKeyResolver({ CHEAP_KEY: 'sk-test-123' }),
      record: () => {},
    });
    await keyed.complete('chat', q);
    assert.equal(cheap.requests[0].headers.authorization, 'Bearer sk-test-123');
    const refusing = new ModelRunner({
      settings: () => settingsWith([{ id: 'cheap', endpoint: cheap.url, model: 'c' }]),
      resolveKey: () => {
        throw new BrokerError('config', 'the stored key is bound to another origin', { code: 'key_origin_changed' });
      },
      record: () => {},
    });
    await assert.rejects(refusing.complete('chat', q), (e: BrokerError) => e.kind === 'config' && e.code === 'key_origin_changed');
    assert.equal(cheap.requests.length, 1, 'no request without the key decision');
  });

  test('extraBody is merged into the request, but never over the fields Switchboard sets', async () => {
    const r = new ModelRunner({
      settings: () => settingsWith([{ id: 'cheap', endpoint: cheap.url, model: 'c', extraBody: { top_p: 0.5, seed: 7, provider: { order: ['x'] }, model: 'evil', stream: false } }]),
      resolveKey: envKeyResolver({}),
      record: () => {},
    });
    await r.complete('chat', q);
    const body = (cheap.requests as RecordedRequest[])[0].json();
    assert.equal(body.top_p, 0.5);
    assert.equal(body.seed, 7);
    assert.deepEqual(body.provider, { order: ['x'] });
    assert.equal(body.model, 'c');
    assert.equal(body.stream, true);
  });

  test('prompt estimates: characters / 4 without a count; the last reported count plus what was added since', () => {
    const { r } = runner({ delegate: 'strong' });
    const msgs: ChatMessage[] = [{ role: 'user', content: 'x'.repeat(400) }, { role: 'assistant', content: 'y'.repeat(40) }];
    const chars = r.estimate('delegate', msgs);
    assert.equal(chars.source, 'chars');
    assert.equal(chars.promptTokens, estimateChars(msgs));
    assert.equal(chars.contextTokens, 1000);
    const reported = r.estimate('delegate', msgs, { promptTokens: 500, messageCount: 1 });
    assert.equal(reported.source, 'reported');
    assert.equal(reported.promptTokens, 500 + estimateChars(msgs.slice(1)));
  });

  test('the connection check is recorded under probe, like the other overhead', () => {
    assert.equal(PURPOSE_CATEGORY.connection, 'probe');
  });
});

suite('stored keys are bound to the endpoint origin they were stored for', () => {
  test('the same origin passes; another origin is refused with both named; an unbound key binds on first use', () => {
    const o = new StoredKeyOrigins({ a: 'https://openrouter.ai' });
    assert.deepEqual(o.check('a', 'https://openrouter.ai/api/v1'), { ok: true });
    assert.deepEqual(o.check('a', 'https://evil.example/api/v1'), { ok: false, bound: 'https://openrouter.ai', origin: 'https://evil.example' });
    assert.deepEqual(o.check('a', 'http://openrouter.ai/api/v1'), { ok: false, bound: 'https://openrouter.ai', origin: 'http://openrouter.ai' }, 'a scheme change is an origin change');
    assert.deepEqual(o.check('b', 'http://127.0.0.1:8080'), { ok: true });
    assert.equal(o.bound('b'), 'http://127.0.0.1:8080');
    o.bind('a', 'https://evil.example');
    assert.deepEqual(o.check('a', 'https://evil.example/v1'), { ok: true });
    assert.deepEqual(o.toJSON(), { a: 'https://evil.example', b: 'http://127.0.0.1:8080' });
  });
});
