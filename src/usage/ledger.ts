/**
 * The usage ledger: records every model attempt to the shared log and keeps this window's view of all
 * windows' records, with totals that grow one record at a time.
 */
import type { Usage } from '../broker';
import type { Disposable } from '../common/disposable';
import { Emitter, type Event } from '../common/event';
import { LedgerFile, type LedgerFileOptions } from './ledgerFile';
import { recordFromUsage, unknownUsageRecord, type UnknownUsage, type UsageRecord } from './record';
import { UsageAccumulator, type UsageSummary } from './totals';

export interface UsageLedgerOptions extends LedgerFileOptions {
  /** This window; its records make up the "session" period. */
  sessionId: string;
  /** New record ids; default random UUIDs. */
  newId?: () => string;
}

/** What changed: records were added, or the log was reset (then everything known before is gone). */
export interface LedgerChange {
  added: readonly UsageRecord[];
  reset: boolean;
}

function isUnknown(entry: Usage | UnknownUsage): entry is UnknownUsage {
  return (entry as Partial<UnknownUsage>).usageKnown === false;
}

/** Records usage to the shared log and answers "how much, on what, when" for every period. */
export class UsageLedger implements Disposable {
  private readonly file: LedgerFile;
  private readonly sessionId: string;
  private readonly now: () => number;
  private readonly newId: (() => string) | undefined;
  private readonly warn: (message: string) => void;
  private readonly all: UsageRecord[] = [];
  private readonly totals: UsageAccumulator;
  private readonly _onDidChange = new Emitter<LedgerChange>();
  /** Fires after records arrive (from this window or another) or the log is reset. */
  readonly onDidChange: Event<LedgerChange> = this._onDidChange.event;
  private disposed = false;

  /**
   * Opens the log at `options.path`, reads it, and starts watching it for other windows' records. Never
   * rejects: an unreadable log is reported to `warn` and retried by polling.
   */
  static async open(options: UsageLedgerOptions): Promise<UsageLedger> {
    const ledger = new UsageLedger(options);
    await ledger.file.start();
    return ledger;
  }

  private constructor(options: UsageLedgerOptions) {
    this.sessionId = options.sessionId;
    this.now = options.now ?? Date.now;
    this.newId = options.newId;
    this.warn = options.warn ?? (() => undefined);
    this.totals = new UsageAccumulator(options.sessionId);
    this.file = new LedgerFile(options);
    this.file.onDidAppend((records) => this.ingest(records));
    this.file.onDidReset(() => {
      this.all.length = 0;
      this.totals.clear();
      if (!this.disposed) this._onDidChange.fire({ added: [], reset: true });
    });
  }

  private ingest(records: readonly UsageRecord[]): void {
    for (const r of records) {
      this.all.push(r);
      this.totals.add(r);
    }
    if (!this.disposed) this._onDidChange.fire({ added: records, reset: false });
  }

  /**
   * Records one attempt: its usage, or `{ usageKnown: false, ... }` when it reported none. Resolves once the
   * record is in the totals. Never rejects: when the log cannot be written the record still counts in this
   * window, and the failure goes to `warn`.
   */
  async record(entry: Usage | UnknownUsage): Promise<UsageRecord> {
    const meta = { sessionId: this.sessionId, time: this.now(), id: this.newId?.() };
    const record = isUnknown(entry) ? unknownUsageRecord(entry, meta) : recordFromUsage(entry, meta);
    try {
      await this.file.append(record);
    } catch (err) {
      this.warn(`could not write to the usage log (${err instanceof Error ? err.message : String(err)}); this record counts in this window only`);
      this.ingest([record]);
      return record;
    }
    // Read it back rather than adding it here: the file is the one source, so it is never counted twice.
    await this.refresh();
    return record;
  }

  /** Reads records other windows appended since the last look (watching and polling also do this). */
  async refresh(): Promise<void> {
    try {
      await this.file.readNew();
    } catch (err) {
      this.warn(`could not read the usage log: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Every record known, in the order read (a copy). */
  records(): UsageRecord[] {
    return this.all.slice();
  }

  /** Totals for every period as of `now` (default the clock given at open). */
  summary(now: number = this.now()): UsageSummary {
    return this.totals.snapshot(now);
  }

  /** Starts a new log, keeping the old one as a backup (its path is returned). Other windows start over too. */
  reset(): Promise<string | undefined> {
    return this.file.reset();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.file.dispose();
    this._onDidChange.dispose();
  }
}
