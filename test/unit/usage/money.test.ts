import { strict as assert } from 'node:assert';
import { formatUsd, groupDigits, nanosToDecimal, usdToNanos } from '../../../src/usage/money';
import { addRecord, emptyTotals } from '../../../src/usage/totals';
import { record } from './usageTestKit';

suite('money in nano-dollars', () => {
  test('0.1 + 0.2 added a million times each sums exactly, where floats drift', () => {
    const t = emptyTotals();
    const tenth = record({ cost: 0.1 });
    const fifth = record({ cost: 0.2 });
    let floatSum = 0;
    for (let i = 0; i < 1_000_000; i++) {
      addRecord(t, tenth);
      addRecord(t, fifth);
      floatSum += 0.1 + 0.2;
    }
    assert.notEqual(floatSum, 300_000, 'the float sum drifts, which is what nano-dollars avoid');
    assert.equal(t.knownCostNanos, 300_000 * 1e9);
    assert.equal(formatUsd(t.knownCostNanos), '$300,000.00');
  });

  test('usdToNanos rounds to the nearest nano-dollar and refuses nonsense', () => {
    assert.equal(usdToNanos(0.1), 100_000_000);
    assert.equal(usdToNanos(0.00000000049), 0);
    assert.equal(usdToNanos(0.0000000016), 2);
    assert.equal(usdToNanos(-0.01), undefined);
    assert.equal(usdToNanos(Number.POSITIVE_INFINITY), undefined);
    assert.equal(usdToNanos(1e10), undefined);
  });

  test('formatUsd shows tiny amounts with significant digits and never rounds a cost to $0.00', () => {
    const cases: [number, string][] = [
      [0, '$0.00'],
      [1, '$0.000000001'],
      [420_000, '$0.00042'],
      [12_300_000, '$0.0123'],
      [12_345_678, '$0.0123'],
      [12_355_000, '$0.0124'],
      [410_000_000, '$0.41'],
      [500_000_000, '$0.50'],
      [999_600_000, '$1.00'],
      [1_000_000_000, '$1.00'],
      [12_345_000_000, '$12.35'],
      [1_234_567_000_000, '$1,234.57'],
    ];
    for (const [nanos, text] of cases) assert.equal(formatUsd(nanos), text, String(nanos));
  });

  test('nanosToDecimal is the exact amount without trailing zeros', () => {
    assert.equal(nanosToDecimal(0), '0');
    assert.equal(nanosToDecimal(420), '0.00000042');
    assert.equal(nanosToDecimal(1_500_000_000), '1.5');
    assert.equal(nanosToDecimal(123_456_789_012), '123.456789012');
  });

  test('groupDigits groups thousands without depending on the locale', () => {
    assert.equal(groupDigits(0), '0');
    assert.equal(groupDigits(999), '999');
    assert.equal(groupDigits(1000), '1,000');
    assert.equal(groupDigits(1234567), '1,234,567');
  });
});
