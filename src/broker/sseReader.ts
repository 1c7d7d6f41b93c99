/**
 * The event-stream half of an attempt: bytes → incremental UTF-8 → SSE framing (bounded: a line or event over
 * 4 MB stops the stream) → chunk interpretation → events. Knows every way servers report errors inside a 200.
 */
import { StringDecoder } from 'node:string_decoder';
import { createParser, type EventSourceMessage, type EventSourceParser, type ParseError } from 'eventsource-parser';
import { BrokerError } from './brokerError';
import type { ChunkTemplates } from './chunkTemplate';
import { detailsFromJson, oneLine } from './classifyError';
import type { EventChannel } from './eventChannel';
import { anthropicShapeError, interpretChunk, StreamReportedError } from './interpretChunk';
import { compressedAnswer, detailsFromText, htmlAnswer, notSse } from './nonStreamAnswer';
import type { ResponseState } from './responseState';
import type { BrokerEvent } from './types';

/** An SSE line, or the data of one event, longer than this (in characters) ends the attempt: `line_too_long`. */
export const MAX_SSE_LINE_CHARS = 4 * 1024 * 1024;

/** What the reader needs from its attempt. */
export interface SseHost {
  readonly state: ResponseState;
  readonly channel: EventChannel<BrokerEvent>;
  readonly templates: ChunkTemplates | undefined;
  /** The response's status, for messages. */
  readonly status: number | null;
  readonly maxAnswerChars: number;
  /** A completed event with data arrived: the stream is alive. */
  progress(): void;
  toError(e: unknown): BrokerError;
}

export class SseReader {
  /** `[DONE]` seen: everything after it is ignored. */
  sawDone = false;
  /** Set by the SSE callbacks; stops reading. */
  failure: BrokerError | undefined;
  private parser: EventSourceParser | undefined;
  private readonly decoder = new StringDecoder('utf8');
  private started = false;
  /** The final flush at end of body is running: an unparseable last event means the stream was cut. */
  private flushing = false;
  private readonly emit = (e: BrokerEvent): void => this.host.channel.push(e);

  constructor(private readonly host: SseHost) {}

  /** Feeds one network read; throws a BrokerError (or StreamReportedError) for a stream that must stop. */
  feed(buf: Buffer): void {
    if (this.sawDone || this.failure !== undefined) return;
    if (!this.started && buf[0] === 0x1f && buf[1] === 0x8b) throw compressedAnswer('gzip', this.host.status);
    this.started = true;
    let text = this.decoder.write(buf);
    if (this.parser === undefined) {
      // A byte-order mark may open the stream; the event-stream rules ignore it.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const first = text.trimStart();
      if (first.length === 0) return;
      // An HTML page sent as text/event-stream (a login portal, a proxy's error page) is not a cut-off stream.
      if (first.charCodeAt(0) === 60 /* < */) throw htmlAnswer(this.host.status);
    }
    if (text.length > 0) this.sseParser().feed(text);
  }

  private sseParser(): EventSourceParser {
    this.parser ??= createParser({
      onEvent: (ev) => this.onEvent(ev),
      onError: (err) => this.onFieldError(err),
      // Bounds the line being read plus the data of the event being gathered.
      maxBufferSize: MAX_SSE_LINE_CHARS,
    });
    return this.parser;
  }

  /** End of body: decode what the decoder held back, then dispatch an event that lacked its blank line. */
  end(): void {
    if (this.sawDone || this.failure !== undefined) return;
    const rest = this.decoder.end();
    const parser = this.sseParser();
    this.flushing = true;
    try {
      parser.feed(`${rest}\n\n`);
    } catch (e) {
      this.failure = this.host.toError(e);
    }
    if (this.failure !== undefined) throw this.failure;
  }

  private onEvent(ev: EventSourceMessage): void {
    if (this.sawDone || this.failure !== undefined) return;
    const data = ev.data;
    if (data.length > 0) this.host.progress();
    this.interpret(ev, data);
    if (this.host.state.chars > this.host.maxAnswerChars) {
      throw new BrokerError('shape', `the answer grew past ${this.host.maxAnswerChars.toLocaleString('en-US')} characters (maxAnswerChars) and was stopped; what arrived is kept`, { code: 'answer_too_large' });
    }
  }

  private interpret(ev: EventSourceMessage, data: string): void {
    if (ev.event !== undefined && ev.event !== 'message') {
      this.onNamedEvent(ev.event, data);
      return;
    }
    if (this.host.templates !== undefined) {
      const fast = this.host.templates.match(data, this.host.state);
      if (fast !== undefined) {
        this.host.channel.push(fast);
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
    const effects = interpretChunk(chunk, this.host.state, this.emit);
    this.host.templates?.learn(data, effects);
  }

  private onNamedEvent(name: string, data: string): void {
    if (name === 'error') throw new StreamReportedError(detailsFromText(data), 'in an `event: error` message');
    if (name === 'message_start' || name === 'content_block_delta' || name === 'content_block_start') throw anthropicShapeError();
    if (name === 'ping') return;
    // Unknown event names carry ordinary chunks on some gateways: read them like unnamed events.
    this.interpret({ id: undefined, event: undefined, data }, data);
  }

  /** eventsource-parser reports lines with unknown field names here. */
  private onFieldError(err: ParseError): void {
    if (this.sawDone || this.failure !== undefined) return;
    if (err.type === 'max-buffer-size-exceeded') {
      this.failure = new BrokerError('shape', `the server sent an event-stream line or event longer than ${MAX_SSE_LINE_CHARS / 1024 / 1024} MB; the stream was stopped`, { code: 'line_too_long' });
      return;
    }
    if (err.type !== 'unknown-field') return;
    if (err.field === 'error') {
      // llama.cpp's older non-standard `error: {...}` SSE field.
      this.failure = this.host.toError(new StreamReportedError(detailsFromText(err.value ?? ''), 'in an `error:` field'));
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
        this.failure = this.host.toError(new StreamReportedError(detailsFromJson(parsed), 'in the response'));
      } else {
        this.failure = notSse(parsed);
      }
    }
    // Other unknown fields are ignored, as the SSE rules say.
  }
}
