import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { chatStream, isBrokerError, type BrokerEvent } from '../../../src/broker';

/** A server whose first `closeFirst` requests have their connection dropped before any answer. */
function flakyServer(closeFirst: number): Promise<{ server: Server; url: string; requests: () => number }> {
  let n = 0;
  const server = createServer((req, res) => {
    n++;
    if (n <= closeFirst) {
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end('data: {"choices":[{"index":0,"delta":{"content":"fine"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => n })));
}

async function run(url: string): Promise<{ text: string; error?: unknown }> {
  let text = '';
  try {
    for await (const ev of chatStream({ id: 'm', endpoint: url, model: 'm' }, [{ role: 'user', content: 'hi' }], { dispatcher: new Agent(), env: {} }) as AsyncIterable<BrokerEvent>) {
      if (ev.kind === 'text') text += ev.text;
    }
    return { text };
  } catch (error) {
    return { text, error };
  }
}

suite('a connection closed before any answer (a stale kept-alive socket) is tried once more', () => {
  test('dropped once: the second try answers', async () => {
    const s = await flakyServer(1);
    try {
      const r = await run(s.url);
      assert.equal(r.error, undefined, String(r.error));
      assert.equal(r.text, 'fine');
      assert.equal(s.requests(), 2);
    } finally {
      s.server.close();
    }
  });

  test('dropped twice: a transport error, after exactly two tries (never a loop)', async () => {
    const s = await flakyServer(5);
    try {
      const r = await run(s.url);
      assert.ok(isBrokerError(r.error) && r.error.kind === 'transport', String(r.error));
      assert.equal(s.requests(), 2);
    } finally {
      s.server.close();
    }
  });
});
