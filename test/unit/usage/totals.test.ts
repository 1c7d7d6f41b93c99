import { strict as assert } from 'node:assert';
import { unknownUsageRecord } from '../../../src/usage/record';
import { BY_DAY_DAYS, UsageAccumulator, addRecord, emptyTotals, summarize } from '../../../src/usage/totals';
import { record } from './usageTestKit';

const local = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min).getTime();

suite('usage totals', () => {
  test('known costs and unknown costs are kept apart, and requests without usage still count', () => {
    const t = emptyTotals();
    addRecord(t, record({ cost: 0.01, costSource: 'provider', totalTokens: 100 }));
    addRecord(t, record({ cost: null, costSource: 'unknown', totalTokens: 250 }));
    addRecord(t, unknownUsageRecord({ modelId: 'mini', category: 'chat' }, { time: 1, sessionId: 's' }));
    assert.deepEqual(
      [t.requests, t.requestsWithoutUsage, t.knownCostNanos, t.unknownCostRequests, t.unknownCostTokens, t.totalTokens],
      [3, 1, 10_000_000, 2, 250, 350],
    );
  });

  test('summarize splits into session, today, this month and all time by local boundaries', () => {
    const now = local(2024, 5, 17, 15);
    const records = [
      record({}, { time: local(2024, 5, 17, 0, 1), sessionId: 'me' }),
      record({}, { time: local(2024, 5, 16, 23, 59), sessionId: 'me' }),
      record({}, { time: local(2024, 5, 1, 0, 0), sessionId: 'other' }),
      record({}, { time: local(2024, 4, 30, 23, 59), sessionId: 'other' }),
      record({}, { time: local(2023, 5, 17, 12), sessionId: 'other' }),
    ];
    const s = summarize(records, { now, sessionId: 'me' });
    assert.equal(s.today.totals.requests, 1);
    assert.equal(s.month.totals.requests, 3);
    assert.equal(s.all.totals.requests, 5);
    assert.equal(s.session.totals.requests, 2);
  });

  test('totals by model and by category add up to the period total', () => {
    const now = local(2024, 5, 17);
    const s = summarize(
      [
        record({ modelId: 'mini', category: 'chat', cost: 0.002 }, { time: now }),
        record({ modelId: 'mini', category: 'probe', cost: 0.001 }, { time: now }),
        record({ modelId: 'local', category: 'chat', cost: null, costSource: 'unknown' }, { time: now }),
      ],
      { now, sessionId: 'x' },
    );
    assert.deepEqual([...s.today.byModel.keys()].sort(), ['local', 'mini']);
    assert.equal(s.today.byModel.get('mini')?.knownCostNanos, 3_000_000);
    assert.equal(s.today.byModel.get('local')?.unknownCostRequests, 1);
    assert.equal(s.today.byCategory.get('chat')?.requests, 2);
    assert.equal(s.today.byCategory.get('probe')?.knownCostNanos, 1_000_000);
  });

  test('model ids that look like object keys are ordinary keys', () => {
    const s = summarize([record({ modelId: '__proto__' }), record({ modelId: 'constructor' })], { now: 0, sessionId: 'x' });
    assert.equal(s.all.byModel.get('__proto__')?.requests, 1);
    assert.equal(s.all.byModel.get('constructor')?.requests, 1);
  });

  test('byDay covers the last 30 local days oldest first, with empty days as zeros', () => {
    const now = local(2024, 3, 15, 9);
    const s = summarize([record({}, { time: local(2024, 3, 15, 1) }), record({}, { time: local(2024, 2, 15, 1) }), record({}, { time: local(2024, 2, 14, 23) })], { now, sessionId: 'x' });
    assert.equal(s.byDay.length, BY_DAY_DAYS);
    assert.equal(s.byDay[0].day, '2024-02-15');
    assert.equal(s.byDay[0].totals.requests, 1);
    assert.equal(s.byDay[BY_DAY_DAYS - 1].day, '2024-03-15');
    assert.equal(s.byDay[BY_DAY_DAYS - 1].totals.requests, 1);
    assert.equal(s.byDay[10].totals.requests, 0);
  });

  test('an accumulator moves "today" at local midnight without being rebuilt', () => {
    const acc = new UsageAccumulator('me');
    acc.add(record({}, { time: local(2024, 5, 17, 23, 50) }));
    assert.equal(acc.snapshot(local(2024, 5, 17, 23, 59)).today.totals.requests, 1);
    assert.equal(acc.snapshot(local(2024, 5, 18, 0, 1)).today.totals.requests, 0);
    assert.equal(acc.snapshot(local(2024, 5, 18, 0, 1)).month.totals.requests, 1);
    assert.equal(acc.snapshot(local(2024, 6, 1, 0, 1)).month.totals.requests, 0);
  });

  test('a snapshot does not change when more records arrive later', () => {
    const acc = new UsageAccumulator('me');
    acc.add(record({ modelId: 'mini' }, { sessionId: 'me' }));
    const before = acc.snapshot(0);
    acc.add(record({ modelId: 'mini' }, { sessionId: 'me' }));
    assert.equal(before.all.totals.requests, 1);
    assert.equal(before.all.byModel.get('mini')?.requests, 1);
    assert.equal(acc.snapshot(0).all.totals.requests, 2);
  });

  test('the last request is the latest by time, whatever the order records arrive in', () => {
    const late = record({}, { time: 2000, id: 'late' });
    const early = record({}, { time: 1000, id: 'early' });
    assert.equal(summarize([late, early], { now: 0, sessionId: 'x' }).last?.id, 'late');
    assert.equal(summarize([], { now: 0, sessionId: 'x' }).last, undefined);
  });

  test('clear forgets everything', () => {
    const acc = new UsageAccumulator('me');
    acc.add(record({}, { sessionId: 'me', time: 5 }));
    acc.clear();
    const s = acc.snapshot(5);
    assert.deepEqual([s.all.totals.requests, s.session.totals.requests, s.today.totals.requests, s.last], [0, 0, 0, undefined]);
  });
});
