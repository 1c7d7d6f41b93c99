/**
 * One HTTP request to one model, read to its end. Pushes text and reasoning as they arrive, then the tool
 * calls, the usage and `done`; or throws a classified BrokerError carrying the partial text and any usage.
 *
 * The hot path (a network read → incremental UTF-8 decode → SSE framing → chunk interpretation → queued
 * event) does no per-event allocation beyond the event itself, and most chunks skip JSON.parse of the
 * envelope through ChunkTemplates.
 */
import { request, type Dispatcher } from 'undici';
import { discard, readBody, type Body } from './bodyReader';
import { BrokerError } from './brokerError';
import type { BuiltRequest } from './buildRequest';
import { ChunkTemplates } from './chunkTemplate';
import { apiError, httpError } from './classifyError';
import { logRequest, logReplay } from './diagnostics';
import type { EventChannel } from './eventChannel';
import { StreamReportedError } from './interpretChunk';
import { routeFor } from './network';
import { compressedAnswer, nonStreamAnswer } from './nonStreamAnswer';
import { redact } from './redact';
import { ResponseState } from './responseState';
import { headerValue, type HeaderMap } from './retryHints';
import { SseReader, type SseHost } from './sseReader';
import { transportError } from './transportError';
import type { BrokerEvent, ChatOptions, ModelConfig } from './types';
import { toUsage } from './usage';

/** How much of a response body a replay record keeps. */
export const REPLAY_BODY_BYTES = 4096;
/** Error bodies and non-stream answers are read up to this size. */
const MAX_BUFFERED_BODY = 1024 * 1024;

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
/** Default bound on an answer's text, reasoning and tool-call arguments together: `answer_too_large`. */
export const DEFAULT_MAX_ANSWER_CHARS = 4_000_000;

type AbortCause = 'user' | 'cancel' | 'headers-timeout' | 'idle-timeout';

/** Facts the caller needs after an attempt, whether it succeeded or threw. */
export interface AttemptInfo {
  /** True once any text, reasoning or tool call arrived. */
  produced: boolean;
  /** The raw error body of a non-2xx answer (for the include_usage retry decision). */
  errorBody?: string;
}

/** Knobs that are not part of the public options. */
export interface AttemptTuning {
  /** Use the envelope-template fast path (default true); the benchmark and tests compare both. */
  templates?: boolean;
}


/** Runs one request; resolves after `done` was pushed, rejects with a BrokerError. */
export function runAttempt(
  model: ModelConfig,
  req: BuiltRequest,
  opts: ChatOptions,
  channel: EventChannel<BrokerEvent>,
  cancel: AbortSignal,
  info: AttemptInfo,
  tuning: AttemptTuning = {},
): Promise<void> {
  return new Attempt(model, req, opts, channel, cancel, info, tuning).run();
}

class Attempt implements SseHost {
  readonly state = new ResponseState();
  readonly templates: ChunkTemplates | undefined;
  private readonly ac = new AbortController();
  private abortCause: AbortCause | undefined;
  private readonly category: string;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly idleMs: number;
  readonly maxAnswerChars: number;
  /** The proxy in use (without credentials), null when direct. */
  private proxy: string | null = null;
  /** The running idle timer: only completed events with data refresh it. */
  private idle: NodeJS.Timeout | undefined;

  status: number | null = null;
  private headers: HeaderMap = {};
  private readonly started = performance.now();
  private ttfbMs: number | null = null;
  private head: Buffer[] = [];
  private headBytes = 0;

  private readonly sse = new SseReader(this);
  /** Set when a buffered (non-stream) body grew too large; stops reading. */
  private failure: BrokerError | undefined;

  constructor(
    private readonly model: ModelConfig,
    private readonly req: BuiltRequest,
    private readonly opts: ChatOptions,
    readonly channel: EventChannel<BrokerEvent>,
    private readonly cancel: AbortSignal,
    private readonly info: AttemptInfo,
    tuning: AttemptTuning,
  ) {
    this.templates = tuning.templates === false ? undefined : new ChunkTemplates();
    this.category = opts.category ?? 'chat';
    this.now = opts.now ?? Date.now;
    this.timeoutMs = opts.timeoutMs ?? model.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.idleMs = opts.idleTimeoutMs ?? model.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.maxAnswerChars = opts.maxAnswerChars ?? model.maxAnswerChars ?? DEFAULT_MAX_ANSWER_CHARS;
  }

  private abort(cause: AbortCause): void {
    if (this.abortCause !== undefined) return;
    this.abortCause = cause;
    this.ac.abort(new Error(cause));
  }

  async run(): Promise<void> {
    const onUser = (): void => this.abort('user');
    const onCancel = (): void => this.abort('cancel');
    const userSignal = this.opts.signal;
    if (userSignal?.aborted) onUser();
    userSignal?.addEventListener('abort', onUser, { once: true });
    if (this.cancel.aborted) onCancel();
    this.cancel.addEventListener('abort', onCancel, { once: true });
    try {
      await this.exchange();
      this.log('ok');
    } catch (e) {
      const err = this.classify(e);
      this.log(err.kind);
      if (err.kind === 'http' || err.kind === 'api' || err.kind === 'decode' || err.kind === 'shape') this.replay(err);
      throw err;
    } finally {
      userSignal?.removeEventListener('abort', onUser);
      this.cancel.removeEventListener('abort', onCancel);
    }
  }

  private async exchange(): Promise<void> {
    if (this.abortCause !== undefined) throw new Error('aborted before the request');
    let dispatcher = this.opts.dispatcher;
    if (dispatcher === undefined) {
      const route = routeFor(this.req.url, this.model, this.opts);
      dispatcher = route.dispatcher;
      this.proxy = route.info.proxy;
    }
    const headerTimer = setTimeout(() => this.abort('headers-timeout'), this.timeoutMs);
    let res: Dispatcher.ResponseData;
    try {
      res = await request(this.req.url, {
        method: 'POST',
        headers: this.req.headers,
        body: JSON.stringify(this.req.body),
        dispatcher,
        signal: this.ac.signal,
        // Our own timers decide (only completed events count as traffic, and they pause with backpressure).
        headersTimeout: 0,
        bodyTimeout: 0,
      });
    } finally {
      clearTimeout(headerTimer);
    }
    this.ttfbMs = performance.now() - this.started;
    this.status = res.statusCode;
    this.headers = res.headers;
    const body = res.body;

    const encoding = (headerValue(this.headers, 'content-encoding') ?? 'identity').trim().toLowerCase();
    if (res.statusCode < 200 || res.statusCode > 299) {
      const text = encoding === 'identity' ? await this.readErrorBody(body) : (discard(body), '');
      this.info.errorBody = text;
      throw httpError(res.statusCode, this.headers, text, this.now(), this.model.id, this.req.url);
    }
    if (encoding !== 'identity') {
      discard(body);
      throw compressedAnswer(encoding, res.statusCode);
    }

    const contentType = String(this.headers['content-type'] ?? '').toLowerCase();
    let mode: 'sse' | 'buffer' | undefined = contentType.includes('event-stream')
      ? 'sse'
      : contentType.includes('json') || contentType.includes('html')
        ? 'buffer'
        : undefined;
    const buffered: Buffer[] = [];
    let bufferedBytes = 0;

    await this.readBody(body, (buf) => {
      if (mode === undefined) {
        // No usable content type: sniff the first visible byte. JSON and HTML are answers, anything else SSE.
        const first = buf.toString('latin1', 0, Math.min(buf.length, 64)).trimStart()[0];
        if (first === undefined) return void buffered.push(buf);
        mode = first === '{' || first === '[' || first === '<' ? 'buffer' : 'sse';
        if (mode === 'sse' && buffered.length) {
          for (const b of buffered.splice(0)) this.sse.feed(b);
        }
      }
      if (mode === 'sse') this.sse.feed(buf);
      else {
        buffered.push(buf);
        bufferedBytes += buf.length;
        if (bufferedBytes > MAX_BUFFERED_BODY) {
          this.failure = new BrokerError('shape', `the server answered ${contentType || 'a body'} larger than 1 MB instead of an event stream`, { code: 'not_a_stream' });
        }
      }
    });

    if (mode === 'buffer') {
      if (this.failure !== undefined) throw this.failure;
      throw this.toError(nonStreamAnswer(Buffer.concat(buffered).toString('utf8'), contentType, this.status));
    }
    if (mode === 'sse') this.sse.end();
    if (!this.sse.sawDone && this.state.finishReason === null) {
      throw new BrokerError(
        'transport',
        this.state.produced || this.headBytes > 0
          ? 'the stream ended before the server finished the answer (no finish_reason and no [DONE]): it was cut off'
          : 'the server closed the stream without sending anything',
        { code: 'stream_cut_off', retryable: true },
      );
    }
    this.finishSuccess();
  }

  /** Pushes the end-of-stream events: tool calls, usage, done. */
  private finishSuccess(): void {
    const s = this.state;
    for (const call of s.tools.finish()) this.channel.push({ kind: 'tool_call', ...call });
    if (s.rawUsage !== null) this.channel.push({ kind: 'usage', usage: toUsage(s.rawUsage, this.model, s.model, this.category) });
    this.channel.push({ kind: 'done', finishReason: s.finishReason, model: s.model, modelId: this.model.id });
  }

  /** Reads a body with the idle timer, backpressure, the replay head and early stop (see bodyReader.ts). */
  private readBody(body: Body, onChunk: (buf: Buffer) => void): Promise<void> {
    return readBody(body, {
      idleMs: this.idleMs,
      channel: this.channel,
      onIdle: () => this.abort('idle-timeout'),
      setIdleTimer: (t) => (this.idle = t),
      onChunk: (buf) => {
        if (this.headBytes < REPLAY_BODY_BYTES) {
          this.head.push(buf.subarray(0, REPLAY_BODY_BYTES - this.headBytes));
          this.headBytes += Math.min(buf.length, REPLAY_BODY_BYTES - this.headBytes);
        }
        try {
          onChunk(buf);
        } catch (e) {
          this.failure ??= this.sse.failure ?? this.toError(e);
        }
        return { failure: this.failure ?? this.sse.failure, complete: this.sse.sawDone };
      },
    });
  }

  /** Reads an error body (bounded); never throws for body trouble, the status already says enough. */
  private async readErrorBody(body: Body): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      await this.readBody(body, (buf) => {
        if (size < MAX_BUFFERED_BODY) chunks.push(buf);
        size += buf.length;
      });
    } catch (e) {
      if (this.abortCause !== undefined) throw e;
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  // ---- outcome ---------------------------------------------------------------------------------------------

  /** Turns anything thrown into a BrokerError with the partial text and usage attached. */
  private classify(e: unknown): BrokerError {
    let err: BrokerError;
    if (this.abortCause === 'user' || this.abortCause === 'cancel') {
      err = new BrokerError('aborted', 'the request was cancelled', { code: 'aborted' });
    } else if (this.abortCause === 'headers-timeout') {
      err = new BrokerError('timeout', `no response from the server within ${this.timeoutMs} ms`, { code: 'headers_timeout', retryable: true });
    } else if (this.abortCause === 'idle-timeout') {
      err = new BrokerError('timeout', `the stream was silent for ${this.idleMs} ms`, { code: 'idle_timeout', retryable: true });
    } else {
      err = this.toError(e);
    }
    err.modelId = this.model.id;
    // Every failure after the response began says which status that response had.
    if (err.status === undefined && this.status !== null) err.status = this.status;
    err.message = redact(err.message, this.req.secrets);
    if (this.state.text !== '' && err.partialText === undefined) err.partialText = this.state.text;
    if (this.state.rawUsage !== null && err.usage === undefined) {
      err.usage = toUsage(this.state.rawUsage, this.model, this.state.model, this.category);
    }
    this.info.produced = this.state.produced;
    return err;
  }

  /** A completed event with data: the idle timer starts over. */
  progress(): void {
    this.idle?.refresh();
  }

  toError(e: unknown): BrokerError {
    if (e instanceof BrokerError) return e;
    if (e instanceof StreamReportedError) {
      return apiError(e.details, this.status ?? 200, this.headers, this.now(), { modelId: this.model.id, where: e.where });
    }
    return transportError(e, { url: this.req.url, proxy: this.proxy });
  }

  private log(outcome: 'ok' | BrokerError['kind']): void {
    logRequest(this.opts.log, {
      modelId: this.model.id,
      url: this.req.url,
      status: this.status,
      ttfbMs: this.ttfbMs,
      durationMs: performance.now() - this.started,
      rawUsage: this.state.rawUsage,
      headers: this.headers,
      outcome,
      secrets: this.req.secrets,
      proxy: this.proxy,
    });
  }

  private replay(err: BrokerError): void {
    logReplay(this.opts.log, {
      modelId: this.model.id,
      kind: err.kind,
      message: err.message,
      url: this.req.url,
      requestBody: this.req.body,
      status: this.status,
      headers: this.headers,
      bodyHead: Buffer.concat(this.head).toString('utf8'),
      secrets: this.req.secrets,
    });
  }
}
