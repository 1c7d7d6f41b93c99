// Pure: runs work over items with at most `parallel` at once and yields each result as soon as it is ready
// (in the order they finish). The first failure stops the rest (their signal aborts) and is thrown after the
// results that arrived before it; aborting the caller's signal does the same with an `aborted` error.
import { BrokerError } from '../../broker';

export async function* runPool<T, R>(
  items: readonly T[],
  parallel: number,
  signal: AbortSignal,
  work: (item: T, index: number, signal: AbortSignal) => Promise<R>,
): AsyncGenerator<{ index: number; value: R }> {
  const inner = new AbortController();
  const onAbort = () => inner.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) inner.abort();
  const ready: { index: number; value: R }[] = [];
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  let next = 0;
  let running = 0;
  const start = () => {
    while (!failure && !inner.signal.aborted && running < parallel && next < items.length) {
      const index = next++;
      running++;
      work(items[index], index, inner.signal)
        .then(
          (value) => void ready.push({ index, value }),
          (error: unknown) => {
            failure ??= { error };
            inner.abort();
          },
        )
        .finally(() => {
          running--;
          start();
          wake?.();
        });
    }
  };
  try {
    start();
    for (;;) {
      while (ready.length) yield ready.shift()!;
      if (failure) throw failure.error;
      if (running === 0) {
        if (next >= items.length) return;
        throw new BrokerError('aborted', 'stopped');
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    inner.abort();
    signal.removeEventListener('abort', onAbort);
  }
}
