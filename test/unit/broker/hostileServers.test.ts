import { strict as assert } from 'node:assert';
import { gzipSync } from 'node:zlib';
import { chatStream, chatStreamWithFallback, CooldownRegistry, type BrokerEvent } from '../../../src/broker';
import { EndlessServer } from '../../support/endlessServer';
import { SseServer } from '../../support/sseServer';
import { assertOneLine, collect, modelAt, SSE_HEADERS, sseBody } from './brokerTestKit';

const msgs = [{ role: 'user' as const, content: 'hi' }];
const delta = (t: string, index = 0): string => `data: ${JSON.stringify({ choices: [{ index, delta: { content: t }, finish_reason: null }] })}\n\n`;
const textOf = (events: BrokerEvent[]): string => events.map((e) => (e.kind === 'text' ? e.text : '')).join('');

suite('broker: bounded whatever the server does', () => {
  let server: SseServer;
  suiteSetup(async () => (server = await SseServer.start()));
  suiteTeardown(() => server.close());
  setup(() => server.reset());

  test('a line that never ends ends the attempt past 4 MB as shape/line_too_long, and the socket is closed', async () => {
    const endless = await EndlessServer.start({ prefix: 'data: {"choices":[{"index":0,"delta":{"content":"', piece: 'a'.repeat(64 * 1024) });
    try {
      const out = await collect(chatStream(modelAt(endless.url), msgs));
      assert.equal(out.error?.kind, 'shape', out.error?.message);
      assert.equal(out.error?.code, 'line_too_long');
      assert.match(out.error!.message, /longer than 4 MB/);
      assertOneLine(out.error!);
      await endless.disconnected;
      // The server kept writing only until the client stopped reading: a bounded amount, not forever.
      assert.ok(endless.bytesSent < 64 * 1024 * 1024, `the server wrote ${endless.bytesSent} bytes`);
    } finally {
      await endless.close();
    }
  });

  test('one event of many short data lines past 4 MB is line_too_long too (the event is bounded, not only the line)', async () => {
    const endless = await EndlessServer.start({ piece: `data: ${'b'.repeat(1000)}\n` });
    try {
      const out = await collect(chatStream(modelAt(endless.url), msgs));
      assert.equal(out.error?.code, 'line_too_long', out.error?.message);
      await endless.disconnected;
    } finally {
      await endless.close();
    }
  });

  test('an endless valid stream ends past maxAnswerChars (default 4,000,000) as shape/answer_too_large, keeping every character that arrived', async () => {
    const piece = 'z'.repeat(8192);
    const endless = await EndlessServer.start({ piece: delta(piece) });
    try {
      const out = await collect(chatStream(modelAt(endless.url), msgs));
      assert.equal(out.error?.kind, 'shape', out.error?.message);
      assert.equal(out.error?.code, 'answer_too_large');
      assert.match(out.error!.message, /4,000,000 characters/);
      const text = textOf(out.events);
      assert.ok(text.length > 4_000_000 && text.length <= 4_000_000 + piece.length, `kept ${text.length} characters`);
      assert.equal(out.error?.partialText, text, 'the error carries exactly what the events delivered');
      await endless.disconnected;
    } finally {
      await endless.close();
    }
  });

  test('maxAnswerChars counts reasoning too, and the per-call option overrides the model', async () => {
    const endless = await EndlessServer.start({ piece: `data: ${JSON.stringify({ choices: [{ index: 0, delta: { reasoning_content: 'r'.repeat(100) } }] })}\n\n` });
    try {
      const out = await collect(chatStream(modelAt(endless.url, { maxAnswerChars: 10_000_000 }), msgs, { maxAnswerChars: 1000 }));
      assert.equal(out.error?.code, 'answer_too_large');
      assert.equal(out.events.filter((e) => e.kind === 'reasoning').length, 11);
    } finally {
      await endless.close();
    }
  });

  test('a 3xx names where it redirects to, with the query masked', async () => {
    server.respond({ status: 301, headers: { location: '/api/v1/chat/completions?key=sk-secret-value' } });
    const out = await collect(chatStream(modelAt(server.url), msgs));
    assert.equal(out.error?.kind, 'http');
    assert.equal(out.error?.status, 301);
    assert.equal(out.error?.message, `HTTP 301 Moved Permanently: the server redirects to ${server.url}/api/v1/chat/completions?key=***; set the endpoint to that address`);
  });

  test('a compressed body says so, with or without a content-encoding header', async () => {
    const zipped = gzipSync(Buffer.from(sseBody(['hello'])));
    server.respond({ headers: { ...SSE_HEADERS, 'content-encoding': 'gzip' }, body: zipped });
    let out = await collect(chatStream(modelAt(server.url), msgs));
    assert.equal(out.error?.code, 'compressed_response', out.error?.message);
    assert.match(out.error!.message, /gzip-compressed body/);
    server.respond({ headers: SSE_HEADERS, body: zipped });
    out = await collect(chatStream(modelAt(server.url), msgs));
    assert.equal(out.error?.code, 'compressed_response', out.error?.message);
    server.respond({ status: 500, headers: { 'content-type': 'application/json', 'content-encoding': 'br' }, body: new Uint8Array([1, 2, 3]) });
    out = await collect(chatStream(modelAt(server.url), msgs));
    assert.equal(out.error?.message, 'HTTP 500 Internal Server Error (the error body is br-compressed and was not read)');
  });

  test('an HTML page sent as text/event-stream is an HTML response, not a cut-off stream', async () => {
    server.respond({ headers: SSE_HEADERS, body: '\n<!DOCTYPE html>\n<html><body>Sign in to continue</body></html>\n' });
    const out = await collect(chatStream(modelAt(server.url), msgs));
    assert.equal(out.error?.kind, 'shape');
    assert.equal(out.error?.code, 'html_response');
    assert.match(out.error!.message, /HTML page instead of an event stream/);
  });

  test('with several choices in one stream (n > 1) the answer is choice 0 alone, never interleaved', async () => {
    const finish = (index: number) => `data: ${JSON.stringify({ choices: [{ index, delta: {}, finish_reason: index === 0 ? 'stop' : 'length' }] })}\n\n`;
    const both = `data: ${JSON.stringify({ choices: [{ index: 1, delta: { content: 'B2 ' } }, { index: 0, delta: { content: 'A2 ' } }] })}\n\n`;
    server.respond({
      headers: SSE_HEADERS,
      body: delta('A1 ', 0) + delta('B1 ', 1) + both + delta('A3', 0) + delta('B3', 1) + finish(1) + finish(0) + 'data: [DONE]\n\n',
    });
    const out = await collect(chatStream(modelAt(server.url), msgs));
    assert.equal(out.error, undefined, out.error?.message);
    assert.equal(textOf(out.events), 'A1 A2 A3');
    const done = out.events.at(-1) as Extract<BrokerEvent, { kind: 'done' }>;
    assert.equal(done.finishReason, 'stop');
  });

  test('a server whose only choice is numbered 1 is still read', async () => {
    server.respond({ headers: SSE_HEADERS, body: delta('one', 1) + `data: ${JSON.stringify({ choices: [{ index: 1, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n` });
    const out = await collect(chatStream(modelAt(server.url), msgs));
    assert.equal(textOf(out.events), 'one');
  });
});

suite('broker: an upstream failure reported inside a 200 is retryable and the chain falls back', () => {
  let first: SseServer;
  let second: SseServer;
  suiteSetup(async () => ([first, second] = await Promise.all([SseServer.start(), SseServer.start()])));
  suiteTeardown(() => Promise.all([first.close(), second.close()]));

  const envelopes: [string, unknown][] = [
    ['a numeric 429 code', { error: { message: 'Rate limit exceeded upstream', code: 429 } }],
    ['a numeric 502 code (OpenRouter)', { error: { message: 'Provider returned error', code: 502 }, choices: [{ index: 0, delta: {}, finish_reason: 'error' }] }],
    ['a "503" string code', { error: { message: 'no healthy upstream', code: '503' } }],
    ['provider_timeout', { error: { message: 'The provider timed out', type: 'provider_timeout' } }],
    ['upstream_error', { error: { message: 'upstream connect error', code: 'upstream_error' } }],
    ['overloaded_error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }],
    ['server_error', { error: { message: 'The server had an error', type: 'server_error' } }],
  ];
  for (const [name, envelope] of envelopes) {
    test(`${name}`, async () => {
      first.reset();
      second.reset();
      first.respond({ headers: SSE_HEADERS, body: `data: ${JSON.stringify(envelope)}\n\n` });
      second.respond({ headers: SSE_HEADERS, body: sseBody(['from the second']) });
      const out = await collect(chatStreamWithFallback([modelAt(first.url, { id: 'first' }), modelAt(second.url, { id: 'second' })], msgs, { cooldowns: new CooldownRegistry() }));
      assert.equal(out.error, undefined, out.error?.message);
      const fallback = out.events.find((e) => e.kind === 'fallback') as Extract<BrokerEvent, { kind: 'fallback' }>;
      assert.ok(fallback, 'a fallback event');
      assert.equal(fallback.error.kind, 'api');
      assert.equal(fallback.error.retryable, true, `${fallback.error.code}: ${fallback.error.message}`);
      assert.equal(textOf(out.events), 'from the second');
    });
  }
});
