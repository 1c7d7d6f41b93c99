import { strict as assert } from 'node:assert';
import { parseDurationMs, priceCost, retryAfterMsFromHeaders } from '../../../src/broker';
import { ChunkTemplates } from '../../../src/broker/chunkTemplate';
import { detailsFromJson, isRetryable } from '../../../src/broker/classifyError';
import { ResponseState } from '../../../src/broker/responseState';
import { interpretChunk, EFFECT_TEXT } from '../../../src/broker/interpretChunk';
import { ToolCallAccumulator } from '../../../src/broker/toolCallAccumulator';
import { toUsage } from '../../../src/broker/usage';

suite('broker: retry hints', () => {
  test('Go-style durations and bare seconds parse to milliseconds', () => {
    assert.equal(parseDurationMs('6m0s'), 360_000);
    assert.equal(parseDurationMs('174ms'), 174);
    assert.equal(parseDurationMs('1.5s'), 1500);
    assert.equal(parseDurationMs('1h2m3s'), 3_723_000);
    assert.equal(parseDurationMs('2m59.56s'), 179_560);
    assert.equal(parseDurationMs('20'), 20_000);
  });

  test('malformed durations give no hint instead of a wrong wait', () => {
    for (const bad of ['', 'soon', '5 minutes', '-3s', '6m0s junk', 's']) assert.equal(parseDurationMs(bad), undefined, bad);
  });

  test('retry-after-ms, then Retry-After (seconds or HTTP date), then the longest x-ratelimit-reset-*', () => {
    const now = Date.UTC(2025, 0, 1);
    assert.equal(retryAfterMsFromHeaders({ 'retry-after-ms': '250.2', 'retry-after': '9' }, now), 251);
    assert.equal(retryAfterMsFromHeaders({ 'retry-after': '9' }, now), 9000);
    assert.equal(retryAfterMsFromHeaders({ 'retry-after': new Date(now + 12_000).toUTCString() }, now), 12_000);
    assert.equal(retryAfterMsFromHeaders({ 'retry-after': new Date(now - 5000).toUTCString() }, now), 0);
    assert.equal(retryAfterMsFromHeaders({ 'x-ratelimit-reset-requests': '2s', 'x-ratelimit-reset-tokens': '30ms' }, now), 2000);
    assert.equal(retryAfterMsFromHeaders({ 'retry-after': 'whenever' }, now), undefined);
    assert.equal(retryAfterMsFromHeaders({}, now), undefined);
  });

  test('402 and insufficient_quota are never retryable; 429 and 5xx are', () => {
    assert.equal(isRetryable(402, undefined), false);
    assert.equal(isRetryable(429, 'insufficient_quota'), false);
    assert.equal(isRetryable(429, undefined), true);
    assert.equal(isRetryable(503, undefined), true);
    assert.equal(isRetryable(400, undefined), false);
    assert.equal(isRetryable(401, undefined), false);
  });
});

suite('broker: error envelopes', () => {
  test('nested, flat, string and metadata.raw envelopes all give one message and the specific code', () => {
    assert.deepEqual(detailsFromJson({ error: { message: 'm', type: 'invalid_request_error', code: 'context_length_exceeded' } }), { message: 'm', code: 'context_length_exceeded', httpStatus: undefined });
    assert.deepEqual(detailsFromJson({ object: 'error', message: 'flat', code: 'x' }), { message: 'flat', code: 'x', httpStatus: undefined });
    assert.deepEqual(detailsFromJson({ error: 'plain' }), { message: 'plain', code: undefined, httpStatus: undefined });
    assert.equal(detailsFromJson({ error: { message: 'Provider returned error', metadata: { raw: 'the real reason' } } }).message, 'the real reason');
    assert.equal(detailsFromJson({ detail: 'Not Found' }).message, 'Not Found');
    assert.deepEqual(detailsFromJson([{ error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED' } }]), { message: 'quota', code: 'RESOURCE_EXHAUSTED', httpStatus: 429 });
  });

  test('odd values never crash the envelope reader', () => {
    for (const v of [null, 1, 'x', [], [null], { error: null }, { error: 5 }, { error: { message: { deep: { deeper: {} } } } }, { message: [1, 2] }]) {
      assert.doesNotThrow(() => detailsFromJson(v));
    }
  });
});

suite('broker: chunk interpretation and tool calls', () => {
  test('weird chunk values never throw a TypeError', () => {
    const weird: unknown[] = [
      {}, { choices: null }, { choices: 'x' }, { choices: [null] }, { choices: [1] }, { choices: [{ delta: null }] },
      { choices: [{ delta: { content: 5 } }] }, { choices: [{ delta: { content: [null, 1, { type: 'thinking' }] } }] },
      { choices: [{ delta: { tool_calls: [null, 'x', { function: null }, { index: 'a' }] } }] },
      { choices: [{ delta: { reasoning_details: [null, { text: 1 }] } }] }, { usage: 'lots' }, { x_groq: null }, { model: 7 },
    ];
    for (const w of weird) assert.doesNotThrow(() => interpretChunk(w, new ResponseState(), () => {}), JSON.stringify(w));
  });

  test('tool calls: first non-empty id and name stand; empty arguments become "{}"; object arguments are serialized', () => {
    const acc = new ToolCallAccumulator();
    acc.add({ index: 0, id: '', function: { name: '' } });
    acc.add({ index: 0, id: 'a', function: { name: 'first', arguments: '' } });
    acc.add({ index: 0, id: 'b', function: { name: 'second' } });
    acc.add({ index: 3, id: 'c', function: { name: 'obj', arguments: { x: 1 } } });
    assert.deepEqual(acc.finish(), [{ id: 'a', name: 'first', arguments: '{}' }, { id: 'c', name: 'obj', arguments: '{"x":1}' }]);
  });
});

suite('broker: usage and cost', () => {
  const model = { id: 'm', endpoint: 'http://x', model: 'req' };
  test('total_tokens is taken as reported, and only filled in when missing', () => {
    assert.equal(toUsage({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 100 }, model, null, 'chat').totalTokens, 100);
    assert.equal(toUsage({ prompt_tokens: 1, completion_tokens: 2 }, model, null, 'chat').totalTokens, 3);
  });
  test('provider cost wins over the price; a price gives a cost; neither gives null, never 0', () => {
    const priced = { ...model, price: { inputPerMTok: 1, outputPerMTok: 2 } };
    assert.deepEqual([toUsage({ prompt_tokens: 1, cost: 0.5 }, priced, null, 'c').cost, toUsage({ prompt_tokens: 1, cost: 0.5 }, priced, null, 'c').costSource], [0.5, 'provider']);
    assert.equal(toUsage({ prompt_tokens: 1_000_000, completion_tokens: 1_000_000 }, priced, null, 'c').cost, 3);
    const unknown = toUsage({ prompt_tokens: 10, completion_tokens: 10, cost: 'free' }, model, null, 'c');
    assert.equal(unknown.cost, null);
    assert.equal(unknown.costSource, 'unknown');
  });
  test('cached tokens use the input price when no cached price is configured', () => {
    assert.equal(priceCost({ inputPerMTok: 4, outputPerMTok: 0 }, 1_000_000, 0, 500_000), 4);
    assert.equal(priceCost({ inputPerMTok: 4, outputPerMTok: 0, cachedInputPerMTok: 1 }, 1_000_000, 0, 500_000), 2.5);
  });
});

suite('broker: envelope template fast path', () => {
  const env = (content: string, extra = '') => `{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":${content}}${extra},"finish_reason":null}]}`;

  function learn(t: ChunkTemplates, data: string): void {
    const effects = interpretChunk(JSON.parse(data), new ResponseState(), () => {});
    assert.equal(effects, EFFECT_TEXT);
    t.learn(data, effects);
  }

  test('after one full parse, a chunk with the same envelope is read without parsing it, with identical results', () => {
    const t = new ChunkTemplates();
    learn(t, env('"first"'));
    const state = new ResponseState();
    assert.deepEqual(t.match(env('"second"'), state), { kind: 'text', text: 'second' });
    assert.deepEqual(t.match(env('"esc\\n\\"aped\\u00e9"'), state), { kind: 'text', text: 'esc\n"apedé' });
    assert.equal(state.text, 'secondesc\n"apedé');
    assert.equal(state.model, 'm');
  });

  test('anything else falls back to the full path: other envelopes, empty strings, non-strings, two values', () => {
    const t = new ChunkTemplates();
    learn(t, env('"first"'));
    const s = new ResponseState();
    assert.equal(t.match(env('"x"').replace('"finish_reason":null', '"finish_reason":"stop"'), s), undefined);
    assert.equal(t.match(env('""'), s), undefined);
    assert.equal(t.match(env('null'), s), undefined);
    assert.equal(t.match(env('["a"]'), s), undefined);
    assert.equal(t.match(env('"a","x":"b"'), s), undefined);
    assert.equal(t.match(env('"raw\ncontrol"'), s), undefined);
    assert.equal(s.text, '');
  });

  test('an envelope where "content" is not the delta content is never learned', () => {
    const t = new ChunkTemplates();
    const decoy = '{"meta":{"content":"same"},"choices":[{"index":0,"delta":{"content":"same"}}]}';
    t.learn(decoy, EFFECT_TEXT);
    assert.equal(t.match('{"meta":{"content":"other"},"choices":[{"index":0,"delta":{"content":"same"}}]}', new ResponseState()), undefined);
  });
});
