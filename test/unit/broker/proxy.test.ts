import { strict as assert } from 'node:assert';
import { chatStream, closeRoutes, routeFor } from '../../../src/broker';
import { chooseProxy, noProxyEntryMatches } from '../../../src/broker/proxyChoice';
import { refusedPort } from '../../support/ports';
import { SseServer } from '../../support/sseServer';
import { Tinyproxy } from '../../support/tinyproxy';
import { collect, modelAt, SSE_HEADERS, sseBody } from './brokerTestKit';

const msgs = [{ role: 'user' as const, content: 'hi' }];
const through = (proxy: Tinyproxy, server: SseServer): boolean => proxy.log().includes(`${server.url}/v1/chat/completions`);

suite('proxies: which requests go through which proxy (pure rules)', () => {
  const u = (s: string) => new URL(s);
  test('VS Code http.proxy wins over HTTPS_PROXY; a proxy without a scheme is http://', () => {
    const p = chooseProxy(u('https://api.example.com/v1'), { proxy: 'proxy.corp:3128' }, { HTTPS_PROXY: 'http://other:8080' });
    assert.deepEqual(p, { uri: 'http://proxy.corp:3128', display: 'http://proxy.corp:3128', source: 'http.proxy' });
  });
  test('https targets use HTTPS_PROXY (either case), falling back to HTTP_PROXY; http targets only HTTP_PROXY', () => {
    assert.equal(chooseProxy(u('https://a.example/'), undefined, { https_proxy: 'http://lower:1' })?.source, 'https_proxy');
    assert.equal(chooseProxy(u('https://a.example/'), undefined, { HTTP_PROXY: 'http://h:1' })?.source, 'HTTP_PROXY');
    assert.equal(chooseProxy(u('http://a.example/'), undefined, { HTTPS_PROXY: 'http://s:1' }), undefined);
    assert.equal(chooseProxy(u('http://a.example/'), undefined, { http_proxy: '  ' }), undefined, 'an empty variable is no proxy');
  });
  test('credentials never reach the display form', () => {
    assert.equal(chooseProxy(u('https://a.example/'), { proxy: 'http://user:s3cret@proxy:3128' }, {})?.display, 'http://proxy:3128');
  });
  test('loopback goes direct by default; a NO_PROXY present in the environment, even empty, alone decides', () => {
    const net = { proxy: 'http://proxy:3128' };
    for (const host of ['http://127.0.0.1:8080/', 'http://localhost:11434/', 'http://[::1]:8080/', 'http://127.1.2.3/']) {
      assert.equal(chooseProxy(u(host), net, {}), undefined, host);
      assert.equal(chooseProxy(u(host), net, { NO_PROXY: '' })?.source, 'http.proxy', `${host} with NO_PROXY=""`);
    }
    assert.equal(chooseProxy(u('http://127.0.0.1:8080/'), net, { no_proxy: 'example.com' })?.source, 'http.proxy');
    assert.equal(chooseProxy(u('http://127.0.0.1:8080/'), net, { NO_PROXY: '127.0.0.1' }), undefined);
    assert.equal(chooseProxy(u('http://10.0.0.5/'), net, {})?.source, 'http.proxy', 'a private address is not loopback: proxied');
  });
  test('http.noProxy and NO_PROXY entries: host, .domain, *.domain, host:port, IPv4 CIDR, *', () => {
    const yes: [string, string, string][] = [
      ['example.com', 'example.com', '443'], ['example.com', 'api.example.com', '443'], ['.example.com', 'api.example.com', '443'],
      ['*.example.com', 'api.example.com', '443'], ['example.com:8443', 'example.com', '8443'], ['10.0.0.0/8', '10.1.2.3', '80'], ['*', 'any', '1'],
    ];
    const no: [string, string, string][] = [
      ['example.com', 'badexample.com', '443'], ['example.com:8443', 'example.com', '443'], ['10.0.0.0/8', '11.0.0.1', '80'], ['', 'a', '1'],
    ];
    for (const [e, h, p] of yes) assert.ok(noProxyEntryMatches(e, h, p), `${e} should match ${h}:${p}`);
    for (const [e, h, p] of no) assert.ok(!noProxyEntryMatches(e, h, p), `${e} should not match ${h}:${p}`);
    assert.equal(chooseProxy(u('https://llm.internal/'), { proxy: 'http://p:1', noProxy: ['.internal'] }, {}), undefined);
  });
  test('requests with the same proxy and CA share one dispatcher (connections are reused); another proxy gets another', () => {
    const a = routeFor('https://api.example.com/v1/chat/completions', {}, { network: { proxy: 'http://p1:1' }, env: {} });
    const b = routeFor('https://other.example.com/v1/chat/completions', {}, { network: { proxy: 'http://p1:1' }, env: {} });
    const c = routeFor('https://api.example.com/v1/chat/completions', {}, { network: { proxy: 'http://p2:1' }, env: {} });
    assert.equal(a.dispatcher, b.dispatcher);
    assert.notEqual(a.dispatcher, c.dispatcher);
    assert.deepEqual(a.info, { proxy: 'http://p1:1', proxySource: 'http.proxy', ca: 'system' });
  });
});

suite('proxies: requests through a real tinyproxy', () => {
  let server: SseServer;
  let proxy: Tinyproxy;
  suiteSetup(async () => {
    server = await SseServer.start();
    server.setDefault({ headers: SSE_HEADERS, body: sseBody(['via ', 'proxy']) });
    proxy = await Tinyproxy.start();
  });
  suiteTeardown(async () => {
    await server?.close();
    await proxy?.stop();
    await closeRoutes();
  });

  test('a loopback endpoint bypasses HTTP_PROXY by default: the proxy sees nothing', async () => {
    const out = await collect(chatStream(modelAt(server.url), msgs, { env: { HTTP_PROXY: proxy.url } }));
    assert.equal(out.error, undefined, out.error?.message);
    assert.ok(!through(proxy, server), proxy.log());
  });

  test('HTTP_PROXY with NO_PROXY set (empty): the request goes through the proxy, its log shows it, and the answer arrives', async () => {
    const out = await collect(chatStream(modelAt(server.url), msgs, { env: { HTTP_PROXY: proxy.url, NO_PROXY: '' } }));
    assert.equal(out.error, undefined, out.error?.message);
    assert.ok(through(proxy, server), `tinyproxy log:\n${proxy.log()}`);
  });

  test("VS Code's http.proxy routes the request; its log line names the proxy", async () => {
    const before = proxy.log().split(`${server.url}/v1/chat/completions`).length;
    const lines: string[] = [];
    const out = await collect(chatStream(modelAt(server.url), msgs, {
      env: { NO_PROXY: '' }, network: { proxy: proxy.url }, log: (e) => e.type === 'request' && lines.push(e.line),
    }));
    assert.equal(out.error, undefined, out.error?.message);
    assert.equal(proxy.log().split(`${server.url}/v1/chat/completions`).length, before + 1);
    assert.match(lines[0]!, new RegExp(`via=${proxy.url.replace(/[.]/g, '\\.')}`));
  });

  test('http.noProxy names a host that goes direct', async () => {
    const before = proxy.log().split(`${server.url}/v1/chat/completions`).length;
    const out = await collect(chatStream(modelAt(server.url), msgs, { env: { NO_PROXY: '' }, network: { proxy: proxy.url, noProxy: ['127.0.0.1'] } }));
    assert.equal(out.error, undefined, out.error?.message);
    assert.equal(proxy.log().split(`${server.url}/v1/chat/completions`).length, before);
  });

  test('a proxy that is not running is named in words', async () => {
    const port = await refusedPort();
    const out = await collect(chatStream(modelAt(server.url), msgs, { env: { NO_PROXY: '' }, network: { proxy: `http://127.0.0.1:${port}` } }));
    assert.equal(out.error?.kind, 'transport');
    assert.equal(out.error?.code, 'ECONNREFUSED');
    assert.match(out.error!.message, new RegExp(`could not connect to the proxy http://127\\.0\\.0\\.1:${port}: connection refused`));
  });
});

suite('proxies: a real tinyproxy that requires authentication', () => {
  let server: SseServer;
  let proxy: Tinyproxy;
  suiteSetup(async () => {
    server = await SseServer.start();
    server.setDefault({ headers: SSE_HEADERS, body: sseBody(['authenticated']) });
    proxy = await Tinyproxy.start({ basicAuth: ['switchboard', 'pr0xy-pass'] });
  });
  suiteTeardown(async () => {
    await server?.close();
    await proxy?.stop();
    await closeRoutes();
  });

  test('without credentials: the error says the proxy requires authentication and how to give it', async () => {
    const out = await collect(chatStream(modelAt(server.url), msgs, { env: { NO_PROXY: '' }, network: { proxy: proxy.url } }));
    assert.equal(out.error?.code, 'proxy_auth_required', out.error?.message);
    assert.match(out.error!.message, /requires authentication \(HTTP 407\): set http\.proxyAuthorization/);
  });

  test('credentials in the proxy URL work, and never appear in the log line', async () => {
    const lines: string[] = [];
    const out = await collect(chatStream(modelAt(server.url), msgs, {
      env: { NO_PROXY: '' }, network: { proxy: `http://switchboard:pr0xy-pass@127.0.0.1:${proxy.port}` }, log: (e) => e.type === 'request' && lines.push(e.line),
    }));
    assert.equal(out.error, undefined, out.error?.message);
    assert.ok(!lines.join('\n').includes('pr0xy-pass'));
    assert.ok(through(proxy, server));
  });

  test('http.proxyAuthorization is sent as Proxy-Authorization', async () => {
    const token = `Basic ${Buffer.from('switchboard:pr0xy-pass').toString('base64')}`;
    const out = await collect(chatStream(modelAt(server.url), msgs, { env: { NO_PROXY: '' }, network: { proxy: proxy.url, proxyAuthorization: token } }));
    assert.equal(out.error, undefined, out.error?.message);
  });
});

suite('proxies: an unusable proxy setting', () => {
  test('a proxy address that is not a URL is a config error naming where it came from', async () => {
    const out = await collect(chatStream(modelAt('https://api.example.com/v1'), msgs, { env: {}, network: { proxy: 'http://[bad' } }));
    assert.equal(out.error?.kind, 'config', out.error?.message);
    assert.equal(out.error?.code, 'proxy_invalid');
    assert.match(out.error!.message, /\(from http\.proxy\) cannot be used/);
  });
});
