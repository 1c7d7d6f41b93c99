/**
 * Period boundaries in the machine's local time. Everything goes through Date's local getters and its local
 * constructor, never through 86_400_000-ms arithmetic, so days that are 23 or 25 hours long (daylight saving)
 * and days whose midnight does not exist are handled by the platform's time-zone rules.
 */

/** The periods a total can be shown for. */
export type UsagePeriod = 'session' | 'today' | 'month' | 'all';

/** Every period, in display order. */
export const USAGE_PERIODS: readonly UsagePeriod[] = ['session', 'today', 'month', 'all'];

/** How a period reads in a sentence: "today", "this month"... */
export function periodLabel(period: UsagePeriod): string {
  switch (period) {
    case 'session':
      return 'this window';
    case 'today':
      return 'today';
    case 'month':
      return 'this month';
    case 'all':
      return 'all time';
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The local calendar day of an instant, as "YYYY-MM-DD". */
export function localDayKey(time: number): string {
  const d = new Date(time);
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The local calendar month of an instant, as "YYYY-MM". */
export function localMonthKey(time: number): string {
  const d = new Date(time);
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}`;
}

/** The first instant of the instant's local day (local midnight, or the first moment after it where midnight is skipped). */
export function startOfLocalDay(time: number): number {
  const d = new Date(time);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** The first instant of the next local day: where "today" ends. */
export function startOfNextLocalDay(time: number): number {
  const d = new Date(time);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
}

/** The first instant of the instant's local month. */
export function startOfLocalMonth(time: number): number {
  const d = new Date(time);
  return new Date(d.getFullYear(), d.getMonth(), 1).getTime();
}

/** The day keys of the `days` local days ending with today, oldest first. */
export function recentDayKeys(now: number, days: number): string[] {
  const d = new Date(now);
  const keys: string[] = [];
  // Noon of each day: far from any transition, so each calendar day yields exactly one key.
  for (let i = days - 1; i >= 0; i--) keys.push(localDayKey(new Date(d.getFullYear(), d.getMonth(), d.getDate() - i, 12).getTime()));
  return keys;
}
