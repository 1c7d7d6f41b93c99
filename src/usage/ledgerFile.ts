/**
 * The usage log on disk: a JSON-lines file that several processes (one per VS Code window) append to at the
 * same time without losing a record, and read incrementally to see each other's records.
 *
 * Why it is safe without locks: every record is one line of well under 4 KB, written with a single write() on
 * a file opened with O_APPEND, which the OS positions and writes as a unit. The file is opened for each append
 * (never held open), so after a reset (rename) every writer appends to the new file.
 */
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Disposable } from '../common/disposable';
import { Emitter, type Event } from '../common/event';
import { LineScanner, type ScannedLine } from './lineScanner';
import { parseLogLine } from './logLine';
import { describe, errCode, freeBackupPath, openForAppend } from './logFs';
import { serializeRecord, type UsageRecord } from './record';

/** Longest line written; O_APPEND writes this small are never interleaved with other writers'. */
export const MAX_LINE_BYTES = 4000;

/** How often other processes' records are looked for when file watching says nothing. */
export const DEFAULT_POLL_MS = 500;

/** How long an unterminated last line may stay unchanged before it counts as torn rather than being written. */
export const DEFAULT_STALE_PARTIAL_MS = 3000;

const CHUNK_BYTES = 1 << 20;

export interface LedgerFileOptions {
  /** The log file; its folder is created when needed. */
  path: string;
  /** Told about damaged lines and I/O trouble; never thrown at. */
  warn?: (message: string) => void;
  /** Polling interval in ms, the fallback when watching misses a change; 0 turns polling off. Default 500. */
  pollIntervalMs?: number;
  /** Whether to use fs.watch on the folder as well; default true. */
  watch?: boolean;
  /** See DEFAULT_STALE_PARTIAL_MS. */
  stalePartialMs?: number;
  /** Clock for staleness and backup names; default Date.now. */
  now?: () => number;
}

/** Appends records to, and incrementally reads records from, one JSON-lines usage log. */
export class LedgerFile implements Disposable {
  readonly path: string;
  private readonly _onDidAppend = new Emitter<UsageRecord[]>();
  /** Records read from the file that this reader had not seen, in file order (its own appends included). */
  readonly onDidAppend: Event<UsageRecord[]> = this._onDidAppend.event;
  private readonly _onDidReset = new Emitter<void>();
  /** The file was replaced or shrank (a reset, here or in another process): everything read so far is void and it is read again from the start. */
  readonly onDidReset: Event<void> = this._onDidReset.event;

  private readonly warnSink: (message: string) => void;
  private readonly pollMs: number;
  private readonly useWatch: boolean;
  private readonly staleMs: number;
  private readonly now: () => number;

  /** Where the line being read starts: every byte before it is consumed. */
  private offset = 0;
  /** Bytes handed to the scanner so far; those past `offset` are an unterminated last line. */
  private scanned = 0;
  private readonly scanner = new LineScanner();
  /** Work done reading, for tests and benchmarks: every byte of the file should be read about once. */
  readonly stats = { bytesRead: 0, chunksRead: 0 };
  /** Device and inode of the file the offset belongs to. */
  private identity: string | undefined;
  /** An unterminated last line seen at `offset`, with the bytes scanned then and when it was first seen that way. */
  private partial: { offset: number; size: number; since: number } | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private queued: Promise<number> | undefined;
  private watcher: FSWatcher | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private started = false;
  private disposed = false;
  private lastIoWarning: string | undefined;

  constructor(options: LedgerFileOptions) {
    this.path = options.path;
    this.warnSink = options.warn ?? (() => undefined);
    this.pollMs = options.pollIntervalMs ?? DEFAULT_POLL_MS;
    this.useWatch = options.watch ?? true;
    this.staleMs = options.stalePartialMs ?? DEFAULT_STALE_PARTIAL_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * Creates the folder, starts watching and polling, and reads what the file already holds. Never rejects:
   * I/O trouble goes to `warn`, and polling keeps trying.
   */
  async start(): Promise<void> {
    if (this.started || this.disposed) return;
    this.started = true;
    try {
      await mkdir(dirname(this.path), { recursive: true });
    } catch (err) {
      this.ioWarning(`could not create the usage log folder: ${describe(err)}`);
    }
    if (this.disposed) return;
    if (this.useWatch) this.startWatching();
    if (this.pollMs > 0) {
      this.timer = setInterval(() => this.schedule(), this.pollMs);
      // The log must never keep a process alive on its own.
      this.timer.unref?.();
    }
    try {
      await this.readNew();
    } catch (err) {
      this.ioWarning(`could not read the usage log: ${describe(err)}`);
    }
  }

  private startWatching(): void {
    const name = basename(this.path);
    try {
      // The folder, not the file: a file watch follows the inode, which a reset renames away.
      this.watcher = watch(dirname(this.path), { persistent: false }, (_event, filename) => {
        if (!filename || filename.toString() === name) this.schedule();
      });
      this.watcher.on('error', () => {
        // Watching is only an accelerator; polling still sees every change.
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch {
      // Out of watch handles, or a file system without notifications: polling covers it.
      this.watcher = undefined;
    }
  }

  private schedule(): void {
    if (this.disposed) return;
    this.readNew().catch((err) => this.ioWarning(`could not read the usage log: ${describe(err)}`));
  }

  private ioWarning(message: string): void {
    // A persistent failure would otherwise repeat at every poll.
    if (message === this.lastIoWarning) return;
    this.lastIoWarning = message;
    this.warnSink(message);
  }

  /**
   * Appends one record as one line with a single write on an O_APPEND file descriptor. Rejects on I/O
   * failure; the record is then not in the file.
   */
  async append(record: UsageRecord): Promise<void> {
    const bytes = Buffer.from(serializeRecord(record) + '\n', 'utf8');
    if (bytes.length > MAX_LINE_BYTES) throw new Error(`usage record ${record.id} is ${bytes.length} bytes, over the ${MAX_LINE_BYTES}-byte limit`);
    const fh = await openForAppend(this.path);
    try {
      const { bytesWritten } = await fh.write(bytes, 0, bytes.length);
      if (bytesWritten !== bytes.length) throw new Error(`short write to the usage log (${bytesWritten} of ${bytes.length} bytes)`);
    } finally {
      await fh.close();
    }
  }

  /**
   * Reads the lines added since the last read, fires onDidAppend with their records (once per chunk read, if
   * any) and resolves to how many there were. Reads are serialized; a call made while another waits to start
   * shares it, since that read will see everything.
   */
  readNew(): Promise<number> {
    if (this.queued) return this.queued;
    const next = this.running.then(() => {
      this.queued = undefined;
      return this.readOnce();
    });
    this.queued = next;
    this.running = next.catch(() => undefined);
    return next;
  }

  private restart(): void {
    this.offset = 0;
    this.scanned = 0;
    this.scanner.reset();
    this.identity = undefined;
    this.partial = undefined;
    if (!this.disposed) this._onDidReset.fire();
  }

  private async readOnce(): Promise<number> {
    if (this.disposed) return 0;
    let fh;
    try {
      fh = await open(this.path, 'r');
    } catch (err) {
      if (errCode(err) !== 'ENOENT') throw err;
      // Gone (reset in progress, or deleted): what was read from it no longer counts.
      if (this.identity !== undefined || this.scanned > 0) this.restart();
      return 0;
    }
    let count = 0;
    try {
      const st = await fh.stat({ bigint: true });
      const identity = `${st.dev}:${st.ino}`;
      const size = Number(st.size);
      // A new file at the path, or the old one cut short: start over.
      if ((this.identity !== undefined && identity !== this.identity) || size < this.scanned) this.restart();
      this.identity = identity;
      const buf = size > this.scanned ? Buffer.alloc(Math.min(CHUNK_BYTES, size - this.scanned)) : undefined;
      // Only bytes never scanned are read: an unterminated last line is carried, not read again.
      while (buf && this.scanned < size && !this.disposed) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, size - this.scanned), this.scanned);
        if (bytesRead === 0) break;
        this.scanned += bytesRead;
        this.stats.bytesRead += bytesRead;
        this.stats.chunksRead++;
        const records: UsageRecord[] = [];
        this.scanner.push(buf.subarray(0, bytesRead), (line) => {
          this.consumeLine(line, records);
          this.offset += line.dropped + line.bytes.length + 1;
        });
        count += this.deliver(records);
      }
      count += this.consumeTrailing(this.scanned);
    } finally {
      await fh.close();
    }
    this.lastIoWarning = undefined;
    return count;
  }

  /** Fires onDidAppend for one chunk's records (so a long history is never held whole) and counts them. */
  private deliver(records: UsageRecord[]): number {
    if (records.length && !this.disposed) this._onDidAppend.fire(records);
    return records.length;
  }

  /** An unterminated last line: a writer may be in the middle of it, so it waits until it has been still for a while. */
  private consumeTrailing(size: number): number {
    if (this.scanner.pendingBytes === 0) {
      this.partial = undefined;
      return 0;
    }
    const now = this.now();
    if (!this.partial || this.partial.offset !== this.offset || this.partial.size !== size) {
      this.partial = { offset: this.offset, size, since: now };
      return 0;
    }
    if (now - this.partial.since < this.staleMs) return 0;
    // Unchanged for long enough: its writer is gone. Take what it holds and move past it, so the next
    // record appended after it is read cleanly.
    const records: UsageRecord[] = [];
    this.consumeLine(this.scanner.takeRest(), records);
    this.offset = this.scanned;
    this.partial = undefined;
    return this.deliver(records);
  }

  private consumeLine(line: ScannedLine, records: UsageRecord[]): void {
    const result = parseLogLine(line, this.offset);
    records.push(...result.records);
    if (result.damage) this.warnSink(`usage log ${basename(this.path)}: ${result.damage}`);
  }

  /**
   * Starts a new, empty log and keeps the old one beside it as a timestamped backup, whose path is returned
   * (undefined when there was no log). Every reader, in this process or another, notices the new file and
   * reads again from its start.
   */
  async reset(): Promise<string | undefined> {
    let backup: string | undefined = await freeBackupPath(this.path, this.now());
    try {
      await rename(this.path, backup);
    } catch (err) {
      if (errCode(err) !== 'ENOENT') throw err;
      backup = undefined;
    }
    // Create the new file at once, so other readers see a new file rather than a missing one.
    await (await openForAppend(this.path)).close();
    await this.readNew();
    return backup;
  }

  /** Stops watching and polling; later reads and events are no-ops. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.watcher?.close();
    this.watcher = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this._onDidAppend.dispose();
    this._onDidReset.dispose();
  }
}

