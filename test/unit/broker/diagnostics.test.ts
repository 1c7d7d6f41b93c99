import { strict as assert } from 'node:assert';
import { chatStream, type BrokerLogEntry, type ReplayRecord } from '../../../src/broker';
import { SseServer } from '../../support/sseServer';
import { collect, modelAt, SSE_HEADERS, sseBody } from './brokerTestKit';

const KEY = 'sk-live-SECRET-0123456789abcdef';
const HEADER_SECRET = 'org-PRIVATE-777888999';

suite('broker: diagnostics and secret redaction', () => {
  let server: SseServer;
  suiteSetup(async () => (server = await SseServer.start()));
  suiteTeardown(() => server.close());
  setup(() => server.reset());

  const model = () => modelAt(server.url, { id: 'gpt', keyEnv: 'TEST_KEY', headers: { 'OpenAI-Organization': HEADER_SECRET } });
  const env = { TEST_KEY: KEY };

  test('one log line per request with model id, status, time to first byte, tokens and rate-limit headers', async () => {
    server.respond({
      headers: { ...SSE_HEADERS, 'x-ratelimit-remaining-requests': '99', 'x-ratelimit-reset-tokens': '1.5s' },
      body: sseBody(['hi'], { usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } }),
    });
    const log: BrokerLogEntry[] = [];
    await collect(chatStream(model(), [{ role: 'user', content: 'hi' }], { env, log: (e) => log.push(e) }));
    assert.equal(log.length, 1);
    const e = log[0]!;
    assert.equal(e.type, 'request');
    if (e.type !== 'request') return;
    assert.equal(e.modelId, 'gpt');
    assert.equal(e.status, 200);
    assert.ok(e.ttfbMs !== null && e.ttfbMs >= 0);
    assert.deepEqual([e.promptTokens, e.completionTokens, e.totalTokens], [3, 1, 4]);
    assert.deepEqual(e.rateLimit, { 'x-ratelimit-remaining-requests': '99', 'x-ratelimit-reset-tokens': '1.5s' });
    assert.equal(e.outcome, 'ok');
    assert.match(e.line, /^gpt POST .* status=200 ttfb=\d+ms .*tokens=3\+1=4 outcome=ok x-ratelimit-remaining-requests=99/);
  });

  test('an http failure gets a replay record: request body, status, response headers, first 4 KB of the body', async () => {
    const big = JSON.stringify({ error: { message: 'bad request', code: 'bad', pad: 'x'.repeat(10_000) } });
    server.respond({ status: 400, headers: { 'content-type': 'application/json', 'x-request-id': 'req_1' }, body: big });
    const log: BrokerLogEntry[] = [];
    await collect(chatStream(model(), [{ role: 'user', content: 'question' }], { env, log: (e) => log.push(e) }));
    const replay = log.find((e) => e.type === 'replay') as { record: ReplayRecord } | undefined;
    assert.ok(replay);
    const r = replay.record;
    assert.equal(r.kind, 'http');
    assert.equal(r.status, 400);
    assert.equal(r.responseHeaders['x-request-id'], 'req_1');
    assert.deepEqual((r.requestBody as { messages: unknown }).messages, [{ role: 'user', content: 'question' }]);
    assert.equal(Buffer.byteLength(r.bodyHead), 4096);
    assert.equal(r.bodyHead, big.slice(0, 4096));
    assert.equal(log.filter((e) => e.type === 'request').length, 1);
  });

  test('in-stream api, decode and shape failures get replay records; timeouts and successes do not', async () => {
    const kinds: string[] = [];
    const sink = (e: BrokerLogEntry) => e.type === 'replay' && kinds.push(e.record.kind);
    server.respond({ headers: SSE_HEADERS, body: 'data: {"error":{"message":"boom"}}\n\n' });
    await collect(chatStream(model(), [{ role: 'user', content: 'x' }], { env, log: sink }));
    server.respond({ headers: SSE_HEADERS, body: 'data: {bad\n\n' });
    await collect(chatStream(model(), [{ role: 'user', content: 'x' }], { env, log: sink }));
    server.respond({ headers: SSE_HEADERS, body: 'data: []\n\n' });
    await collect(chatStream(model(), [{ role: 'user', content: 'x' }], { env, log: sink }));
    server.respond({ stallBeforeHeaders: true });
    await collect(chatStream(model(), [{ role: 'user', content: 'x' }], { env, log: sink, timeoutMs: 30 }));
    server.respond({ headers: SSE_HEADERS, body: sseBody(['fine']) });
    await collect(chatStream(model(), [{ role: 'user', content: 'x' }], { env, log: sink }));
    assert.deepEqual(kinds, ['api', 'decode', 'shape']);
  });

  test('neither the key nor a configured header value appears in any log line, replay record or error message, even when the server echoes them', async () => {
    server.respond((req) => ({
      status: 401,
      headers: { 'content-type': 'application/json', 'x-echo-auth': String(req.headers.authorization), 'x-echo-org': String(req.headers['openai-organization']), 'x-ratelimit-limit-requests': `60 for ${KEY}` },
      body: JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY} (org ${HEADER_SECRET})`, code: 'invalid_api_key' } }),
    }));
    const log: BrokerLogEntry[] = [];
    const out = await collect(chatStream(model(), [{ role: 'user', content: 'hi' }], { env, log: (e) => log.push(e) }));
    assert.equal(out.error?.kind, 'http');
    assert.equal(server.requests[0]!.headers.authorization, `Bearer ${KEY}`, 'the key was really sent');
    const everything = JSON.stringify(log) + out.error!.message;
    assert.ok(log.some((e) => e.type === 'replay'));
    assert.ok(!everything.includes(KEY), 'the key leaked');
    assert.ok(!everything.includes(KEY.slice(0, 16)), 'part of the key leaked');
    assert.ok(!everything.includes(HEADER_SECRET), 'a header value leaked');
    assert.match(out.error!.message, /Incorrect API key provided: \[redacted\]/);
  });

  test('a key cut in half at the 4 KB boundary of the replay body is still redacted', async () => {
    const prefix = 'x'.repeat(4096 - 10);
    server.respond({ status: 500, headers: { 'content-type': 'text/plain' }, body: `${prefix}${KEY} tail` });
    const log: BrokerLogEntry[] = [];
    await collect(chatStream(model(), [{ role: 'user', content: 'hi' }], { env, log: (e) => log.push(e) }));
    const r = (log.find((e) => e.type === 'replay') as { record: ReplayRecord }).record;
    assert.ok(!r.bodyHead.includes(KEY.slice(0, 10)), r.bodyHead.slice(-30));
    assert.ok(r.bodyHead.endsWith('[redacted]'));
  });

  test('a throwing log sink does not break the chat', async () => {
    server.respond({ headers: SSE_HEADERS, body: sseBody(['still fine']) });
    const out = await collect(chatStream(model(), [{ role: 'user', content: 'hi' }], { env, log: () => { throw new Error('disk full'); } }));
    assert.equal(out.error, undefined);
  });
});
