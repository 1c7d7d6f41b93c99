/**
 * Run as a child process with TZ set (Node reads TZ only at startup): computes local-time period facts around
 * daylight-saving transitions and prints them as JSON for period.test.ts to check.
 *
 *   node periodProbe.js '[[2024,3,10],...]'
 */
import {
  localDayKey,
  recentDayKeys,
  startOfLocalDay,
  startOfLocalMonth,
  startOfNextLocalDay,
} from '../../../src/usage/period';
import { recordFromUsage } from '../../../src/usage/record';
import { summarize } from '../../../src/usage/totals';

const days = JSON.parse(process.argv[2] ?? '[]') as [number, number, number][];
const hhmm = (t: number) => `${String(new Date(t).getHours()).padStart(2, '0')}:${String(new Date(t).getMinutes()).padStart(2, '0')}`;
const at = (y: number, m: number, d: number, h: number, min = 0) => new Date(y, m - 1, d, h, min).getTime();

const facts = days.map(([y, m, d]) => {
  const noon = at(y, m, d, 12);
  const start = startOfLocalDay(noon);
  const next = startOfNextLocalDay(noon);
  const month = startOfLocalMonth(noon);
  const usage = { promptTokens: 1, completionTokens: 1, totalTokens: 2, cost: 0.001, costSource: 'provider' as const, modelId: 'm', model: 'm', category: 'chat' };
  const times = [at(y, m, d, 0, 30), at(y, m, d, 23, 30), at(y, m, d - 1, 23, 30), at(y, m, d + 1, 0, 30)];
  const records = times.map((time, i) => recordFromUsage(usage, { time, sessionId: 's', id: `r${i}` }));
  const summary = summarize(records, { now: noon, sessionId: 's' });
  return {
    day: `${y}-${m}-${d}`,
    dayHours: (next - start) / 3_600_000,
    startLocal: hhmm(start),
    startKey: localDayKey(start),
    beforeStartKey: localDayKey(start - 1),
    lastMsKey: localDayKey(next - 1),
    nextKey: localDayKey(next),
    monthStart: `${localDayKey(month)} ${hhmm(month)}`,
    todayRequests: summary.today.totals.requests,
    lateRecordKey: localDayKey(times[1]),
    recent: recentDayKeys(at(y, m, d + 2, 1), 5),
  };
});

process.stdout.write(JSON.stringify({ timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, facts }));
