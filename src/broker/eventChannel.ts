/**
 * A push-to-pull bridge: the HTTP reader pushes events as bytes arrive, the consumer pulls them with
 * `for await`. Cheaper than an async generator per event (no generator frames, a resolved promise when
 * events are already queued), and it tells the producer when to pause and resume (backpressure) and when
 * the consumer walked away (so the socket can be closed at once).
 */
export class EventChannel<T> implements AsyncIterableIterator<T> {
  private queue: T[] = [];
  private head = 0;
  private waiter: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  private ended = false;
  private failure: { error: unknown } | undefined;
  /** Called when a paused producer may continue (the queue drained). */
  onDrain: (() => void) | undefined;
  /** Called once when the consumer stops early (break, return, throw). */
  onCancel: (() => void) | undefined;

  /** Events queued and not yet pulled. */
  get backlog(): number {
    return this.queue.length - this.head;
  }

  /** True once end() or fail() was called or the consumer left. */
  get closed(): boolean {
    return this.ended || this.failure !== undefined;
  }

  push(value: T): void {
    if (this.closed) return;
    const w = this.waiter;
    if (w !== undefined) {
      this.waiter = undefined;
      w.resolve({ value, done: false });
    } else {
      this.queue.push(value);
    }
  }

  /** Ends the stream after the queued events. */
  end(): void {
    if (this.closed) return;
    this.ended = true;
    const w = this.waiter;
    if (w !== undefined) {
      this.waiter = undefined;
      w.resolve({ value: undefined, done: true });
    }
  }

  /** Fails the stream after the queued events. */
  fail(error: unknown): void {
    if (this.closed) return;
    this.failure = { error };
    const w = this.waiter;
    if (w !== undefined) {
      this.waiter = undefined;
      this.failure = undefined;
      this.ended = true;
      w.reject(error);
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.head < this.queue.length) {
      const value = this.queue[this.head++]!;
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
        this.onDrain?.();
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.failure !== undefined) {
      const { error } = this.failure;
      this.failure = undefined;
      this.ended = true;
      return Promise.reject(error);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    const wasOpen = !this.ended;
    this.ended = true;
    this.failure = undefined;
    this.queue = [];
    this.head = 0;
    if (wasOpen) this.onCancel?.();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
