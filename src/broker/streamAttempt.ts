/**
 * One HTTP request to one model, read to its end. Pushes text and reasoning as they arrive, then the tool
 * calls, the usage and `done`; or throws a classified BrokerError carrying the partial text and any usage.
 *
 * The hot path (a network read → incremental UTF-8 decode → SSE framing → chunk interpretation → queued
 * event) does no per-event allocation beyond the event itself, and most chunks skip JSON.parse of the
 * envelope through ChunkTemplates.
 */
import { StringDecoder } from 'node:string_decoder';
import { createParser, type EventSourceMessage, type EventSourceParser, type ParseError } from 'eventsource-parser';
import { getGlobalDispatcher, request, type Dispatcher } from 'undici';
import { BrokerError } from './brokerError';
import type { BuiltRequest } from './buildRequest';
import { ChunkTemplates } from './chunkTemplate';
import { apiError, detailsFromJson, httpError, oneLine } from './classifyError';
import { logRequest, logReplay } from './diagnostics';
import type { EventChannel } from './eventChannel';
import { anthropicShapeError, interpretChunk, StreamReportedError } from './interpretChunk';
import { redact } from './redact';
import { ResponseState } from './responseState';
import type { HeaderMap } from './retryHints';
import type { BrokerEvent, ChatOptions, ModelConfig } from './types';
import { toUsage } from './usage';

/** How much of a response body a replay record keeps. */
export const REPLAY_BODY_BYTES = 4096;
/** Error bodies and non-stream answers are read up to this size. */
const MAX_BUFFERED_BODY = 1024 * 1024;
/** Pause the socket when this many events wait for the consumer; resume when it has taken them all. */
const HIGH_WATER_EVENTS = 4096;
/** After `[DONE]`, keep reading (to reuse the connection) at most this long / this much, then close. */
const AFTER_DONE_MS = 1000;
const AFTER_DONE_BYTES = 64 * 1024;

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

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

const NOOP = (): void => {};

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

class Attempt {
  private readonly state = new ResponseState();
  private readonly templates: ChunkTemplates | undefined;
  private readonly ac = new AbortController();
  private abortCause: AbortCause | undefined;
  private readonly category: string;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly idleMs: number;

  private status: number | null = null;
  private headers: HeaderMap = {};
  private readonly started = performance.now();
  private ttfbMs: number | null = null;
  private head: Buffer[] = [];
  private headBytes = 0;

  private parser: EventSourceParser | undefined;
  private readonly decoder = new StringDecoder('utf8');
  /** `[DONE]` seen: everything after it is ignored. */
  private sawDone = false;
  /** The final flush at end of body is running: an unparseable last event means the stream was cut. */
  private flushing = false;
  /** Set by the SSE callbacks; stops reading. */
  private failure: BrokerError | undefined;
  private readonly emit = (e: BrokerEvent): void => this.channel.push(e);

  constructor(
    private readonly model: ModelConfig,
    private readonly req: BuiltRequest,
    private readonly opts: ChatOptions,
    private readonly channel: EventChannel<BrokerEvent>,
    private readonly cancel: AbortSignal,
    private readonly info: AttemptInfo,
    tuning: AttemptTuning,
  ) {
    this.templates = tuning.templates === false ? undefined : new ChunkTemplates();
    this.category = opts.category ?? 'chat';
    this.now = opts.now ?? Date.now;
    this.timeoutMs = opts.timeoutMs ?? model.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.idleMs = opts.idleTimeoutMs ?? model.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
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
    const dispatcher: Dispatcher = this.opts.dispatcher ?? getGlobalDispatcher();
    const headerTimer = setTimeout(() => this.abort('headers-timeout'), this.timeoutMs);
    let res: Dispatcher.ResponseData;
    try {
      res = await request(this.req.url, {
        method: 'POST',
        headers: this.req.headers,
        body: JSON.stringify(this.req.body),
        dispatcher,
        signal: this.ac.signal,
        // Our own timers decide (they know "comments count as traffic" and pause with backpressure).
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

    if (res.statusCode < 200 || res.statusCode > 299) {
      const text = await this.readAll(body);
      this.info.errorBody = text;
      throw httpError(res.statusCode, this.headers, text, this.now(), this.model.id);
    }

    const contentType = String(this.headers['content-type'] ?? '').toLowerCase();
    let mode: 'sse' | 'buffer' | undefined = contentType.includes('event-stream')
      ? 'sse'
      : contentType.includes('json') || contentType.includes('html')
        ? 'buffer'
        : undefined;
    const buffered: Buffer[] = [];
    let bufferedBytes = 0;

    await this.read(body, (buf) => {
      if (mode === undefined) {
        // No usable content type: sniff the first visible byte. JSON and HTML are answers, anything else SSE.
        const first = buf.toString('latin1', 0, Math.min(buf.length, 64)).trimStart()[0];
        if (first === undefined) return void buffered.push(buf);
        mode = first === '{' || first === '[' || first === '<' ? 'buffer' : 'sse';
        if (mode === 'sse' && buffered.length) {
          for (const b of buffered.splice(0)) this.onSseBytes(b);
        }
      }
      if (mode === 'sse') this.onSseBytes(buf);
      else {
        buffered.push(buf);
        bufferedBytes += buf.length;
        if (bufferedBytes > MAX_BUFFERED_BODY) {
          this.failure = new BrokerError('shape', `the server answered ${contentType || 'a body'} larger than 1 MB instead of an event stream`, { code: 'not_a_stream' });
        }
      }
    });

    if (mode === 'buffer') throw this.nonStreamAnswer(Buffer.concat(buffered).toString('utf8'), contentType);
    if (mode === 'sse') this.endOfSse();
    if (!this.sawDone && this.state.finishReason === null) {
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

  /**
   * Reads a body with the idle timer, backpressure and early stop. Resolves at the end of the body or when
   * a callback decided the answer is complete; rejects on socket errors and aborts.
   */
  private read(body: Dispatcher.ResponseData['body'], onChunk: (buf: Buffer) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let paused = false;
      let settled = false;
      const idle = setTimeout(() => {
        if (!paused) this.abort('idle-timeout');
      }, this.idleMs);
      const settle = (err?: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(idle);
        this.channel.onDrain = undefined;
        body.off('data', onData);
        body.off('end', onEnd);
        if (err !== undefined) reject(err);
        else resolve();
      };
      const onData = (buf: Buffer): void => {
        idle.refresh();
        if (this.headBytes < REPLAY_BODY_BYTES) {
          this.head.push(buf.subarray(0, REPLAY_BODY_BYTES - this.headBytes));
          this.headBytes += Math.min(buf.length, REPLAY_BODY_BYTES - this.headBytes);
        }
        try {
          onChunk(buf);
        } catch (e) {
          this.failure ??= this.toError(e);
        }
        if (this.failure !== undefined) {
          body.destroy();
          settle(this.failure);
        } else if (this.sawDone) {
          this.drainAfterDone(body);
          settle();
        } else if (this.channel.backlog > HIGH_WATER_EVENTS) {
          paused = true;
          body.pause();
        }
      };
      const onEnd = (): void => settle();
      this.channel.onDrain = () => {
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

  /** Reads an error body (bounded); never throws for body trouble, the status already says enough. */
  private async readAll(body: Dispatcher.ResponseData['body']): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      await this.read(body, (buf) => {
        if (size < MAX_BUFFERED_BODY) chunks.push(buf);
        size += buf.length;
      });
    } catch (e) {
      if (this.abortCause !== undefined) throw e;
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** After `[DONE]` the answer is complete; let the connection finish briefly so it can be reused, else close it. */
  private drainAfterDone(body: Dispatcher.ResponseData['body']): void {
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

  // ---- SSE ---------------------------------------------------------------------------------------------

  private onSseBytes(buf: Buffer): void {
    if (this.sawDone || this.failure !== undefined) return;
    let text = this.decoder.write(buf);
    if (this.parser === undefined) {
      if (text.length === 0) return;
      // A byte-order mark may open the stream; the event-stream rules ignore it.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (text.length > 0) this.sseParser().feed(text);
  }

  private sseParser(): EventSourceParser {
    this.parser ??= createParser({
      onEvent: (ev) => this.onEvent(ev),
      onError: (err) => this.onFieldError(err),
    });
    return this.parser;
  }

  /** End of body: decode what the decoder held back, then dispatch an event that lacked its blank line. */
  private endOfSse(): void {
    if (this.sawDone || this.failure !== undefined) return;
    const rest = this.decoder.end();
    const parser = this.sseParser();
    this.flushing = true;
    try {
      parser.feed(`${rest}\n\n`);
    } catch (e) {
      this.failure = this.toError(e);
    }
    if (this.failure !== undefined) throw this.failure;
  }

  private onEvent(ev: EventSourceMessage): void {
    if (this.sawDone || this.failure !== undefined) return;
    const data = ev.data;
    if (ev.event !== undefined && ev.event !== 'message') {
      this.onNamedEvent(ev.event, data);
      return;
    }
    if (this.templates !== undefined) {
      const fast = this.templates.match(data, this.state);
      if (fast !== undefined) {
        this.channel.push(fast);
        return;
      }
    }
    if (data === '[DONE]') {
      this.sawDone = true;
      return;
    }
    if (data.length === 0) return;
    const c = data.charCodeAt(0);
    if (c !== 123 /* { */ && data.trim() === '') return;
    if (c !== 123 && data.trim() === '[DONE]') {
      this.sawDone = true;
      return;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      throw this.flushing
        ? new BrokerError('transport', 'the stream was cut off in the middle of an event', { code: 'stream_cut_off', retryable: true })
        : new BrokerError('decode', `the server sent an event that is not valid JSON: ${oneLine(data, 80)}`, { code: 'invalid_json' });
    }
    const effects = interpretChunk(chunk, this.state, this.emit);
    this.templates?.learn(data, effects);
  }

  private onNamedEvent(name: string, data: string): void {
    if (name === 'error') throw new StreamReportedError(detailsFromText(data), 'in an `event: error` message');
    if (name === 'message_start' || name === 'content_block_delta' || name === 'content_block_start') throw anthropicShapeError();
    if (name === 'ping') return;
    // Unknown event names carry ordinary chunks on some gateways: read them like unnamed events.
    this.onEvent({ id: undefined, event: undefined, data });
  }

  /** eventsource-parser reports lines with unknown field names here. */
  private onFieldError(err: ParseError): void {
    if (this.sawDone || this.failure !== undefined) return;
    if (err.type !== 'unknown-field') return;
    if (err.field === 'error') {
      // llama.cpp's older non-standard `error: {...}` SSE field.
      this.failure = this.toError(new StreamReportedError(detailsFromText(err.value ?? ''), 'in an `error:` field'));
      return;
    }
    const line = (err.line ?? '').trim();
    if (line.startsWith('{')) {
      // Bare JSON lines where SSE was promised: a JSON error body, or NDJSON from a native API.
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      if (typeof parsed === 'object' && parsed !== null && 'error' in parsed && (parsed as { error: unknown }).error) {
        this.failure = this.toError(new StreamReportedError(detailsFromJson(parsed), 'in the response'));
      } else {
        this.failure = notSse(parsed);
      }
    }
    // Other unknown fields are ignored, as the SSE rules say.
  }

  // ---- non-stream answers --------------------------------------------------------------------------------

  private nonStreamAnswer(text: string, contentType: string): BrokerError {
    if (this.failure !== undefined) return this.failure;
    const t = text.trim();
    if (t === '') return new BrokerError('transport', 'the server closed the connection without sending anything', { code: 'empty_response', retryable: true });
    if (contentType.includes('html') || t.startsWith('<')) {
      return new BrokerError('shape', `the server answered HTTP ${this.status} with an HTML page instead of an event stream: check the endpoint URL`, { code: 'html_response' });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch {
      const firstLine = t.split(/\r?\n/, 1)[0] ?? '';
      try {
        return notSse(JSON.parse(firstLine));
      } catch {
        return new BrokerError('shape', `the server answered ${contentType || 'a body'} that is neither an event stream nor JSON`, { code: 'not_a_stream' });
      }
    }
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      const o = parsed as Record<string, unknown>;
      if ((o.error !== undefined && o.error !== null) || o.type === 'error' || o.object === 'error') {
        return this.toError(new StreamReportedError(detailsFromJson(o), 'in a JSON body'));
      }
      if (Array.isArray(o.choices) && o.choices.length > 0) {
        return new BrokerError('shape', 'the server ignored "stream": true and answered one JSON completion; this endpoint does not stream', { code: 'not_streamed' });
      }
    }
    return notSse(parsed);
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

  private toError(e: unknown): BrokerError {
    if (e instanceof BrokerError) return e;
    if (e instanceof StreamReportedError) {
      return apiError(e.details, this.status ?? 200, this.headers, this.now(), { modelId: this.model.id, where: e.where });
    }
    return transportError(e, this.req.url);
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

/** Message and code from an error payload that may be JSON or plain text. */
function detailsFromText(data: string): { message?: string; code?: string } {
  const t = data.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return detailsFromJson(JSON.parse(t));
    } catch {
      // fall through: plain text
    }
  }
  return t === '' ? {} : { message: t };
}

/** A shape error for JSON that is not an OpenAI stream, naming the API it looks like. */
function notSse(parsed: unknown): BrokerError {
  const o = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  if ('done' in o && ('message' in o || 'response' in o)) {
    return new BrokerError('shape', "the endpoint answered Ollama's native NDJSON (/api/chat), not OpenAI chat completions: point it at the server's /v1 URL", { code: 'ollama_native' });
  }
  if (o.type === 'message' || o.type === 'message_start') return anthropicShapeError();
  return new BrokerError('shape', 'the server answered JSON that is not an OpenAI chat completion stream', { code: 'not_a_stream' });
}

const TRANSPORT_TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** A BrokerError for a socket-level failure (refused, reset, DNS...). */
export function transportError(e: unknown, url: string): BrokerError {
  const code = typeof e === 'object' && e !== null ? errorCode(e) : undefined;
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // keep the URL
  }
  if (code !== undefined && TRANSPORT_TIMEOUT_CODES.has(code)) {
    return new BrokerError('timeout', `timed out talking to ${host} (${code})`, { code, retryable: true, cause: e });
  }
  const detail = e instanceof Error ? e.message : String(e);
  const what =
    code === 'ECONNREFUSED' ? `could not connect to ${host}: connection refused (is the server running?)`
      : code === 'ENOTFOUND' ? `could not resolve ${host}`
        : `connection to ${host} failed: ${oneLine(detail, 160)}`;
  return new BrokerError('transport', what, { code: code ?? 'transport', retryable: true, cause: e });
}

function errorCode(e: object): string | undefined {
  const c = (e as { code?: unknown }).code;
  if (typeof c === 'string') return c;
  const cause = (e as { cause?: unknown }).cause;
  if (typeof cause === 'object' && cause !== null) return errorCode(cause);
  // AggregateError from happy-eyeballs connects.
  const errors = (e as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors.length > 0 && typeof errors[0] === 'object' && errors[0] !== null) return errorCode(errors[0]);
  return undefined;
}
