import { strict as assert } from 'node:assert';
import {
  MAX_NAME_LENGTH,
  parseRecord,
  recordFromUsage,
  serializeRecord,
  unknownUsageRecord,
  type UsageRecord,
} from '../../../src/usage/record';
import { record, usage } from './usageTestKit';

const meta = { time: 1_700_000_000_000, sessionId: 'window-a', id: 'id-1' };

suite('usage records', () => {
  test('a local model without a price records its cost as unknown (null), never 0', () => {
    const r = recordFromUsage(usage({ cost: null, costSource: 'unknown', modelId: 'local', model: 'local' }), meta);
    assert.equal(r.costNanos, null);
    assert.equal(r.costSource, 'unknown');
    assert.equal(r.usageKnown, true);
    assert.equal(r.promptTokens, 100);
  });

  test('a free model whose provider reports cost 0 records a known zero', () => {
    const r = recordFromUsage(usage({ cost: 0, costSource: 'provider' }), meta);
    assert.equal(r.costNanos, 0);
    assert.equal(r.costSource, 'provider');
  });

  test('the cost source (provider or configured price) is kept, and the cost becomes integer nano-dollars', () => {
    const fromProvider = recordFromUsage(usage({ cost: 0.0123, costSource: 'provider' }), meta);
    const fromPrice = recordFromUsage(usage({ cost: 0.00042, costSource: 'price' }), meta);
    assert.deepEqual([fromProvider.costNanos, fromProvider.costSource], [12_300_000, 'provider']);
    assert.deepEqual([fromPrice.costNanos, fromPrice.costSource], [420_000, 'price']);
  });

  test('a cost labelled with an unknown source, or not a sane amount, is stored as unknown', () => {
    assert.equal(recordFromUsage(usage({ cost: 0, costSource: 'unknown' }), meta).costNanos, null);
    assert.equal(recordFromUsage(usage({ cost: -1, costSource: 'provider' }), meta).costNanos, null);
    assert.equal(recordFromUsage(usage({ cost: Number.NaN, costSource: 'price' }), meta).costSource, 'unknown');
  });

  test('optional counts default to 0 and fractional counts are rounded to whole tokens', () => {
    const r = recordFromUsage(usage({ promptTokens: 10.4, cachedTokens: undefined, reasoningTokens: 7 }), meta);
    assert.deepEqual([r.promptTokens, r.cachedTokens, r.reasoningTokens], [10, 0, 7]);
  });

  test('an attempt without usage records a request with unknown usage and cost', () => {
    const r = unknownUsageRecord({ modelId: 'mini', category: 'probe' }, meta);
    assert.equal(r.usageKnown, false);
    assert.equal(r.costNanos, null);
    assert.equal(r.model, 'mini');
    assert.equal(r.totalTokens, 0);
  });

  test('long names are clipped by code point so a line stays small and no surrogate pair is split', () => {
    const r = recordFromUsage(usage({ model: '😀'.repeat(300) }), meta);
    assert.equal(Array.from(r.model).length, MAX_NAME_LENGTH);
    assert.equal(r.model, '😀'.repeat(MAX_NAME_LENGTH));
    assert.ok(parseRecord(serializeRecord(r)));
  });

  test('a serialized record parses back to the same record and starts with the version', () => {
    for (const r of [record({ model: 'a "quoted", comma\nline' }), unknownUsageRecord({ modelId: 'x', category: 'chat' }, meta)]) {
      const line = serializeRecord(r);
      assert.ok(line.startsWith('{"v":1,'));
      assert.deepEqual(parseRecord(line), r);
    }
  });

  test('parseRecord rejects malformed lines without throwing', () => {
    const good = JSON.parse(serializeRecord(record())) as Record<string, unknown>;
    for (const line of ['not json', '', '[]', 'null', '"text"', '{"v":1,"id":"x"']) assert.equal(parseRecord(line), undefined, line);
    const variants: Partial<Record<keyof UsageRecord, unknown>>[] = [
      { v: 2 },
      { id: '' },
      { id: 7 },
      { time: -1 },
      { time: 1.5 },
      { promptTokens: -3 },
      { completionTokens: '20' },
      { totalTokens: Number.MAX_SAFE_INTEGER + 2 },
      { costNanos: 0.5 },
      { costNanos: null, costSource: 'provider' },
      { costNanos: 5, costSource: 'unknown' },
      { costSource: 'guess' },
      { usageKnown: 'yes' },
      { usageKnown: false },
      { model: 'x'.repeat(MAX_NAME_LENGTH + 1) },
    ];
    for (const change of variants) {
      assert.equal(parseRecord(JSON.stringify({ ...good, ...change })), undefined, JSON.stringify(change));
    }
    const missing = { ...good };
    delete missing.category;
    assert.equal(parseRecord(JSON.stringify(missing)), undefined);
    // The control: the unchanged record parses, so each rejection above is due to its one change.
    assert.ok(parseRecord(JSON.stringify(good)));
  });

  test('parseRecord drops unknown extra fields', () => {
    const line = JSON.stringify({ ...JSON.parse(serializeRecord(record())), extra: 1 });
    const parsed = parseRecord(line);
    assert.ok(parsed);
    assert.equal('extra' in parsed, false);
  });
});
