/**
 * Splits bytes arriving in chunks into lines, keeping at most a bounded tail of the line still being written.
 *
 * Each byte is searched for a newline once, and the unterminated line is kept only up to `maxCarryBytes` (its
 * end, where a record appended after a torn write would be), so a long tail without a newline costs work
 * linear in its size rather than quadratic, and memory bounded by the cap.
 */

const NEWLINE = 0x0a;

/** How much of an unterminated line is kept; records are under 4 KB, so more than this before one is garbage. */
export const MAX_CARRY_BYTES = 64 * 1024;

/** A complete line (without its newline) and how many bytes from its start were dropped as over the cap. */
export interface ScannedLine {
  bytes: Buffer;
  dropped: number;
}

export class LineScanner {
  private carry: Buffer = Buffer.alloc(0);
  private dropped = 0;

  constructor(private readonly maxCarryBytes: number = MAX_CARRY_BYTES) {}

  /** Bytes of the current unterminated line seen so far (kept or dropped). */
  get pendingBytes(): number {
    return this.dropped + this.carry.length;
  }

  /** Feeds `chunk`; calls `onLine` for each line it completes, in order. */
  push(chunk: Buffer, onLine: (line: ScannedLine) => void): void {
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, nl);
      const bytes = this.carry.length ? Buffer.concat([this.carry, piece]) : piece;
      onLine(this.cap(bytes));
      this.carry = Buffer.alloc(0);
      this.dropped = 0;
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      const joined = this.carry.length ? Buffer.concat([this.carry, rest]) : rest;
      const over = Math.max(0, joined.length - this.maxCarryBytes);
      this.dropped += over;
      // A copy: the caller reuses its read buffers.
      this.carry = Buffer.from(joined.subarray(over));
    }
  }

  /** Ends the current unterminated line and returns it (empty bytes when there is none). */
  takeRest(): ScannedLine {
    const line = { bytes: this.carry, dropped: this.dropped };
    this.reset();
    return line;
  }

  /** Forgets the current unterminated line. */
  reset(): void {
    this.carry = Buffer.alloc(0);
    this.dropped = 0;
  }

  private cap(bytes: Buffer): ScannedLine {
    const over = Math.max(0, bytes.length - this.maxCarryBytes);
    return { bytes: over ? bytes.subarray(over) : bytes, dropped: this.dropped + over };
  }
}
