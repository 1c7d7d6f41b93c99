import { strict as assert } from 'node:assert';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { isPrivateAddress } from '../../../src/broker';
import { fetchImageAsDataUrl } from '../../../src/chat/fetchImage';
import { SseServer } from '../../support/sseServer';
import { Tinyproxy } from '../../support/tinyproxy';

// The 8-byte PNG signature is enough for a content check: the type comes from the header, not the bytes.
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

suite('loading a remote image the user asked for (the webview itself may load none)', () => {
  let server: SseServer;
  setup(async () => {
    server = await SseServer.start();
  });
  teardown(async () => {
    await server.close();
  });

  test('a PNG comes back as a data: URL', async () => {
    server.respond({ status: 200, headers: { 'content-type': 'image/png' }, body: PNG });
    assert.equal(await fetchImageAsDataUrl(`${server.url}/a.png`), `data:image/png;base64,${Buffer.from(PNG).toString('base64')}`);
  });

  test('an SVG (which can carry script) or an HTML page is refused', async () => {
    server.respond({ status: 200, headers: { 'content-type': 'image/svg+xml' }, body: '<svg onload="alert(1)"/>' });
    await assert.rejects(fetchImageAsDataUrl(`${server.url}/a.svg`), /not a PNG, JPEG, GIF or WebP image \(image\/svg\+xml\)/);
    server.respond({ status: 200, headers: { 'content-type': 'text/html' }, body: '<script></script>' });
    await assert.rejects(fetchImageAsDataUrl(`${server.url}/a`), /text\/html/);
  });

  test('an image over the size cap is refused, whether or not it declares its length', async () => {
    server.respond({ status: 200, headers: { 'content-type': 'image/png' }, body: new Uint8Array(2048) });
    await assert.rejects(fetchImageAsDataUrl(`${server.url}/big.png`, { maxBytes: 1024 }), /larger than/);
    server.respond({ status: 200, headers: { 'content-type': 'image/png', 'transfer-encoding': 'chunked' }, body: [{ write: new Uint8Array(800) }, { write: new Uint8Array(800) }] });
    await assert.rejects(fetchImageAsDataUrl(`${server.url}/big2.png`, { maxBytes: 1024 }), /larger than/);
  });

  test('redirects are followed only to http(s); errors are one line', async () => {
    server.respond({ status: 302, headers: { location: '/real.png' } }, { status: 200, headers: { 'content-type': 'image/png' }, body: PNG });
    assert.match(await fetchImageAsDataUrl(`${server.url}/moved.png`), /^data:image\/png;base64,/);
    server.respond({ status: 302, headers: { location: 'file:///etc/passwd' } });
    await assert.rejects(fetchImageAsDataUrl(`${server.url}/evil.png`), /non-http/);
    server.respond({ status: 404, body: 'nope' });
    await assert.rejects(fetchImageAsDataUrl(`${server.url}/missing.png`), /HTTP 404/);
    await assert.rejects(fetchImageAsDataUrl('javascript:alert(1)'), /only over http/);
  });
});

suite('image fetches re-check every redirect and stay out of the local network', () => {
  let server: SseServer;
  let proxy: Tinyproxy | undefined;
  setup(async () => {
    server = await SseServer.start();
  });
  teardown(async () => {
    await server.close();
    await proxy?.stop();
    proxy = undefined;
  });

  test("an image whose own URL is on loopback loads (the user chose that address), redirects on the same host too", async () => {
    server.respond({ status: 302, headers: { location: '/real.png' } }, { status: 200, headers: { 'content-type': 'image/png' }, body: PNG });
    assert.match(await fetchImageAsDataUrl(`${server.url}/moved.png`, { env: {} }), /^data:image\/png;base64,/);
  });

  test('a redirect from another host to a loopback or private address is refused before any connection', async () => {
    const port = new URL(server.url).port;
    server.respond({ status: 302, headers: { location: `http://127.0.0.1:${port}/secret.png` } });
    await assert.rejects(fetchImageAsDataUrl(`http://localhost:${port}/a.png`, { env: {} }), /the image redirected to 127\.0\.0\.1, a loopback or private address: refused/);
    assert.equal(server.requests.length, 1, 'the redirect target was never asked');
    server.respond({ status: 307, headers: { location: 'http://10.0.0.1/admin.png' } });
    await assert.rejects(fetchImageAsDataUrl(`${server.url}/b.png`, { env: {} }), /10\.0\.0\.1, a loopback or private address/);
  });

  test('a redirect to a host name that resolves to a private address is refused when it resolves', async () => {
    const name = hostname();
    const resolved = await lookup(name);
    assert.ok(isPrivateAddress(resolved.address), `this test needs the machine's name (${name}) to resolve to a private address, not ${resolved.address}`);
    const port = new URL(server.url).port;
    server.respond({ status: 302, headers: { location: `http://${name}:${port}/secret.png` } });
    await assert.rejects(fetchImageAsDataUrl(`${server.url}/c.png`, { env: {} }), new RegExp(`${name} resolved to .*a loopback or private address: refused`));
    assert.equal(server.requests.length, 1);
  });

  test('images go through the proxy (a real tinyproxy) like model requests', async () => {
    proxy = await Tinyproxy.start();
    server.respond({ status: 200, headers: { 'content-type': 'image/png' }, body: PNG });
    assert.match(await fetchImageAsDataUrl(`${server.url}/p.png`, { env: { NO_PROXY: '' }, network: { proxy: proxy.url } }), /^data:image\/png/);
    assert.ok(proxy.log().includes(`GET ${server.url}/p.png`), proxy.log());
  });
});
