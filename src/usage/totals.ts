/**
 * Sums of usage records, kept incrementally: each record is added once to the buckets it belongs to (all
 * time, its window's session, its local day and its local month), so a summary for any moment is read off the
 * buckets without summing the records again, even after midnight passes. The records themselves are not kept:
 * memory grows with days, months, models and categories, never with the number of records.
 */
import { localDayKey, localMonthKey, recentDayKeys, startOfLocalDay, startOfNextLocalDay } from './period';
import type { UsageRecord } from './record';

/** What a set of records adds up to. Known costs and unknown costs are kept apart, never mixed. */
export interface Totals {
  /** Every attempt, with or without usage. */
  requests: number;
  /** Attempts that reported no usage (their tokens and cost are unknown). */
  requestsWithoutUsage: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  /** The sum of known costs, in integer nano-dollars. */
  knownCostNanos: number;
  /** Attempts whose cost is unknown (including those without usage). */
  unknownCostRequests: number;
  /** Total tokens of the attempts whose cost is unknown. */
  unknownCostTokens: number;
}

/** All zeros. */
export function emptyTotals(): Totals {
  return {
    requests: 0,
    requestsWithoutUsage: 0,
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    cachedTokens: 0,
    reasoningTokens: 0,
    knownCostNanos: 0,
    unknownCostRequests: 0,
    unknownCostTokens: 0,
  };
}

/** Adds one record to `totals` in place and returns it. */
export function addRecord(totals: Totals, record: UsageRecord): Totals {
  totals.requests++;
  if (!record.usageKnown) totals.requestsWithoutUsage++;
  totals.promptTokens += record.promptTokens;
  totals.completionTokens += record.completionTokens;
  totals.totalTokens += record.totalTokens;
  totals.cachedTokens += record.cachedTokens;
  totals.reasoningTokens += record.reasoningTokens;
  if (record.costNanos === null) {
    totals.unknownCostRequests++;
    totals.unknownCostTokens += record.totalTokens;
  } else {
    totals.knownCostNanos += record.costNanos;
  }
  return totals;
}

/** Requests whose cost is known. */
export function knownCostRequests(totals: Totals): number {
  return totals.requests - totals.unknownCostRequests;
}

/** Totals of one period, overall and split by model id and by category. */
export interface PeriodTotals {
  totals: Totals;
  byModel: ReadonlyMap<string, Totals>;
  byCategory: ReadonlyMap<string, Totals>;
}

/** Totals for one local day. */
export interface DayTotals {
  /** "YYYY-MM-DD", local time. */
  day: string;
  totals: Totals;
  /** The day's totals by category (`chat`, `summarize`, `probe`, ...). */
  byCategory: ReadonlyMap<string, Totals>;
}

/** Everything a status bar, tooltip or breakdown shows, as of one moment. A snapshot: later records do not change it. */
export interface UsageSummary {
  /** The moment the periods were computed for. */
  now: number;
  /** This window's records. */
  session: PeriodTotals;
  /** Records of the local day containing `now`. */
  today: PeriodTotals;
  /** Records of the local month containing `now`. */
  month: PeriodTotals;
  all: PeriodTotals;
  /** The last 30 local days ending today, oldest first; days without records have zero totals. */
  byDay: DayTotals[];
  /** The latest record by time, if any. */
  last: UsageRecord | undefined;
}

/** How many days `byDay` covers. */
export const BY_DAY_DAYS = 30;

class PeriodBucket {
  readonly totals = emptyTotals();
  readonly byModel = new Map<string, Totals>();
  readonly byCategory = new Map<string, Totals>();

  add(record: UsageRecord): void {
    addRecord(this.totals, record);
    addTo(this.byModel, record.modelId, record);
    addTo(this.byCategory, record.category, record);
  }

  snapshot(): PeriodTotals {
    return { totals: { ...this.totals }, byModel: copyMap(this.byModel), byCategory: copyMap(this.byCategory) };
  }
}

function addTo(map: Map<string, Totals>, key: string, record: UsageRecord): void {
  let t = map.get(key);
  if (!t) map.set(key, (t = emptyTotals()));
  addRecord(t, record);
}

function copyMap(map: ReadonlyMap<string, Totals>): Map<string, Totals> {
  return new Map([...map].map(([k, t]) => [k, { ...t }]));
}

function emptyPeriod(): PeriodTotals {
  return { totals: emptyTotals(), byModel: new Map(), byCategory: new Map() };
}

/** Keeps the totals of every period up to date as records arrive, one `add` per record. */
export class UsageAccumulator {
  private all = new PeriodBucket();
  private session = new PeriodBucket();
  private readonly days = new Map<string, PeriodBucket>();
  private readonly months = new Map<string, PeriodBucket>();
  private last: UsageRecord | undefined;
  /** The day (and its month) the last record fell in: a log is mostly in time order, so most records reuse it. */
  private lastDay: { from: number; to: number; day: PeriodBucket; month: PeriodBucket } | undefined;

  /** @param sessionId the window whose records make up the "session" period. */
  constructor(private readonly sessionId: string) {}

  add(record: UsageRecord): void {
    this.all.add(record);
    if (record.sessionId === this.sessionId) this.session.add(record);
    const { day, month } = this.dayOf(record.time);
    day.add(record);
    month.add(record);
    // `>=`: of two records with the same time, the one added later is the later one.
    if (!this.last || record.time >= this.last.time) this.last = record;
  }

  private dayOf(time: number): { day: PeriodBucket; month: PeriodBucket } {
    const c = this.lastDay;
    if (c && time >= c.from && time < c.to) return c;
    const next = {
      from: startOfLocalDay(time),
      to: startOfNextLocalDay(time),
      day: bucket(this.days, localDayKey(time)),
      month: bucket(this.months, localMonthKey(time)),
    };
    this.lastDay = next;
    return next;
  }

  /** Forgets every record (after the log was reset). */
  clear(): void {
    this.lastDay = undefined;
    this.all = new PeriodBucket();
    this.session = new PeriodBucket();
    this.days.clear();
    this.months.clear();
    this.last = undefined;
  }

  /** The summary as of `now`: "today" and "this month" are the local day and month containing it. */
  snapshot(now: number): UsageSummary {
    return {
      now,
      session: this.session.snapshot(),
      today: this.days.get(localDayKey(now))?.snapshot() ?? emptyPeriod(),
      month: this.months.get(localMonthKey(now))?.snapshot() ?? emptyPeriod(),
      all: this.all.snapshot(),
      byDay: recentDayKeys(now, BY_DAY_DAYS).map((day) => {
        const b = this.days.get(day);
        return { day, totals: { ...(b?.totals ?? emptyTotals()) }, byCategory: b ? copyMap(b.byCategory) : new Map() };
      }),
      last: this.last,
    };
  }
}

function bucket(map: Map<string, PeriodBucket>, key: string): PeriodBucket {
  let b = map.get(key);
  if (!b) map.set(key, (b = new PeriodBucket()));
  return b;
}

/** Summarizes a list of records as of `now`, with `sessionId` naming this window. */
export function summarize(records: Iterable<UsageRecord>, options: { now: number; sessionId: string }): UsageSummary {
  const acc = new UsageAccumulator(options.sessionId);
  for (const r of records) acc.add(r);
  return acc.snapshot(options.now);
}

