import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  localDayKey,
  localMonthKey,
  recentDayKeys,
  startOfLocalDay,
  startOfLocalMonth,
  startOfNextLocalDay,
} from '../../../src/usage/period';

const run = promisify(execFile);

interface Facts {
  day: string;
  dayHours: number;
  startLocal: string;
  startKey: string;
  beforeStartKey: string;
  lastMsKey: string;
  nextKey: string;
  monthStart: string;
  todayRequests: number;
  lateRecordKey: string;
  recent: string[];
}

/** Runs the probe in a child Node with TZ set, since a running process cannot change its time zone. */
async function probe(timeZone: string, days: [number, number, number][]): Promise<Facts[]> {
  const { stdout } = await run(process.execPath, [join(__dirname, 'periodProbe.js'), JSON.stringify(days)], {
    env: { ...process.env, TZ: timeZone },
  });
  const out = JSON.parse(stdout) as { timeZone: string; facts: Facts[] };
  assert.equal(out.timeZone, timeZone, 'the child must really run in the requested zone');
  return out.facts;
}

suite('usage periods in local time', () => {
  test('in the current zone, a day runs from its local midnight to the next and the month from the 1st', () => {
    const t = new Date(2024, 4, 17, 15, 45).getTime();
    assert.equal(startOfLocalDay(t), new Date(2024, 4, 17).getTime());
    assert.equal(startOfNextLocalDay(t), new Date(2024, 4, 18).getTime());
    assert.equal(startOfLocalMonth(t), new Date(2024, 4, 1).getTime());
    assert.equal(localDayKey(t), '2024-05-17');
    assert.equal(localMonthKey(t), '2024-05');
    assert.deepEqual(recentDayKeys(new Date(2024, 2, 2, 9).getTime(), 4), ['2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02']);
  });

  test('New York: the spring-forward day lasts 23 hours and the fall-back day 25, each counted as one day', async () => {
    const [spring, fall, midNovember] = await probe('America/New_York', [
      [2024, 3, 10],
      [2024, 11, 3],
      [2024, 11, 15],
    ]);
    assert.equal(spring.dayHours, 23);
    assert.equal(fall.dayHours, 25);
    for (const f of [spring, fall]) {
      assert.equal(f.startLocal, '00:00');
      assert.equal(f.beforeStartKey < f.startKey, true);
      assert.equal(f.lastMsKey, f.startKey, `${f.day}: the day's last millisecond is still that day`);
      assert.notEqual(f.nextKey, f.startKey);
      // 00:30 and 23:30 that day count as today; 23:30 the day before and 00:30 the day after do not.
      assert.equal(f.todayRequests, 2, f.day);
    }
    assert.equal(fall.lateRecordKey, '2024-11-03', '23:30 on a 25-hour day is not pushed into the next day');
    assert.deepEqual(fall.recent, ['2024-11-01', '2024-11-02', '2024-11-03', '2024-11-04', '2024-11-05']);
    assert.deepEqual(spring.recent, ['2024-03-08', '2024-03-09', '2024-03-10', '2024-03-11', '2024-03-12']);
    // The month began in daylight time and mid-November is standard time: still the 1st at midnight.
    assert.equal(midNovember.monthStart, '2024-11-01 00:00');
  });

  test('Santiago: on a day whose midnight does not exist, the day starts at 01:00 and is still that day', async () => {
    const [f] = await probe('America/Santiago', [[2024, 9, 8]]);
    assert.equal(f.startLocal, '01:00');
    assert.equal(f.startKey, '2024-09-08');
    assert.equal(f.beforeStartKey, '2024-09-07');
    assert.equal(f.dayHours, 23);
    assert.equal(f.monthStart, '2024-09-01 00:00');
  });

  test('Lord Howe: a half-hour daylight-saving shift gives a 23.5-hour day', async () => {
    const [f] = await probe('Australia/Lord_Howe', [[2024, 10, 6]]);
    assert.equal(f.dayHours, 23.5);
    assert.equal(f.lastMsKey, '2024-10-06');
    assert.equal(f.todayRequests, 2);
  });
});
