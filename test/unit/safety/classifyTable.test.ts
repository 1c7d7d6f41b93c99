import { strict as assert } from 'node:assert';
import { classifyCommand, initSafety, type Classification } from '../../../src/safety';
import { TABLE, type Row } from './commandTable';

/** The share of `part` in `all`, as a percentage with one decimal. */
const pct = (part: number, all: number): string => `${((100 * part) / Math.max(1, all)).toFixed(1)}%`;

suite('safety: the measured command table', () => {
  const results: { row: Row; got: Classification; ms: number }[] = [];
  const times: number[] = [];

  suiteSetup(async () => {
    await initSafety();
    for (const row of TABLE) classifyCommand(row.command, { shell: row.shell }); // warm the JIT before timing
    // Three timed passes (the verdicts of the last are kept), so one pause of a shared machine weighs less.
    for (let pass = 0; pass < 3; pass++) {
      results.length = 0;
      for (const row of TABLE) {
        const t0 = process.hrtime.bigint();
        const got = classifyCommand(row.command, { shell: row.shell });
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        results.push({ row, got, ms });
        times.push(ms);
      }
    }
  });

  test('the table has at least 200 commands across every family', () => {
    assert.ok(TABLE.length >= 200, `only ${TABLE.length} rows`);
    const families = new Set(TABLE.map((r) => r.family));
    for (const f of ['delete', 'git history', 'disks', 'data', 'obfuscated', 'look-alikes', 'powershell', 'cmd']) assert.ok(families.has(f), f);
  });

  test('no destructive command is classified safe (recall printed)', () => {
    const destructiveRows = results.filter((r) => r.row.expected === 'destructive');
    const caught = destructiveRows.filter((r) => r.got.verdict === 'destructive').length;
    const missedAsSafe = destructiveRows.filter((r) => r.got.verdict === 'safe');
    const asUnsure = destructiveRows.filter((r) => r.got.verdict === 'unsure');
    console.log(`      destructive: ${destructiveRows.length} rows, recall ${pct(caught, destructiveRows.length)} destructive, ${asUnsure.length} unsure, ${missedAsSafe.length} safe`);
    for (const r of asUnsure) console.log(`        unsure, expected destructive: ${JSON.stringify(r.row.command)} (${r.got.reasons.join('; ')})`);
    assert.deepEqual(missedAsSafe.map((r) => r.row.command), []);
  });

  test('commands expected unsure (unknown or opaque) are never classified safe', () => {
    const rows = results.filter((r) => r.row.expected === 'unsure');
    const safeOnes = rows.filter((r) => r.got.verdict === 'safe').map((r) => r.row.command);
    console.log(`      unsure rows: ${rows.length}, ${rows.filter((r) => r.got.verdict === 'destructive').length} classified destructive`);
    assert.deepEqual(safeOnes, []);
  });

  test('false positives on safe commands stay under 10% and unsure under 25% (printed)', () => {
    const safeRows = results.filter((r) => r.row.expected === 'safe');
    const fp = safeRows.filter((r) => r.got.verdict === 'destructive');
    const un = safeRows.filter((r) => r.got.verdict === 'unsure');
    console.log(`      safe: ${safeRows.length} rows, false positives ${pct(fp.length, safeRows.length)}, unsure ${pct(un.length, safeRows.length)}`);
    for (const r of [...fp, ...un]) console.log(`        ${r.got.verdict}, expected safe: ${JSON.stringify(r.row.command)} (${r.got.reasons.join('; ')})`);
    assert.ok(fp.length / safeRows.length < 0.1, `false positives ${pct(fp.length, safeRows.length)}`);
    assert.ok(un.length / safeRows.length < 0.25, `unsure ${pct(un.length, safeRows.length)}`);
  });

  test('every verdict comes with a reason, and the p99 time is printed', () => {
    for (const r of results) assert.ok(r.got.reasons.length > 0, `no reason for ${r.row.command}`);
    times.sort((a, b) => a - b);
    const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(3);
    console.log(`      classification time over ${times.length} classifications (${TABLE.length} commands x 3): median ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${p(1)} ms`);
  });
});
