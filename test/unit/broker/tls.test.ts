import { strict as assert } from 'node:assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chatStream, closeRoutes, routeFor } from '../../../src/broker';
import { codedError, guardedLookup } from '../../../src/broker/addresses';
import { SseServer } from '../../support/sseServer';
import { makeTestPki, type TestPki } from '../../support/testCa';
import { Tinyproxy } from '../../support/tinyproxy';
import { collect, modelAt, SSE_HEADERS, sseBody } from './brokerTestKit';

const msgs = [{ role: 'user' as const, content: 'hi' }];

suite('TLS: an HTTPS loopback server with a CA made by openssl at test time', () => {
  let pki: TestPki;
  let server: SseServer;
  suiteSetup(async () => {
    pki = makeTestPki();
    server = await SseServer.start({ tls: { key: pki.serverKey, cert: pki.serverCert } });
    server.setDefault({ headers: SSE_HEADERS, body: sseBody(['secure']) });
  });
  suiteTeardown(async () => {
    await server?.close();
    await closeRoutes();
    if (pki) rmSync(pki.dir, { recursive: true, force: true });
  });

  test('without caFile the error says, in words, that the certificate is signed by an unknown authority', async () => {
    const out = await collect(chatStream(modelAt(server.url), msgs, { env: {} }));
    assert.equal(out.error?.kind, 'transport');
    assert.equal(out.error?.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    assert.equal(out.error?.retryable, false);
    assert.match(out.error!.message, /^the server's certificate is signed by an unknown authority: set caFile/);
  });

  test("caFile naming the server's CA works, and the route says the CAs came from caFile", async () => {
    const out = await collect(chatStream(modelAt(server.url, { caFile: pki.caFile }), msgs, { env: {} }));
    assert.equal(out.error, undefined, out.error?.message);
    assert.equal(routeFor(`${server.url}/v1/chat/completions`, { caFile: pki.caFile }, { env: {} }).info.ca, 'caFile');
  });

  test('NODE_EXTRA_CA_CERTS keeps working, alone and together with a caFile naming another CA', async () => {
    let out = await collect(chatStream(modelAt(server.url), msgs, { env: { NODE_EXTRA_CA_CERTS: pki.caFile } }));
    assert.equal(out.error, undefined, out.error?.message);
    out = await collect(chatStream(modelAt(server.url, { caFile: pki.otherCaFile }), msgs, { env: { NODE_EXTRA_CA_CERTS: pki.caFile } }));
    assert.equal(out.error, undefined, out.error?.message);
    out = await collect(chatStream(modelAt(server.url, { caFile: pki.otherCaFile }), msgs, { env: {} }));
    assert.equal(out.error?.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'another CA alone does not vouch for the server');
  });

  test('a caFile that does not exist, or holds no PEM certificate, is a config error naming the file', async () => {
    let out = await collect(chatStream(modelAt(server.url, { caFile: join(pki.dir, 'missing.pem') }), msgs, { env: {} }));
    assert.equal(out.error?.kind, 'config');
    assert.equal(out.error?.code, 'ca_file_missing');
    assert.match(out.error!.message, /caFile ".*missing\.pem" does not exist/);
    const junk = join(pki.dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate\n');
    out = await collect(chatStream(modelAt(server.url, { caFile: junk }), msgs, { env: {} }));
    assert.equal(out.error?.code, 'ca_file_invalid');
    assert.match(out.error!.message, /holds no PEM certificate/);
    writeFileSync(junk, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    out = await collect(chatStream(modelAt(server.url, { caFile: junk }), msgs, { env: {} }));
    assert.equal(out.error?.code, 'ca_file_invalid');
    assert.match(out.error!.message, /certificate 1 cannot be read/);
  });

  test('allowInsecureTls works for a loopback server', async () => {
    const out = await collect(chatStream(modelAt(server.url, { allowInsecureTls: true }), msgs, { env: {} }));
    assert.equal(out.error, undefined, out.error?.message);
    assert.equal(routeFor(`${server.url}/v1`, { allowInsecureTls: true }, { env: {} }).info.insecure, 'allowInsecureTls');
  });

  test('allowInsecureTls is not honoured for a public address: certificates stay checked', () => {
    for (const url of ['https://93.184.216.34/v1', 'https://[2606:4700::1111]/v1']) {
      assert.equal(routeFor(url, { allowInsecureTls: true }, { env: {} }).info.insecure, undefined, url);
    }
    for (const url of ['https://10.1.2.3/v1', 'https://192.168.1.20:8443/v1', 'https://localhost:8443/v1', 'https://[fd00::5]/v1']) {
      assert.equal(routeFor(url, { allowInsecureTls: true }, { env: {} }).info.insecure, 'allowInsecureTls', url);
    }
  });

  test('the address guard used for host names with allowInsecureTls refuses a resolved address that fails its rule, with a stable code', async () => {
    const lookup = guardedLookup(() => false, (name, address) => codedError('insecure_tls_public_address', `${name} resolved to ${address}`));
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => lookup('localhost', {}, (e) => resolve(e)));
    assert.equal(err?.code, 'insecure_tls_public_address');
    const ok = await new Promise<NodeJS.ErrnoException | null>((resolve) => lookup('localhost', { all: true }, (e) => resolve(e)));
    assert.equal(ok?.code, 'insecure_tls_public_address');
  });

  test('HTTPS through a real tinyproxy (CONNECT) with caFile: the tunnel shows in the proxy log', async () => {
    const proxy = await Tinyproxy.start();
    try {
      const out = await collect(chatStream(modelAt(server.url, { caFile: pki.caFile }), msgs, { env: { HTTPS_PROXY: proxy.url, NO_PROXY: '' } }));
      assert.equal(out.error, undefined, out.error?.message);
      assert.match(proxy.log(), new RegExp(`CONNECT 127\\.0\\.0\\.1:${new URL(server.url).port}`));
    } finally {
      await proxy.stop();
    }
  });
});
