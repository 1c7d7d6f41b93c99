import { strict as assert } from 'node:assert';
import { fetchImageAsDataUrl } from '../../../src/chat/fetchImage';
import { SseServer } from '../../support/sseServer';

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
