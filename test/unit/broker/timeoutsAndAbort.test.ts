import { strict as assert } from 'node:assert';
import { chatStream } from '../../../src/broker';
import { SseServer } from '../../support/sseServer';
import { collect, modelAt, SSE_HEADERS } from './brokerTestKit';

const delta = (t: string): string => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: t } }] })}\n\n`;
const FINISH = `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`;

suite('broker: timeouts and cancellation', () => {
  let server: SseServer;
  suiteSetup(async () => (server = await SseServer.start()));
  suiteTeardown(() => server.close());
  setup(() => server.reset());

  test('no headers within timeoutMs is a retryable timeout error', async () => {
    server.respond({ stallBeforeHeaders: true });
    const t0 = performance.now();
    const out = await collect(chatStream(modelAt(server.url, { timeoutMs: 80 }), [{ role: 'user', content: 'hi' }]));
    const elapsed = performance.now() - t0;
    assert.equal(out.error?.kind, 'timeout');
    assert.equal(out.error?.code, 'headers_timeout');
    assert.equal(out.error?.retryable, true);
    assert.ok(elapsed >= 70 && elapsed < 1000, `took ${elapsed} ms`);
    await server.requests[0]!.disconnected; // the socket was closed, the server slot is free
  });

  test('silence longer than idleTimeoutMs inside a stream is a timeout keeping the partial text', async () => {
    server.respond({ headers: SSE_HEADERS, body: [{ write: delta('Hello') + delta(' wor') }, { stall: true }] });
    const t0 = performance.now();
    const out = await collect(chatStream(modelAt(server.url, { idleTimeoutMs: 80 }), [{ role: 'user', content: 'hi' }]));
    assert.equal(out.error?.kind, 'timeout');
    assert.equal(out.error?.code, 'idle_timeout');
    assert.equal(out.error?.partialText, 'Hello wor');
    assert.deepEqual(out.events, [{ kind: 'text', text: 'Hello' }, { kind: 'text', text: ' wor' }]);
    assert.ok(performance.now() - t0 < 1000);
    const disconnectedAt = await server.requests[0]!.disconnected;
    assert.ok(disconnectedAt > 0);
  });

  test('keep-alive comments do not keep a request alive past idleTimeoutMs; the partial text is kept', async () => {
    const steps = [];
    for (let i = 0; i < 100; i++) steps.push({ write: ': keep-alive\n\n' }, { pause: 20 });
    server.respond({ headers: SSE_HEADERS, body: [{ write: delta('Hi') }, ...steps, { write: delta('late') + FINISH }] });
    const out = await collect(chatStream(modelAt(server.url, { idleTimeoutMs: 150 }), [{ role: 'user', content: 'hi' }]));
    assert.equal(out.error?.code, 'idle_timeout', out.error?.message);
    assert.equal(out.error?.partialText, 'Hi');
    await server.requests[0]!.disconnected;
  });

  test('bytes trickled without ever completing an event do not keep a request alive past idleTimeoutMs', async () => {
    const steps = [];
    for (let i = 0; i < 200; i++) steps.push({ write: 'x' }, { pause: 10 });
    server.respond({ headers: SSE_HEADERS, body: [{ write: 'data: {"choices":[{"index":0,"delta":{"content":"' }, ...steps] });
    const out = await collect(chatStream(modelAt(server.url, { idleTimeoutMs: 150 }), [{ role: 'user', content: 'hi' }]));
    assert.equal(out.error?.kind, 'timeout');
    assert.equal(out.error?.code, 'idle_timeout');
    await server.requests[0]!.disconnected;
  });

  test('events with data keep a slow stream alive: each one starts the idle timer over', async () => {
    const steps = [];
    for (let i = 0; i < 6; i++) steps.push({ write: delta(String(i)) }, { pause: 60 });
    server.respond({ headers: SSE_HEADERS, body: [...steps, { write: FINISH }] });
    const out = await collect(chatStream(modelAt(server.url, { idleTimeoutMs: 200 }), [{ role: 'user', content: 'hi' }]));
    assert.equal(out.error, undefined, out.error?.message);
    assert.equal(out.events.filter((e) => e.kind === 'text').map((e) => (e as { text: string }).text).join(''), '012345');
  });

  test('per-call timeouts override the model config', async () => {
    server.respond({ stallBeforeHeaders: true });
    const out = await collect(chatStream(modelAt(server.url, { timeoutMs: 60_000 }), [{ role: 'user', content: 'hi' }], { timeoutMs: 50 }));
    assert.equal(out.error?.kind, 'timeout');
  });

  test('aborting mid-stream closes the socket at once (the server sees it within 100 ms) and raises aborted with the partial text', async () => {
    server.respond({ headers: SSE_HEADERS, body: [{ write: delta('Once') + delta(' upon') }, { stall: true }] });
    const ac = new AbortController();
    const events: string[] = [];
    let abortedAt = 0;
    const run = collect(
      (async function* () {
        for await (const e of chatStream(modelAt(server.url), [{ role: 'user', content: 'hi' }], { signal: ac.signal })) {
          if (e.kind === 'text') events.push(e.text);
          if (events.length === 2) {
            abortedAt = performance.now();
            ac.abort();
          }
          yield e;
        }
      })(),
    );
    const req = await waitForRequest(server);
    const disconnectedAt = await req.disconnected;
    const out = await run;
    assert.equal(out.error?.kind, 'aborted');
    assert.equal(out.error?.partialText, 'Once upon');
    assert.equal(out.error?.retryable, false);
    assert.ok(disconnectedAt - abortedAt < 100, `server saw the disconnect ${disconnectedAt - abortedAt} ms after abort`);
  });

  test('aborting before the headers arrive raises aborted and closes the connection', async () => {
    server.respond({ stallBeforeHeaders: true });
    const ac = new AbortController();
    const run = collect(chatStream(modelAt(server.url), [{ role: 'user', content: 'hi' }], { signal: ac.signal }));
    const req = await waitForRequest(server);
    const abortedAt = performance.now();
    ac.abort();
    const out = await run;
    assert.equal(out.error?.kind, 'aborted');
    const disconnectedAt = await req.disconnected;
    assert.ok(disconnectedAt - abortedAt < 100, `${disconnectedAt - abortedAt} ms`);
  });

  test('an already aborted signal raises aborted without sending a request', async () => {
    const ac = new AbortController();
    ac.abort();
    const out = await collect(chatStream(modelAt(server.url), [{ role: 'user', content: 'hi' }], { signal: ac.signal }));
    assert.equal(out.error?.kind, 'aborted');
    assert.equal(server.requests.length, 0);
  });

  test('breaking out of the loop closes the connection (the server stops generating)', async () => {
    server.respond({ headers: SSE_HEADERS, body: [{ write: delta('a') }, { stall: true }] });
    let brokeAt = 0;
    for await (const e of chatStream(modelAt(server.url), [{ role: 'user', content: 'hi' }])) {
      assert.equal(e.kind, 'text');
      brokeAt = performance.now();
      break;
    }
    const disconnectedAt = await server.requests[0]!.disconnected;
    assert.ok(disconnectedAt - brokeAt < 100, `${disconnectedAt - brokeAt} ms`);
  });

  test('a connection dropped mid-stream is a transport error keeping the partial text', async () => {
    server.respond({ headers: SSE_HEADERS, body: [{ write: delta('part') }, { pause: 10 }, { drop: true }] });
    const out = await collect(chatStream(modelAt(server.url), [{ role: 'user', content: 'hi' }]));
    assert.equal(out.error?.kind, 'transport');
    assert.equal(out.error?.partialText, 'part');
    assert.equal(out.error?.retryable, true);
  });

  test('a slow consumer pauses the socket without tripping the idle timeout, and loses nothing', async () => {
    const n = 20_000;
    let body = '';
    for (let i = 0; i < n; i++) body += delta(`${i},`);
    server.respond({ headers: SSE_HEADERS, body: body + FINISH });
    let count = 0;
    let expected = 0;
    for await (const e of chatStream(modelAt(server.url, { idleTimeoutMs: 60 }), [{ role: 'user', content: 'hi' }])) {
      if (e.kind !== 'text') continue;
      assert.equal(e.text, `${expected++},`);
      if (++count % 5000 === 0) await new Promise((r) => setTimeout(r, 150)); // longer than the idle timeout
    }
    assert.equal(count, n);
  });
});

async function waitForRequest(server: SseServer) {
  while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 2));
  return server.requests[0]!;
}
