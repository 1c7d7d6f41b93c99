import { strict as assert } from 'node:assert';
import { IncludeUsageMemory, chatCompletionsUrl, envKeyResolver, type NetworkSettings, type Usage } from '../../../src/broker';
import { ModelRunner } from '../../../src/chat/modelRunner';
import type { UnknownUsage } from '../../../src/usage/record';
import { rmSync } from 'node:fs';
import { checkConnection, describeRoute, formatReports, modelsUrl } from '../../../src/config/connectionCheck';
import { makeTestPki, type TestPki } from '../../support/testCa';
import { Tinyproxy } from '../../support/tinyproxy';
import type { ModelSettings } from '../../../src/config/settingsTypes';
import { settingsWith } from '../../support/settingsKit';
import { SseServer, type RecordedRequest } from '../../support/sseServer';
import { refusedPort } from '../../support/ports';
import { DONE, sse } from '../../fixtures/providers/build';

const healthyStream = sse(
  { choices: [{ index: 0, delta: { role: 'assistant', content: 'ok' } }] },
  { choices: [{ index: 0, delta: {}, finish_reason: 'length' }] },
  { choices: [], usage: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 } },
  DONE,
);
const eventStream = { 'content-type': 'text/event-stream' };

/** Runs the check the way Test Connection does: through a model runner that records into `recorded`. */
function check(model: ModelSettings, env: Record<string, string | undefined>, opts: { includeUsageMemory?: IncludeUsageMemory; signal?: AbortSignal; network?: NetworkSettings } = {}, recorded: (Usage | UnknownUsage)[] = []) {
  const resolveKey = envKeyResolver(env);
  const runner = new ModelRunner({ settings: () => settingsWith([model]), resolveKey, record: (u) => recorded.push(u), brokerOptions: () => ({ env, network: opts.network }) });
  return checkConnection(model, { runner, resolveKey, env, ...opts });
}

suite('connection check against loopback servers', () => {
  let server: SseServer;
  setup(async () => {
    server = await SseServer.start();
  });
  teardown(async () => {
    await server.close();
  });

  test('a healthy server: reachable, first-token time, usage arrived, listed models, under category probe', async () => {
    server.setDefault((req: RecordedRequest) => req.method === 'GET'
      ? { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ object: 'list', data: [{ id: 'qwen2.5-7b' }, { id: 'llama-3.1-8b' }] }) }
      : { status: 200, headers: eventStream, body: healthyStream });
    const recorded: (Usage | UnknownUsage)[] = [];
    const r = await check({ id: 'local', endpoint: server.url, model: 'qwen2.5-7b' }, {}, {}, recorded);
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.deepEqual(recorded.map((u) => [u.modelId, u.category]), [['local', 'probe']], 'the check\'s own spend is recorded once, under probe');
    assert.equal(typeof r.ttftMs, 'number');
    assert.equal(r.usageArrived, true);
    assert.equal(r.usage?.category, 'probe');
    assert.equal(r.usage?.cost, null, 'no price and no provider cost: unknown, not 0');
    assert.deepEqual(r.listedModels, ['qwen2.5-7b', 'llama-3.1-8b']);
    assert.equal(r.streamOptionsDropped, false);
    const chat = server.requests.find((q) => q.method === 'POST')!;
    assert.equal(chat.path, '/v1/chat/completions');
    assert.equal(chat.json().max_tokens, 1);
    assert.equal(server.requests.find((q) => q.method === 'GET')!.path, '/v1/models');
  });

  test('a server answering 401 is reported as an http error with its status and message, and sends the key', async () => {
    server.setDefault({ status: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { message: 'Invalid API Key', type: 'invalid_request_error', code: 'invalid_api_key' } }) });
    const r = await check({ id: 'cloud', endpoint: `${server.url}/v1`, model: 'm', keyEnv: 'TEST_KEY' }, { TEST_KEY: 'sk-secret' });
    assert.equal(r.ok, false);
    assert.equal(r.error?.kind, 'http');
    assert.equal(r.error?.status, 401);
    assert.match(r.error?.message ?? '', /Invalid API Key/);
    assert.equal(r.listedModels, null);
    assert.match(r.listError ?? '', /401/);
    assert.ok(server.requests.every((q) => q.headers.authorization === 'Bearer sk-secret'));
  });

  test('a port that refuses connections is a transport error, quickly, with no model list', async () => {
    const port = await refusedPort();
    const started = Date.now();
    const r = await check({ id: 'down', endpoint: `http://127.0.0.1:${port}`, model: 'm' }, {});
    assert.equal(r.ok, false);
    assert.equal(r.error?.kind, 'transport');
    assert.equal(r.listedModels, null);
    assert.ok(Date.now() - started < 5000);
  });

  test('a server that rejects stream_options is retried without it, and the report says it was dropped', async () => {
    server.setDefault((req: RecordedRequest) => {
      if (req.method === 'GET') return { status: 404, body: 'not found' };
      return 'stream_options' in req.json()
        ? { status: 422, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ object: 'error', message: { detail: [{ type: 'extra_forbidden', loc: ['body', 'stream_options'] }] }, type: 'invalid_request_error' }) }
        : { status: 200, headers: eventStream, body: healthyStream };
    });
    const shared = new IncludeUsageMemory();
    const model = { id: 'mistral', endpoint: server.url, model: 'mistral-small' };
    const r = await check(model, {}, { includeUsageMemory: shared });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(r.streamOptionsDropped, true);
    assert.equal(r.listedModels, null);
    assert.match(r.listError ?? '', /no \/models route/);
    assert.equal(shared.refuses(chatCompletionsUrl(model.endpoint), 'mistral-small'), true, 'the shared memory learned it');
  });

  test('a key variable that is not set is a config error before any request', async () => {
    const r = await check({ id: 'c', endpoint: server.url, model: 'm', keyEnv: 'NOT_SET_ANYWHERE' }, {});
    assert.equal(r.error?.kind, 'config');
    assert.match(r.error?.message ?? '', /NOT_SET_ANYWHERE/);
    assert.equal(server.requests.length, 0);
  });

  test('cancelling the check aborts it instead of reporting a failure', async () => {
    server.setDefault({ status: 200, headers: eventStream, body: [{ stall: true }] });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    await assert.rejects(check({ id: 'slow', endpoint: server.url, model: 'm' }, {}, { signal: abort.signal }), (e: { kind?: string }) => e.kind === 'aborted');
  });
});

suite('connection check helpers', () => {
  test('the models URL follows every endpoint shape the broker accepts', () => {
    assert.equal(modelsUrl('http://127.0.0.1:8080'), 'http://127.0.0.1:8080/v1/models');
    assert.equal(modelsUrl('https://openrouter.ai/api/v1'), 'https://openrouter.ai/api/v1/models');
    assert.equal(modelsUrl('https://host/openai/chat/completions'), 'https://host/openai/models');
  });

  test('the markdown report has one row per model and escapes table characters', () => {
    const md = formatReports([
      { modelId: 'a', ok: true, ttftMs: 12, totalMs: 30, usageArrived: true, streamOptionsDropped: false, listedModels: ['x'] },
      { modelId: 'b', ok: false, error: { kind: 'http', status: 401, message: 'bad | key' }, ttftMs: null, totalMs: 5, usageArrived: false, streamOptionsDropped: false, listedModels: null, listError: 'GET /models answered HTTP 401' },
    ]);
    assert.match(md, /\| a \| reachable \| 12 ms \| yes \|/);
    assert.match(md, /\| b \| http 401: bad \\\| key \| — \| no \|/);
  });
});

suite('connection check: which proxy and which CAs each model used', () => {
  let pki: TestPki;
  let tlsServer: SseServer;
  let proxy: Tinyproxy;
  suiteSetup(async () => {
    pki = makeTestPki();
    tlsServer = await SseServer.start({ tls: { key: pki.serverKey, cert: pki.serverCert } });
    tlsServer.setDefault((req: RecordedRequest) => req.method === 'GET'
      ? { status: 200, headers: { 'content-type': 'application/json' }, body: '{"data":[{"id":"m"}]}' }
      : { status: 200, headers: eventStream, body: healthyStream });
    proxy = await Tinyproxy.start();
  });
  suiteTeardown(async () => {
    await tlsServer?.close();
    await proxy?.stop();
    if (pki) rmSync(pki.dir, { recursive: true, force: true });
  });

  test('through the proxy with caFile: the requests pass the proxy, and the report names the proxy and the CA source', async () => {
    const r = await check({ id: 'corp', endpoint: tlsServer.url, model: 'm', caFile: pki.caFile }, { NO_PROXY: '' }, { network: { proxy: proxy.url } });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.deepEqual(r.listedModels, ['m']);
    assert.deepEqual(r.route, { proxy: proxy.url, proxySource: 'http.proxy', ca: 'caFile' });
    assert.equal((proxy.log().match(/CONNECT 127\.0\.0\.1/g) ?? []).length >= 1, true, proxy.log());
    assert.match(formatReports([r]), new RegExp(`\\| proxy ${proxy.url.replace(/\./g, '\\.')} \\(http\\.proxy\\); CAs: caFile \\|`));
  });

  test('direct, without caFile: the report says no proxy, system CAs, and the certificate error in words', async () => {
    const r = await check({ id: 'corp', endpoint: tlsServer.url, model: 'm' }, {});
    assert.equal(r.ok, false);
    assert.equal(describeRoute(r.route), 'no proxy; system CAs');
    assert.match(r.error?.message ?? '', /the server's certificate is signed by an unknown authority: set caFile/);
    assert.match(formatReports([r]), /transport: the server's certificate is signed by an unknown authority: set caFile/);
  });

  test('allowInsecureTls on a loopback server shows as certificates not verified', async () => {
    const r = await check({ id: 'lab', endpoint: tlsServer.url, model: 'm', allowInsecureTls: true }, {});
    assert.equal(r.ok, true, JSON.stringify(r.error));
    assert.equal(describeRoute(r.route), 'no proxy; system CAs; certificates not verified (allowInsecureTls)');
  });
});
