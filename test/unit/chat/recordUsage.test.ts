import { strict as assert } from 'node:assert';
import { BrokerError, type BrokerEvent, type Usage } from '../../../src/broker';
import { recordUsage } from '../../../src/chat/recordUsage';
import type { UnknownUsage } from '../../../src/usage/record';

const usage = (modelId: string, cost: number | null = 0.01): Usage => ({
  promptTokens: 3, completionTokens: 2, totalTokens: 5, cost, costSource: cost === null ? 'unknown' : 'provider', modelId, model: modelId, category: 'chat',
});

async function run(events: BrokerEvent[], end?: Error) {
  const recorded: (Usage | UnknownUsage)[] = [];
  const passed: BrokerEvent[] = [];
  async function* source() {
    yield* events;
    if (end) throw end;
  }
  let thrown: unknown;
  try {
    for await (const ev of recordUsage(source(), (e) => recorded.push(e), 'chat')) passed.push(ev);
  } catch (err) {
    thrown = err;
  }
  return { recorded, passed, thrown };
}

suite('recording every attempt of a stream in the usage ledger', () => {
  test('an answer with usage is recorded once, and every event passes through unchanged', async () => {
    const events: BrokerEvent[] = [{ kind: 'text', text: 'x' }, { kind: 'usage', usage: usage('a') }, { kind: 'done', finishReason: 'stop', model: 'a', modelId: 'a' }];
    const r = await run(events);
    assert.deepEqual(r.passed, events);
    assert.deepEqual(r.recorded, [usage('a')]);
  });

  test('an answer without usage is recorded as usage unknown for the model that answered', async () => {
    const r = await run([{ kind: 'text', text: 'x' }, { kind: 'done', finishReason: 'stop', model: 'qwen', modelId: 'local' }]);
    assert.deepEqual(r.recorded, [{ usageKnown: false, modelId: 'local', model: 'qwen', category: 'chat' }]);
  });

  test('a fallback chain records each failed attempt (with or without usage) and the one that answered', async () => {
    const r = await run([
      { kind: 'fallback', from: 'a', to: 'b', error: new BrokerError('timeout', 'idle', { status: 200 }) },
      { kind: 'usage', usage: usage('b') },
      { kind: 'fallback', from: 'b', to: 'c', error: new BrokerError('transport', 'cut', { status: 200 }) },
      { kind: 'text', text: 'ok' },
      { kind: 'done', finishReason: 'stop', model: null, modelId: 'c' },
    ]);
    assert.deepEqual(r.recorded.map((e) => ('usageKnown' in e ? `?${e.modelId}` : e.modelId)), ['?a', 'b', '?c']);
  });

  test('a final failure records the usage it carried, or usage unknown once the server had started answering', async () => {
    const withUsage = await run([{ kind: 'text', text: 'par' }], new BrokerError('transport', 'cut', { modelId: 'a', status: 200, usage: usage('a', 0.2) }));
    assert.deepEqual(withUsage.recorded, [usage('a', 0.2)]);
    assert.ok(withUsage.thrown instanceof BrokerError, 'the error is rethrown');
    const midStream = await run([], new BrokerError('transport', 'cut', { modelId: 'a', status: 200 }));
    assert.deepEqual(midStream.recorded, [{ usageKnown: false, modelId: 'a', category: 'chat' }]);
    const aborted = await run([{ kind: 'text', text: 'x' }], new BrokerError('aborted', 'stop', { modelId: 'a', status: 200 }));
    assert.equal(aborted.recorded.length, 1, 'a request stopped mid-answer may have cost something: counted as unknown');
  });

  test('attempts refused with an error status, or that never reached a server, generated nothing and are not recorded', async () => {
    const refused = await run([{ kind: 'fallback', from: 'a', to: 'b', error: new BrokerError('http', '503', { status: 503 }) }], new BrokerError('http', '500', { modelId: 'b', status: 500 }));
    assert.deepEqual(refused.recorded, []);
    const down = await run([], new BrokerError('transport', 'ECONNREFUSED', { modelId: 'a' }));
    assert.deepEqual(down.recorded, []);
    const config = await run([], new BrokerError('config', 'KEY not set', { modelId: 'a' }));
    assert.deepEqual(config.recorded, []);
  });
});
