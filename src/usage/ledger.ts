/**
 * The usage ledger: records every model attempt to the shared log and keeps this window's totals of all
 * windows' records. Records are folded into running totals as they are read and then dropped, so memory grows
 * with days, months and models, not with the number of records; the full history is streamed from the file
 * only when asked for (`history()`, for export).
 */
import type { Usage } from '../broker';
import type { Disposable } from '../common/disposable';
import { Emitter, type Event } from '../common/event';
import { readUsageHistory } from './history';
import { LedgerFile, type LedgerFileOptions } from './ledgerFile';
import { describe } from './logFs';
import { recordFromUsage, unknownUsageRecord, type UnknownUsage, type UsageRecord } from './record';
import { UsageAccumulator, type UsageSummary } from './totals';

export interface UsageLedgerOptions extends LedgerFileOptions {
  /** This window; its records make up the "session" period. */
  sessionId: string;
  /** New record ids; default random UUIDs. */
  newId?: () => string;
  /**
   * Told once, with the reason, when the log cannot be written (and again only after a later write succeeded
   * and another failed): the user should hear that records count in this window only. `warn` still gets
   * every failure.
   */
  onWriteFailure?: (reason: string) => void;
}

/** What changed: records were added, or the log was reset (then everything known before is gone). */
export interface LedgerChange {
  added: readonly UsageRecord[];
  reset: boolean;
}

/** How many records counted here after a failed write are remembered, to skip if their bytes turn up. */
const MAX_COUNTED_UNWRITTEN = 1024;

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
  private readonly onWriteFailure: (reason: string) => void;
  private readonly totals: UsageAccumulator;
  /** Records counted here although their write failed: if their bytes reach the log after all, they are not counted again. */
  private readonly countedUnwritten = new Set<string>();
  private writeFailing = false;
  private readonly _onDidChange = new Emitter<LedgerChange>();
  /** Fires after records arrive (from this window or another) or the log is reset; not during the first read of the history. */
  readonly onDidChange: Event<LedgerChange> = this._onDidChange.event;
  private readonly _onDidLoad = new Emitter<void>();
  /** Fires once, when the history present at start has been read into the totals. */
  readonly onDidLoad: Event<void> = this._onDidLoad.event;
  private loading: Promise<void> | undefined;
  private isLoaded = false;
  private disposed = false;

  /**
   * Opens the log at `options.path` and reads its whole history before resolving. Never rejects: an
   * unreadable log is reported to `warn` and retried by polling.
   */
  static async open(options: UsageLedgerOptions): Promise<UsageLedger> {
    const ledger = UsageLedger.create(options);
    await ledger.load();
    return ledger;
  }

  /**
   * The ledger without waiting for its history: returns at once with empty totals, and `load()` (or the first
   * `record`) reads the history in the background; `loaded` and `onDidLoad` tell when it is in.
   */
  static create(options: UsageLedgerOptions): UsageLedger {
    return new UsageLedger(options);
  }

  private constructor(options: UsageLedgerOptions) {
    this.sessionId = options.sessionId;
    this.now = options.now ?? Date.now;
    this.newId = options.newId;
    this.warn = options.warn ?? (() => undefined);
    this.onWriteFailure = options.onWriteFailure ?? (() => undefined);
    this.totals = new UsageAccumulator(options.sessionId);
    this.file = new LedgerFile(options);
    this.file.onDidAppend((records) => this.ingest(records));
    this.file.onDidReset(() => {
      this.totals.clear();
      if (!this.disposed && this.isLoaded) this._onDidChange.fire({ added: [], reset: true });
    });
  }

  /** True once the history present at start is in the totals. */
  get loaded(): boolean {
    return this.isLoaded;
  }

  /** Reads the history (once; later calls share it) and starts watching for other windows' records. Never rejects. */
  load(): Promise<void> {
    this.loading ??= this.file.start().then(() => {
      if (this.disposed) return;
      this.isLoaded = true;
      this._onDidLoad.fire();
    });
    return this.loading;
  }

  private ingest(records: readonly UsageRecord[]): void {
    let added = records;
    if (this.countedUnwritten.size) {
      added = records.filter((r) => !this.countedUnwritten.delete(r.id));
      if (added.length === 0) return;
    }
    for (const r of added) this.totals.add(r);
    if (!this.disposed && this.isLoaded) this._onDidChange.fire({ added, reset: false });
  }

  /**
   * Records one attempt: its usage, or `{ usageKnown: false, ... }` when it reported none. Resolves once the
   * record is in the totals. Never rejects: when the log cannot be written the record still counts in this
   * window, and the failure goes to `warn` (and once to `onWriteFailure`).
   */
  async record(entry: Usage | UnknownUsage, extra: { conversationId?: string } = {}): Promise<UsageRecord> {
    const meta = { sessionId: this.sessionId, time: this.now(), id: this.newId?.(), conversationId: extra.conversationId };
    const record = isUnknown(entry) ? unknownUsageRecord(entry, meta) : recordFromUsage(entry, meta);
    // The history must be in before a read-back, or this record would be read with it and counted twice.
    await this.load();
    try {
      await this.file.append(record);
      this.writeFailing = false;
    } catch (err) {
      this.writeFailed(err);
      // A short write may have left the record whole in the log: remember it so it is counted once. Only
      // recent ones: bytes that did not land soon never will, and the set must not grow with the records.
      this.countedUnwritten.add(record.id);
      if (this.countedUnwritten.size > MAX_COUNTED_UNWRITTEN) this.countedUnwritten.delete(this.countedUnwritten.values().next().value!);
      this.ingestLocal(record);
      return record;
    }
    // Read it back rather than adding it here: the file is the one source, so it is never counted twice.
    await this.refresh();
    return record;
  }

  private ingestLocal(record: UsageRecord): void {
    this.totals.add(record);
    if (!this.disposed) this._onDidChange.fire({ added: [record], reset: false });
  }

  private writeFailed(err: unknown): void {
    const reason = describe(err);
    this.warn(`could not write to the usage log (${reason}); this record counts in this window only`);
    if (this.writeFailing) return;
    this.writeFailing = true;
    this.onWriteFailure(reason);
  }

  /** Reads records other windows appended since the last look (watching and polling also do this). */
  async refresh(): Promise<void> {
    try {
      await this.file.readNew();
    } catch (err) {
      this.warn(`could not read the usage log: ${describe(err)}`);
    }
  }

  /**
   * Every record in the log, streamed from the file in order (for export): nothing of it is kept. Damaged
   * lines are skipped (and told to `warn`), as when reading live.
   */
  history(): AsyncIterable<UsageRecord> {
    return readUsageHistory(this.file.path, { warn: this.warn });
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
    this._onDidLoad.dispose();
  }
}
