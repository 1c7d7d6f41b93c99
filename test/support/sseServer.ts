/**
 * A scriptable HTTP server on 127.0.0.1 for stream tests: it answers any status, headers and bytes, cuts the
 * body into network writes the way a test asks (whole, byte by byte, at random cut points, inside multi-byte
 * characters), pauses, stalls, drops the connection, and records each request and when its client went away.
 *
 *   const server = await SseServer.start();
 *   server.respond({ status: 200, headers: { 'content-type': 'text/event-stream' },
 *                    body: 'data: {"choices":[]}\n\ndata: [DONE]\n\n', chunking: 'bytes' });
 *   // ... point a client at server.url ...
 *   const req = server.requests[0];      // method, path, headers, body, json()
 *   await req.disconnected;              // resolves when the client closed before the answer ended
 *   await server.close();
 *
 * Responses are taken from a FIFO queue (`respond`), then from the default (`setDefault`), else 404.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { mulberry32, randomInt } from './prng';

/** One step of a scripted body. */
export type Step =
  /** Bytes to send, cut according to the response's chunking. */
  | { write: string | Uint8Array }
  /** Wait before the next step. */
  | { pause: number }
  /** Send nothing more and keep the connection open (until the client leaves or the server closes). */
  | { stall: true }
  /** Destroy the socket now: the client sees the connection reset in the middle of the body. */
  | { drop: true };

/**
 * How each `write` is cut into network writes:
 * - 'whole': one write;
 * - 'bytes': one write per byte;
 * - { seed, maxPieces? }: random cut points (reproducible from the seed);
 * - { cuts }: the given byte offsets;
 * - 'utf8': a cut inside every multi-byte UTF-8 character (and nowhere else).
 */
export type Chunking = 'whole' | 'bytes' | 'utf8' | { seed: number; maxPieces?: number } | { cuts: number[] };

/** What the server answers to one request. */
export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string | string[]>;
  /** The body: bytes, or steps. Default empty. */
  body?: string | Uint8Array | Step[];
  chunking?: Chunking;
  /** Wait this long before sending the status line and headers. */
  headerDelayMs?: number;
  /** Never send headers (the client's header timeout must fire). */
  stallBeforeHeaders?: boolean;
  /** Milliseconds to wait between the pieces of a cut write; default: one event-loop turn. */
  pieceDelayMs?: number;
}

/** A request as the server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The body parsed as JSON. */
  json<T = Record<string, unknown>>(): T;
  /** performance.now() when the request arrived. */
  receivedAt: number;
  /** performance.now() when the client closed the connection before the answer ended, if it did. */
  disconnectedAt?: number;
  /** Resolves with disconnectedAt when the client leaves before the answer ended. */
  disconnected: Promise<number>;
  /** True once the whole scripted answer was sent. */
  completed: boolean;
}

/** Called when a piece of body has been handed to the socket (for latency measurements). */
export type WriteListener = (request: RecordedRequest, bytesSoFar: number) => void;

type Responder = ScriptedResponse | ((req: RecordedRequest) => ScriptedResponse);

const encoder = new TextEncoder();

/** Cuts `bytes` into pieces according to `chunking`. */
export function cutBytes(bytes: Uint8Array, chunking: Chunking = 'whole'): Uint8Array[] {
  if (bytes.length <= 1 || chunking === 'whole') return [bytes];
  let cuts: number[];
  if (chunking === 'bytes') {
    cuts = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
  } else if (chunking === 'utf8') {
    cuts = [];
    for (let i = 1; i < bytes.length; i++) if ((bytes[i]! & 0xc0) === 0x80 && (bytes[i - 1]! & 0x80) !== 0) cuts.push(i);
    // Only the first continuation byte of each character: that splits every character exactly once.
    cuts = cuts.filter((c) => (bytes[c - 1]! & 0xc0) === 0xc0);
  } else if ('cuts' in chunking) {
    cuts = chunking.cuts.filter((c) => c > 0 && c < bytes.length);
  } else {
    const rng = mulberry32(chunking.seed);
    const max = Math.min(bytes.length - 1, chunking.maxPieces ?? 64);
    const n = randomInt(rng, 1, Math.max(1, max));
    const set = new Set<number>();
    for (let i = 0; i < n; i++) set.add(randomInt(rng, 1, bytes.length - 1));
    cuts = [...set];
  }
  cuts = [...new Set(cuts)].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const c of cuts) {
    pieces.push(bytes.subarray(from, c));
    from = c;
  }
  pieces.push(bytes.subarray(from));
  return pieces;
}

function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? encoder.encode(data) : data;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** The scriptable loopback server. */
export class SseServer {
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  /** Optional hook called after each body piece is written. */
  onWrite: WriteListener | undefined;
  private readonly queue: Responder[] = [];
  private fallback: Responder | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server, readonly url: string) {}

  /** Starts a server on 127.0.0.1 with a free port; HTTPS with the given key and certificate. */
  static async start(options: { tls?: { key: string; cert: string } } = {}): Promise<SseServer> {
    const server: Server = options.tls ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }) : createServer();
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const s = new SseServer(server, `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`);
    server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
      socket.setNoDelay(true);
      s.sockets.add(socket);
      socket.on('close', () => s.sockets.delete(socket));
    });
    server.on('request', (req, res) => void s.handle(req, res));
    return s;
  }

  /** Queues the answer to the next request (FIFO). */
  respond(...responses: Responder[]): this {
    this.queue.push(...responses);
    return this;
  }

  /** The answer when the queue is empty. */
  setDefault(response: Responder | undefined): this {
    this.fallback = response;
    return this;
  }

  /** Forgets recorded requests and queued answers. */
  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
    this.fallback = undefined;
    this.onWrite = undefined;
  }

  /** Number of open client connections. */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** Closes every connection and stops listening. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let markDisconnected!: (t: number) => void;
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body,
      json: <T>() => JSON.parse(body) as T,
      receivedAt: performance.now(),
      disconnected: new Promise<number>((r) => (markDisconnected = r)),
      completed: false,
    };
    this.requests.push(record);
    res.on('close', () => {
      if (!record.completed) {
        record.disconnectedAt = performance.now();
        markDisconnected(record.disconnectedAt);
      }
    });

    const responder = this.queue.shift() ?? this.fallback;
    const script: ScriptedResponse =
      responder === undefined
        ? { status: 404, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":"no scripted response"}}' }
        : typeof responder === 'function'
          ? responder(record)
          : responder;
    try {
      await this.play(script, record, res);
    } catch {
      // The client went away mid-answer: that is what some tests are about.
    }
  }

  private async play(script: ScriptedResponse, record: RecordedRequest, res: ServerResponse): Promise<void> {
    if (script.stallBeforeHeaders) return; // keep the socket open, say nothing
    if (script.headerDelayMs) await sleep(script.headerDelayMs);
    if (res.destroyed) return;
    res.writeHead(script.status ?? 200, script.headers ?? {});
    res.flushHeaders();
    const steps: Step[] =
      script.body === undefined ? [] : typeof script.body === 'string' || script.body instanceof Uint8Array ? [{ write: script.body }] : script.body;
    let written = 0;
    for (const step of steps) {
      if (res.destroyed) return;
      if ('pause' in step) {
        await sleep(step.pause);
      } else if ('stall' in step) {
        return;
      } else if ('drop' in step) {
        res.socket?.destroy();
        return;
      } else {
        const pieces = cutBytes(toBytes(step.write), script.chunking);
        for (let i = 0; i < pieces.length; i++) {
          if (res.destroyed) return;
          if (i > 0) await (script.pieceDelayMs ? sleep(script.pieceDelayMs) : turn());
          const ok = res.write(pieces[i]);
          written += pieces[i]!.length;
          this.onWrite?.(record, written);
          if (!ok) await new Promise<void>((r) => res.once('drain', () => r()));
        }
      }
    }
    record.completed = true;
    res.end();
  }
}
