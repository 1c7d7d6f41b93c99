/**
 * Reading a response body under the broker's rules: an idle timer that bytes alone never refresh (the caller
 * refreshes it when an event completes), backpressure from the event channel, and an early stop when the
 * answer is complete (`[DONE]`) or failed.
 */
import type { Dispatcher } from 'undici';
import type { BrokerError } from './brokerError';
import type { EventChannel } from './eventChannel';

export type Body = Dispatcher.ResponseData['body'];

/** Pause the socket when this many events wait for the consumer; resume when it has taken them all. */
const HIGH_WATER_EVENTS = 4096;
/** After `[DONE]`, keep reading (to reuse the connection) at most this long / this much, then close. */
const AFTER_DONE_MS = 1000;
const AFTER_DONE_BYTES = 64 * 1024;
const NOOP = (): void => {};

export interface ReadHooks {
  idleMs: number;
  /** Events waiting for the consumer: a long backlog pauses the socket. */
  channel: Pick<EventChannel<unknown>, 'backlog' | 'onDrain'>;
  /** The idle timer fired while the socket was not paused. */
  onIdle(): void;
  /** Receives the running idle timer (undefined when reading ends), so completed events can refresh it. */
  setIdleTimer(timer: NodeJS.Timeout | undefined): void;
  /** Handles one network read; says whether the answer failed or is complete. */
  onChunk(buf: Buffer): { failure?: BrokerError; complete: boolean };
}

/** Resolves at the end of the body or when the answer is complete; rejects on a failure, a socket error or an abort. */
export function readBody(body: Body, hooks: ReadHooks): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let paused = false;
    let settled = false;
    const idle = setTimeout(() => {
      if (!paused) hooks.onIdle();
    }, hooks.idleMs);
    hooks.setIdleTimer(idle);
    const settle = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      hooks.setIdleTimer(undefined);
      hooks.channel.onDrain = undefined;
      body.off('data', onData);
      body.off('end', onEnd);
      if (err !== undefined) reject(err);
      else resolve();
    };
    const onData = (buf: Buffer): void => {
      const { failure, complete } = hooks.onChunk(buf);
      if (failure !== undefined) {
        discard(body);
        settle(failure);
      } else if (complete) {
        drainAfterDone(body);
        settle();
      } else if (hooks.channel.backlog > HIGH_WATER_EVENTS) {
        paused = true;
        body.pause();
      }
    };
    const onEnd = (): void => settle();
    hooks.channel.onDrain = () => {
      if (!paused || settled) return;
      paused = false;
      idle.refresh();
      body.resume();
    };
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', (e: unknown) => settle(e));
  });
}

/** After `[DONE]` the answer is complete; let the connection finish briefly so it can be reused, else close it. */
function drainAfterDone(body: Body): void {
  let extra = 0;
  const timer = setTimeout(() => body.destroy(), AFTER_DONE_MS);
  timer.unref();
  body.on('data', (b: Buffer) => {
    extra += b.length;
    if (extra > AFTER_DONE_BYTES) body.destroy();
  });
  body.once('close', () => clearTimeout(timer));
  body.on('error', NOOP);
  if (body.isPaused()) body.resume();
}

/** Closes a body we will not read; its late 'error' (the abort we caused) is not an uncaught exception. */
export function discard(body: Body): void {
  body.on('error', NOOP);
  body.destroy();
}
