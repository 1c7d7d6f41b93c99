import { strict as assert } from 'node:assert';
import { chainFor, parseSettings, type SettingsProblem } from '../../../src/config/parseSettings';

const paths = (ps: SettingsProblem[], severity?: 'error' | 'warning') => ps.filter((p) => !severity || p.severity === severity).map((p) => p.path);

suite('settings parser: valid settings', () => {
  test('with nothing set, the default local model at llama.cpp\'s port serves every chain, without problems', () => {
    const s = parseSettings({});
    assert.deepEqual(Object.keys(s.models), ['local']);
    assert.equal(s.models.local.endpoint, 'http://127.0.0.1:8080');
    assert.equal(s.models.local.keyEnv, undefined);
    assert.deepEqual(s.chains, { chat: ['local'] });
    assert.deepEqual(s.purposes, { chat: 'chat', summarize: 'chat', probe: 'chat', memory_summarize: 'chat', delegate: 'chat' });
    assert.deepEqual(s.problems, []);
    assert.equal(s.statusBarPeriod, 'today');
    assert.deepEqual(s.budget, { daily: 0, monthly: 0 });
  });

  test('a full model with key variable, headers, limits and prices parses into a broker config', () => {
    const s = parseSettings({
      models: {
        'or-mini': {
          endpoint: ' https://openrouter.ai/api/v1 ', model: 'openai/gpt-4o-mini', keyEnv: 'OPENROUTER_API_KEY',
          headers: { 'HTTP-Referer': 'https://example.com' }, temperature: 0, maxTokens: 2048, contextTokens: 128000,
          timeoutMs: 30000, idleTimeoutMs: 45000, includeUsage: 'always', price: { inputPerMTok: 0.15, outputPerMTok: 0.6, cachedInputPerMTok: 0.075 },
        },
      },
      chains: { chat: ['or-mini'], summarize: ['or-mini'], probe: ['or-mini'] },
      budgetDaily: 1.5, budgetMonthly: 20, statusBarPeriod: 'month',
    }, { OPENROUTER_API_KEY: 'sk-test' });
    assert.deepEqual(s.problems, []);
    assert.deepEqual(s.models['or-mini'], {
      id: 'or-mini', endpoint: 'https://openrouter.ai/api/v1', model: 'openai/gpt-4o-mini', keyEnv: 'OPENROUTER_API_KEY',
      headers: { 'HTTP-Referer': 'https://example.com' }, temperature: 0, maxTokens: 2048, contextTokens: 128000,
      timeoutMs: 30000, idleTimeoutMs: 45000, includeUsage: 'always', price: { inputPerMTok: 0.15, outputPerMTok: 0.6, cachedInputPerMTok: 0.075 },
    });
    assert.deepEqual(s.budget, { daily: 1.5, monthly: 20 });
    assert.equal(s.statusBarPeriod, 'month');
  });

  test('chainFor resolves a purpose to model configs in the order given', () => {
    const s = parseSettings({
      models: { a: { endpoint: 'http://127.0.0.1:1', model: 'a' }, b: { endpoint: 'http://127.0.0.1:2', model: 'b' } },
      chains: { chat: ['b', 'a'], summarize: ['a'], probe: ['a'] },
    });
    assert.deepEqual(chainFor(s, 'chat').map((m) => m.id), ['b', 'a']);
  });

  test('user-named chains are accepted; purposes map onto them; a purpose without a mapping uses its own chain, else chat', () => {
    const s = parseSettings({
      models: { a: { endpoint: 'http://127.0.0.1:1', model: 'a' }, b: { endpoint: 'http://127.0.0.1:2', model: 'b' } },
      chains: { chat: ['a'], cheap: ['b'], strong: ['a', 'b'], summarize: ['b'] },
      purposes: { probe: 'cheap', memory_summarize: 'cheap', delegate: 'strong' },
    });
    assert.deepEqual(s.problems, []);
    assert.deepEqual(s.purposes, { chat: 'chat', summarize: 'summarize', probe: 'cheap', memory_summarize: 'cheap', delegate: 'strong' });
    assert.deepEqual(chainFor(s, 'delegate').map((m) => m.id), ['a', 'b']);
  });
});

suite('settings parser: broken settings give a problem with its path and a fix, and never throw', () => {
  test('a chain entry naming an unknown model is an error at that entry, and the rest of the chain stays usable', () => {
    const s = parseSettings({ models: { a: { endpoint: 'http://127.0.0.1:1', model: 'a' } }, chains: { chat: ['ghost', 'a'] } });
    const p = s.problems.find((x) => x.path === 'switchboard.chains.chat[0]');
    assert.ok(p, JSON.stringify(s.problems));
    assert.equal(p.severity, 'error');
    assert.match(p.message, /"ghost"/);
    assert.match(p.fix, /a/);
    assert.deepEqual(s.chains.chat, ['a']);
  });

  test('a chain left empty (or emptied by bad entries) is an error that says requests will fail', () => {
    const s = parseSettings({ chains: { summarize: [] } });
    const p = s.problems.find((x) => x.path === 'switchboard.chains.summarize');
    assert.match(p?.message ?? '', /requests on the "summarize" chain will fail/);
    assert.deepEqual(s.chains.summarize, []);
    assert.deepEqual(s.chains.chat, ['local']);
  });

  test('bad URLs, a URL with credentials and a missing model name each drop that model with an error', () => {
    const s = parseSettings({
      models: {
        noscheme: { endpoint: '127.0.0.1:8080', model: 'x' },
        ftp: { endpoint: 'ftp://host/v1', model: 'x' },
        creds: { endpoint: 'https://user:secret@host/v1', model: 'x' },
        noname: { endpoint: 'http://127.0.0.1:1' },
        ok: { endpoint: 'http://127.0.0.1:1', model: 'ok' },
      },
      chains: { chat: ['ok'], summarize: ['ok'], probe: ['ok'] },
    });
    assert.deepEqual(Object.keys(s.models), ['ok']);
    assert.deepEqual(paths(s.problems, 'error').sort(), [
      'switchboard.models.creds.endpoint', 'switchboard.models.ftp.endpoint', 'switchboard.models.noname.model', 'switchboard.models.noscheme.endpoint',
    ]);
    assert.ok(!s.problems.some((p) => p.message.includes('secret')), 'the password is not echoed into the problem');
  });

  test('negative or malformed prices are errors, and the model keeps working with cost unknown (never $0)', () => {
    const s = parseSettings({
      models: { m: { endpoint: 'http://127.0.0.1:1', model: 'm', price: { inputPerMTok: -1, outputPerMTok: 'cheap' } } },
      chains: { chat: ['m'], summarize: ['m'], probe: ['m'] },
    });
    assert.deepEqual(paths(s.problems).sort(), ['switchboard.models.m.price.inputPerMTok', 'switchboard.models.m.price.outputPerMTok']);
    assert.equal(s.models.m.price, undefined);
    assert.match(s.problems[0].fix, /unknown/);
  });

  test('duplicate ids (differing only in case) and repeated chain entries are reported', () => {
    const s = parseSettings({
      models: { Gpt: { endpoint: 'http://127.0.0.1:1', model: 'a' }, gpt: { endpoint: 'http://127.0.0.1:2', model: 'b' } },
      chains: { chat: ['Gpt', 'Gpt'], summarize: ['Gpt'], probe: ['Gpt'] },
    });
    assert.deepEqual(Object.keys(s.models), ['Gpt']);
    assert.ok(s.problems.some((p) => p.path === 'switchboard.models.gpt' && p.severity === 'error' && /duplicates/.test(p.message)));
    assert.ok(s.problems.some((p) => p.path === 'switchboard.chains.chat[1]' && p.severity === 'warning'));
    assert.deepEqual(s.chains.chat, ['Gpt']);
  });

  test('a keyEnv naming an unset variable is a warning (the user may set it later), not an error', () => {
    const s = parseSettings({ models: { c: { endpoint: 'https://api.example/v1', model: 'c', keyEnv: 'MISSING_KEY' } }, chains: { chat: ['c'], summarize: ['c'], probe: ['c'] } }, {});
    assert.deepEqual(s.problems.map((p) => [p.severity, p.path]), [['warning', 'switchboard.models.c.keyEnv']]);
    assert.match(s.problems[0].message, /MISSING_KEY is not set/);
    assert.equal(s.models.c.keyEnv, 'MISSING_KEY');
  });

  test('no warning for an unset keyEnv when the model has a key in secret storage', () => {
    const s = parseSettings({ models: { c: { endpoint: 'https://api.example/v1', model: 'c', keyEnv: 'MISSING_KEY' } }, chains: { chat: ['c'], summarize: ['c'], probe: ['c'] } }, {}, new Set(['c']));
    assert.deepEqual(s.problems, []);
  });

  test('a key pasted into keyEnv is refused without echoing it, and the model is not used', () => {
    const key = 'sk-or-v1-0123456789abcdef0123456789abcdef';
    const s = parseSettings({ models: { c: { endpoint: 'https://api.example/v1', model: 'c', keyEnv: key } }, chains: { chat: ['c'] } });
    assert.equal(s.models.c, undefined);
    const p = s.problems.find((x) => x.path === 'switchboard.models.c.keyEnv');
    assert.ok(p);
    assert.ok(!JSON.stringify(s.problems).includes(key));
  });

  test('wrong types everywhere never throw and each is named', () => {
    const weird: unknown[] = [null, 42, 'text', [], true];
    for (const models of weird) {
      for (const chains of weird) {
        const s = parseSettings({ models, chains, budgetDaily: -3, budgetMonthly: 'lots', statusBarPeriod: 'week' });
        assert.ok(Array.isArray(s.problems));
        assert.ok(paths(s.problems).includes('switchboard.budget.daily'));
        assert.ok(paths(s.problems).includes('switchboard.budget.monthly'));
        assert.ok(paths(s.problems).includes('switchboard.statusBar.period'));
        assert.equal(s.statusBarPeriod, 'today');
      }
    }
  });

  test('bad optional fields are dropped with an error while the model stays usable; unknown fields are warnings', () => {
    const s = parseSettings({
      models: { m: { endpoint: 'http://127.0.0.1:1', model: 'm', temperature: 7, maxTokens: 1.5, timeoutMs: -1, includeUsage: 'sometimes', headers: { 'Bad Header': 'x', Ok: 3 }, colour: 'blue' } },
      chains: { chat: ['m'], summarize: ['m'], probe: ['m'] },
    });
    assert.ok(s.models.m);
    assert.equal(s.models.m.temperature, undefined);
    assert.deepEqual(paths(s.problems, 'error').sort(), [
      'switchboard.models.m.headers.Bad Header', 'switchboard.models.m.headers.Ok', 'switchboard.models.m.includeUsage',
      'switchboard.models.m.maxTokens', 'switchboard.models.m.temperature', 'switchboard.models.m.timeoutMs',
    ]);
    assert.deepEqual(paths(s.problems, 'warning'), ['switchboard.models.m.colour']);
  });

  test('an unknown purpose in switchboard.purposes is a warning and ignored', () => {
    const s = parseSettings({ purposes: { translate: 'chat' } });
    assert.deepEqual(s.problems.map((p) => [p.severity, p.path]), [['warning', 'switchboard.purposes.translate']]);
  });

  test('a purpose naming a chain that does not exist is an error, and the purpose falls back to chat', () => {
    const s = parseSettings({ purposes: { probe: 'cheap', delegate: 7 } });
    assert.deepEqual(s.problems.map((p) => [p.severity, p.path]), [['error', 'switchboard.purposes.probe'], ['error', 'switchboard.purposes.delegate']]);
    assert.match(s.problems[0].fix, /"chat" is used meanwhile/);
    assert.equal(s.purposes.probe, 'chat');
  });

  test('a keyEnv holding a key itself is refused without echoing it, whatever its shape', () => {
    for (const value of ['sk-or-v1-0123456789abcdef', 'a1b2c3d4e5f60718293a4b5c6d7e8f90', 'gsk_live_ABCdef123', 'AIzaSyD-very-secret-value-here']) {
      const s = parseSettings({ models: { m: { endpoint: 'https://example.com/v1', model: 'x', keyEnv: value } } });
      const p = s.problems.find((x) => x.path === 'switchboard.models.m.keyEnv');
      assert.ok(p, value);
      assert.match(p.message, /this looks like a key, not a variable name/);
      assert.ok(!JSON.stringify(s.problems).includes(value), 'the value is never echoed');
      assert.equal(s.models.m, undefined, 'the model is not used until fixed');
    }
    const bad = parseSettings({ models: { m: { endpoint: 'https://example.com/v1', model: 'x', keyEnv: 'not a name' } } });
    assert.ok(!JSON.stringify(bad.problems).includes('not a name'));
  });

  test('extraBody is merged as given, except fields Switchboard sets, which are refused by name', () => {
    const s = parseSettings({ models: { m: { endpoint: 'http://127.0.0.1:1', model: 'x', extraBody: { top_p: 0.9, provider: { order: ['a'] }, model: 'evil', stream: false, tools: [] } } }, chains: { chat: ['m'] } });
    assert.deepEqual(s.models.m.extraBody, { top_p: 0.9, provider: { order: ['a'] } });
    assert.deepEqual(s.problems.map((p) => p.path), ['switchboard.models.m.extraBody.model', 'switchboard.models.m.extraBody.stream', 'switchboard.models.m.extraBody.tools']);
    const notObject = parseSettings({ models: { m: { endpoint: 'http://127.0.0.1:1', model: 'x', extraBody: [1] } } });
    assert.equal(notObject.problems[0].path, 'switchboard.models.m.extraBody');
  });
});

suite('settings parser: network and log settings', () => {
  const one = (fields: Record<string, unknown>, endpoint = 'https://llm.internal:8443') =>
    parseSettings({ models: { m: { endpoint, model: 'x', ...fields } }, chains: { chat: ['m'], summarize: ['m'], probe: ['m'] } });

  test('caFile (absolute or ~/), maxAnswerChars and keepFailedRequests parse without problems', () => {
    const s = parseSettings({
      models: { m: { endpoint: 'https://llm.corp', model: 'x', caFile: '/etc/ssl/company.pem', maxAnswerChars: 100000 } },
      chains: { chat: ['m'], summarize: ['m'], probe: ['m'] }, keepFailedRequests: false,
    });
    assert.deepEqual(s.problems, []);
    assert.equal(s.models.m.caFile, '/etc/ssl/company.pem');
    assert.equal(s.models.m.maxAnswerChars, 100000);
    assert.equal(s.keepFailedRequests, false);
    assert.equal(one({ caFile: '~/ca.pem' }).models.m.caFile, '~/ca.pem');
    assert.equal(parseSettings({}).keepFailedRequests, true, 'on by default');
  });

  test('a relative caFile, a tiny maxAnswerChars and a non-boolean keepFailedRequests are named with their paths, and defaults stand', () => {
    const s = one({ caFile: 'certs/ca.pem', maxAnswerChars: 10 });
    assert.deepEqual(paths(s.problems, 'error').sort(), ['switchboard.models.m.caFile', 'switchboard.models.m.maxAnswerChars']);
    assert.equal(s.models.m.caFile, undefined);
    assert.equal(s.models.m.maxAnswerChars, undefined);
    const k = parseSettings({ keepFailedRequests: 'yes' });
    assert.deepEqual(paths(k.problems, 'error'), ['switchboard.log.keepFailedRequests']);
    assert.equal(k.keepFailedRequests, true);
  });

  test('allowInsecureTls is honoured with a warning for private hosts, ignored with a warning for a public address', () => {
    for (const endpoint of ['https://127.0.0.1:8443', 'https://192.168.1.5:8443', 'https://gpu-box.lan:8443']) {
      const s = one({ allowInsecureTls: true }, endpoint);
      assert.equal(s.models.m.allowInsecureTls, true, endpoint);
      assert.deepEqual(paths(s.problems, 'warning'), ['switchboard.models.m.allowInsecureTls'], endpoint);
      assert.match(s.problems[0]!.message, /certificate checks are off/);
    }
    const pub = one({ allowInsecureTls: true }, 'https://8.8.8.8');
    assert.equal(pub.models.m.allowInsecureTls, undefined);
    assert.match(pub.problems[0]!.message, /is ignored: 8\.8\.8\.8 is a public address/);
    assert.deepEqual(paths(one({ allowInsecureTls: 'yes' }).problems, 'error'), ['switchboard.models.m.allowInsecureTls']);
  });
});
