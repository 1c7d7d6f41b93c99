// Pure: a command's output kept within a byte cap: the head and the tail, with a note of how much of the
// middle was cut (a build's first error and its final summary both matter; the middle rarely does).
import { utf8Head, utf8Length, utf8Tail } from './text';

/** Collects decoded text up to `capBytes` (half head, half tail). */
export class HeadTailBuffer {
  private head = '';
  private headBytes = 0;
  private tail: string[] = [];
  private tailBytes = 0;
  private cutBytes = 0;
  private readonly headCap: number;
  private readonly tailCap: number;

  constructor(capBytes: number) {
    this.headCap = Math.floor(capBytes / 2);
    this.tailCap = capBytes - this.headCap;
  }

  /** Bytes dropped from the middle so far. */
  get cut(): number {
    return this.cutBytes;
  }

  push(text: string): void {
    if (text === '') return;
    if (this.headBytes < this.headCap) {
      const room = this.headCap - this.headBytes;
      const part = utf8Head(text, room);
      this.head += part;
      this.headBytes += utf8Length(part);
      text = text.slice(part.length);
      // A character that did not fit whole closes the head; it goes to the tail instead.
      if (text !== '') this.headBytes = this.headCap;
      if (text === '') return;
    }
    this.tail.push(text);
    this.tailBytes += utf8Length(text);
    while (this.tailBytes > this.tailCap) {
      const first = this.tail[0];
      const firstBytes = utf8Length(first);
      const excess = this.tailBytes - this.tailCap;
      if (firstBytes <= excess) {
        this.tail.shift();
        this.tailBytes -= firstBytes;
        this.cutBytes += firstBytes;
      } else {
        const kept = utf8Tail(first, firstBytes - excess);
        const keptBytes = utf8Length(kept);
        this.tail[0] = kept;
        this.tailBytes -= firstBytes - keptBytes;
        this.cutBytes += firstBytes - keptBytes;
      }
    }
  }

  /** The text, with "… N bytes cut …" where the middle went. */
  text(): string {
    const tail = this.tail.join('');
    if (this.cutBytes === 0) return this.head + tail;
    return `${this.head}\n… ${this.cutBytes} bytes cut …\n${tail}`;
  }
}
