import { strict as assert } from 'node:assert';
import { BrokerError, chat, chatCompletionsUrl, chatStream } from '../../../src/broker';
import { SseServer } from '../../support/sseServer';
import { collect, modelAt, SSE_HEADERS, sseBody } from './brokerTestKit';

suite('broker: request building', () => {
  let server: SseServer;
  suiteSetup(async () => (server = await SseServer.start()));
  suiteTeardown(() => server.close());
  setup(() => server.reset());

  test('the URL gets /v1/chat/completions, /chat/completions after /v1, or is used as is', () => {
    assert.equal(chatCompletionsUrl('http://127.0.0.1:8080'), 'http://127.0.0.1:8080/v1/chat/completions');
    assert.equal(chatCompletionsUrl('http://127.0.0.1:8080/'), 'http://127.0.0.1:8080/v1/chat/completions');
    assert.equal(chatCompletionsUrl('https://openrouter.ai/api/v1'), 'https://openrouter.ai/api/v1/chat/completions');
    assert.equal(chatCompletionsUrl('https://openrouter.ai/api/v1/'), 'https://openrouter.ai/api/v1/chat/completions');
    assert.equal(chatCompletionsUrl('https://x.example/openai/deployments/d/chat/completions?api-version=2024-02-01'), 'https://x.example/openai/deployments/d/chat/completions?api-version=2024-02-01');
    assert.equal(chatCompletionsUrl('http://localhost:11434/api'), 'http://localhost:11434/api/v1/chat/completions');
  });

  test('an endpoint that is not an http(s) URL is a config error', () => {
    assert.throws(() => chatCompletionsUrl('localhost:8080'), (e: unknown) => e instanceof BrokerError && e.kind === 'config');
    assert.throws(() => chatCompletionsUrl('not a url'), (e: unknown) => e instanceof BrokerError && e.kind === 'config');
  });

  test('the body has model, messages, stream: true, temperature 0.2 by default, and no tools when the list is empty', async () => {
    server.respond({ headers: SSE_HEADERS, body: sseBody(['ok']) });
    await chat(modelAt(server.url), [{ role: 'user', content: 'hi' }], { tools: [] });
    const body = server.requests[0]!.json();
    assert.deepEqual(body, { model: 'test-model', messages: [{ role: 'user', content: 'hi' }], stream: true, temperature: 0.2 });
    assert.equal(server.requests[0]!.path, '/v1/chat/completions');
    assert.equal(server.requests[0]!.method, 'POST');
    assert.equal(server.requests[0]!.headers['content-type'], 'application/json');
  });

  test('max_tokens, tools, tool_choice and the configured temperature are sent', async () => {
    server.respond({ headers: SSE_HEADERS, body: sseBody(['ok']) });
    const tools = [{ type: 'function' as const, function: { name: 'f', parameters: { type: 'object' } } }];
    await chat(modelAt(server.url, { temperature: 0.7, maxTokens: 100 }), [{ role: 'user', content: 'hi' }], { tools, toolChoice: 'auto', maxTokens: 50 });
    const body = server.requests[0]!.json();
    assert.equal(body.temperature, 0.7);
    assert.equal(body.max_tokens, 50, 'the per-call maxTokens wins over the model default');
    assert.deepEqual(body.tools, tools);
    assert.equal(body.tool_choice, 'auto');
  });

  test('keyEnv becomes Authorization: Bearer <key> read from the injected env; configured headers are sent', async () => {
    server.respond({ headers: SSE_HEADERS, body: sseBody(['ok']) });
    await chat(modelAt(server.url, { keyEnv: 'MY_KEY', headers: { 'X-Title': 'Switchboard' } }), [{ role: 'user', content: 'hi' }], { env: { MY_KEY: 'sk-test-123456' } });
    assert.equal(server.requests[0]!.headers.authorization, 'Bearer sk-test-123456');
    assert.equal(server.requests[0]!.headers['x-title'], 'Switchboard');
  });

  test('no keyEnv sends no Authorization header (local servers)', async () => {
    server.respond({ headers: SSE_HEADERS, body: sseBody(['ok']) });
    await chat(modelAt(server.url), [{ role: 'user', content: 'hi' }], { env: {} });
    assert.equal(server.requests[0]!.headers.authorization, undefined);
  });

  test('a keyEnv that is unset is a config error naming the variable, before any request', async () => {
    const out = await collect(chatStream(modelAt(server.url, { keyEnv: 'MISSING_KEY_VAR' }), [{ role: 'user', content: 'hi' }], { env: {} }));
    assert.equal(out.error?.kind, 'config');
    assert.match(out.error!.message, /MISSING_KEY_VAR/);
    assert.match(out.error!.message, /not set/);
    assert.equal(out.error!.retryable, false);
    assert.equal(server.requests.length, 0);
  });

  test('a keyEnv that is set but empty is a config error naming the variable, before any request', async () => {
    const out = await collect(chatStream(modelAt(server.url, { keyEnv: 'EMPTY_KEY' }), [{ role: 'user', content: 'hi' }], { env: { EMPTY_KEY: '  ' } }));
    assert.equal(out.error?.kind, 'config');
    assert.match(out.error!.message, /EMPTY_KEY.*empty/);
    assert.equal(server.requests.length, 0);
  });

  test('a missing endpoint or model name is a config error', async () => {
    const a = await collect(chatStream(modelAt(''), [{ role: 'user', content: 'hi' }]));
    assert.equal(a.error?.kind, 'config');
    const b = await collect(chatStream(modelAt(server.url, { model: '' }), [{ role: 'user', content: 'hi' }]));
    assert.equal(b.error?.kind, 'config');
    assert.equal(server.requests.length, 0);
  });

  test('a refused connection is a retryable transport error', async () => {
    const closed = await SseServer.start();
    const url = closed.url;
    await closed.close();
    const out = await collect(chatStream(modelAt(url), [{ role: 'user', content: 'hi' }]));
    assert.equal(out.error?.kind, 'transport');
    assert.equal(out.error?.code, 'ECONNREFUSED');
    assert.equal(out.error?.retryable, true);
    assert.match(out.error!.message, /connection refused/);
  });

  test('chat() buffers text, reasoning, tool calls, usage, finish reason and models', async () => {
    const body =
      'data: {"model":"served","choices":[{"index":0,"delta":{"reasoning_content":"think"}}]}\n\n' +
      'data: {"model":"served","choices":[{"index":0,"delta":{"content":"Hel"}}]}\n\n' +
      'data: {"model":"served","choices":[{"index":0,"delta":{"content":"lo"}}]}\n\n' +
      'data: {"model":"served","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c1","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}\n\n' +
      'data: {"model":"served","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}\n\n' +
      'data: [DONE]\n\n';
    server.respond({ headers: SSE_HEADERS, body });
    const r = await chat(modelAt(server.url), [{ role: 'user', content: 'hi' }], { category: 'summarize' });
    assert.deepEqual(r, {
      text: 'Hello',
      reasoning: 'think',
      toolCalls: [{ id: 'c1', name: 'f', arguments: '{}' }],
      usage: { promptTokens: 3, completionTokens: 4, totalTokens: 7, cost: null, costSource: 'unknown', modelId: 'm1', model: 'served', category: 'summarize' },
      finishReason: 'tool_calls',
      model: 'served',
      modelId: 'm1',
    });
  });

  test('chat() throws the BrokerError of a failed stream', async () => {
    server.respond({ status: 401, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"bad key","code":"invalid_api_key"}}' });
    await assert.rejects(chat(modelAt(server.url), [{ role: 'user', content: 'hi' }]), (e: unknown) => e instanceof BrokerError && e.kind === 'http' && e.status === 401 && e.code === 'invalid_api_key');
  });
});
