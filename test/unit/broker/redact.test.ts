import { strict as assert } from 'node:assert';
import { chatStream, withoutPrompts, type BrokerLogEntry, type ReplayRecord } from '../../../src/broker';
import { maskQuery, redact } from '../../../src/broker/redact';
import { SseServer } from '../../support/sseServer';
import { collect, modelAt } from './brokerTestKit';

const KEY = 'sk-or/v1+SECRET=value&more';

suite('redaction: URL queries and escaped secrets', () => {
  test('a URL query keeps its names and masks every value', () => {
    assert.equal(maskQuery('https://host/v1/chat/completions?key=AIzaSECRET&api-version=2024-10-21#x'), 'https://host/v1/chat/completions?key=***&api-version=***#x');
    assert.equal(redact('POST https://host/v1?key=AIzaSECRET status=200', []), 'POST https://host/v1?key=*** status=200');
    assert.equal(redact('redirects to http://h/p?token=abc; then', []), 'redirects to http://h/p?token=***; then');
    assert.equal(redact('no url? fine', []), 'no url? fine');
  });

  test('a secret is redacted as written, JSON-escaped (\\/, \\u00xx in either case) and percent-encoded', () => {
    const forms = [
      KEY,
      JSON.stringify(KEY).slice(1, -1),
      'sk-or\\/v1+SECRET=value&more',
      'sk-or\\/v1\\u002bSECRET\\u003dvalue\\u0026more',
      'sk-or\\u002Fv1\\u002BSECRET=value\\u0026more',
      encodeURIComponent(KEY),
    ];
    for (const form of forms) {
      const out = redact(`{"error":{"message":"Invalid key ${form} given"}}`, [KEY]);
      assert.equal(out, '{"error":{"message":"Invalid key [redacted] given"}}', `form ${form}`);
    }
  });

  test('a record without prompts keeps the request settings and the messages\' sizes, not their text', () => {
    const record: ReplayRecord = {
      modelId: 'm', kind: 'http', message: 'HTTP 400', url: 'http://h/v1/chat/completions', status: 400, responseHeaders: {}, bodyHead: '', time: 't',
      requestBody: { model: 'x', temperature: 0.2, messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'my private question' }] },
    };
    const stripped = withoutPrompts(record);
    assert.equal(stripped.promptsKept, false);
    assert.deepEqual(stripped.requestBody, {
      model: 'x', temperature: 0.2,
      messages: [{ role: 'system', content: '[not kept: 8 characters]' }, { role: 'user', content: '[not kept: 19 characters]' }],
    });
    assert.ok(!JSON.stringify(stripped).includes('private'));
  });
});

suite('redaction: end to end against a server that echoes the key', () => {
  let server: SseServer;
  suiteSetup(async () => (server = await SseServer.start()));
  suiteTeardown(() => server.close());

  test('a key echoed JSON-escaped in an error body and sent in the URL query never reaches the log line, the error or the replay record', async () => {
    const escaped = 'sk-or\\/v1\\u002bSECRET\\u003dvalue\\u0026more';
    server.respond({ status: 401, headers: { 'content-type': 'application/json' }, body: `{"error":{"message":"Incorrect API key provided: ${escaped}","code":"invalid_api_key"}}` });
    const log: BrokerLogEntry[] = [];
    const out = await collect(chatStream(modelAt(`${server.url}/v1/chat/completions?key=${encodeURIComponent(KEY)}`, { keyEnv: 'K' }), [{ role: 'user', content: 'hi' }], {
      env: { K: KEY }, log: (e) => log.push(e),
    }));
    assert.equal(out.error?.status, 401);
    assert.match(server.requests[0]!.path, /\?key=sk-or/, 'the server did receive the key in its query');
    const everything = JSON.stringify(log) + out.error!.message;
    for (const leak of [KEY, 'SECRET', escaped]) assert.ok(!everything.includes(leak), `${leak} leaked: ${everything}`);
    const request = log.find((e) => e.type === 'request') as Extract<BrokerLogEntry, { type: 'request' }>;
    assert.match(request.line, /\/v1\/chat\/completions\?key=\*\*\* status=401/);
    const replay = log.find((e) => e.type === 'replay') as Extract<BrokerLogEntry, { type: 'replay' }>;
    assert.match(replay.record.url, /\?key=\*\*\*$/);
    assert.match(replay.record.bodyHead, /Incorrect API key provided: \[redacted\]/);
  });
});
