import { strict as assert } from 'node:assert';
import { chatStream, IncludeUsageMemory } from '../../../src/broker';
import { SseServer } from '../../support/sseServer';
import { collect, modelAt, SSE_HEADERS, sseBody } from './brokerTestKit';

const MISTRAL_422 = JSON.stringify({ object: 'error', message: { detail: [{ type: 'extra_forbidden', loc: ['body', 'stream_options'], msg: 'Extra inputs are not permitted' }] }, type: 'invalid_request_message_error', code: null });
const USAGE = { prompt_tokens: 2, completion_tokens: 1, total_tokens: 3 };

suite("broker: includeUsage 'auto' negotiation", () => {
  let server: SseServer;
  suiteSetup(async () => (server = await SseServer.start()));
  suiteTeardown(() => server.close());
  setup(() => server.reset());

  test("'auto' sends stream_options.include_usage and reports the usage", async () => {
    server.respond({ headers: SSE_HEADERS, body: sseBody(['a'], { usage: USAGE }) });
    const out = await collect(chatStream(modelAt(server.url, { includeUsage: 'auto' }), [{ role: 'user', content: 'hi' }], { includeUsageMemory: new IncludeUsageMemory() }));
    assert.deepEqual(server.requests[0]!.json().stream_options, { include_usage: true });
    assert.ok(out.events.some((e) => e.kind === 'usage'));
  });

  test('a 422 naming stream_options is retried once without it, and the endpoint+model is remembered', async () => {
    const memory = new IncludeUsageMemory();
    const model = modelAt(server.url, { includeUsage: 'auto' });
    server.respond({ status: 422, headers: { 'content-type': 'application/json' }, body: MISTRAL_422 }, { headers: SSE_HEADERS, body: sseBody(['ok']) });
    const first = await collect(chatStream(model, [{ role: 'user', content: 'hi' }], { includeUsageMemory: memory }));
    assert.equal(first.error, undefined);
    assert.equal(server.requests.length, 2);
    assert.ok('stream_options' in server.requests[0]!.json());
    assert.ok(!('stream_options' in server.requests[1]!.json()));

    server.respond({ headers: SSE_HEADERS, body: sseBody(['again']) });
    await collect(chatStream(model, [{ role: 'user', content: 'hi' }], { includeUsageMemory: memory }));
    assert.equal(server.requests.length, 3, 'one request: no second refusal');
    assert.ok(!('stream_options' in server.requests[2]!.json()));

    server.respond({ headers: SSE_HEADERS, body: sseBody(['other']) });
    await collect(chatStream({ ...model, model: 'another-model' }, [{ role: 'user', content: 'hi' }], { includeUsageMemory: memory }));
    assert.ok('stream_options' in server.requests[3]!.json(), 'another model on the same endpoint is still asked');
  });

  test('a 400 naming include_usage is retried once without it', async () => {
    server.respond({ status: 400, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"Unrecognized request argument supplied: include_usage"}}' }, { headers: SSE_HEADERS, body: sseBody(['ok']) });
    const out = await collect(chatStream(modelAt(server.url, { includeUsage: 'auto' }), [{ role: 'user', content: 'hi' }], { includeUsageMemory: new IncludeUsageMemory() }));
    assert.equal(out.error, undefined);
    assert.equal(server.requests.length, 2);
  });

  test('a 400 that does not name the field is not retried', async () => {
    server.respond({ status: 400, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"messages must not be empty"}}' }, { headers: SSE_HEADERS, body: sseBody(['never']) });
    const out = await collect(chatStream(modelAt(server.url, { includeUsage: 'auto' }), [{ role: 'user', content: 'hi' }], { includeUsageMemory: new IncludeUsageMemory() }));
    assert.equal(out.error?.kind, 'http');
    assert.equal(server.requests.length, 1);
  });

  test('a second refusal after the retry is thrown, not retried again', async () => {
    server.respond({ status: 422, headers: { 'content-type': 'application/json' }, body: MISTRAL_422 }, { status: 422, headers: { 'content-type': 'application/json' }, body: MISTRAL_422 });
    const out = await collect(chatStream(modelAt(server.url, { includeUsage: 'auto' }), [{ role: 'user', content: 'hi' }], { includeUsageMemory: new IncludeUsageMemory() }));
    assert.equal(out.error?.kind, 'http');
    assert.equal(out.error?.status, 422);
    assert.equal(server.requests.length, 2);
  });

  test("'always' keeps stream_options and does not retry; 'never' never sends it", async () => {
    server.respond({ status: 422, headers: { 'content-type': 'application/json' }, body: MISTRAL_422 });
    const a = await collect(chatStream(modelAt(server.url, { includeUsage: 'always' }), [{ role: 'user', content: 'hi' }], { includeUsageMemory: new IncludeUsageMemory() }));
    assert.equal(a.error?.status, 422);
    assert.equal(server.requests.length, 1);
    server.respond({ headers: SSE_HEADERS, body: sseBody(['x']) });
    await collect(chatStream(modelAt(server.url, { includeUsage: 'never' }), [{ role: 'user', content: 'hi' }]));
    assert.ok(!('stream_options' in server.requests[1]!.json()));
  });
});
