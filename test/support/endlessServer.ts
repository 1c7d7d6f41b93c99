/**
 * A hostile server on 127.0.0.1: after the headers and an optional prefix it writes the same piece again and
 * again, as fast as the socket takes it, until the client goes away (or `maxBytes`). Shows whether a client
 * bounds what it reads: a line that never ends, a valid stream that never finishes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface EndlessOptions {
  headers?: Record<string, string>;
  /** Written once before the repeated piece. */
  prefix?: string;
  /** Written again and again. */
  piece: string | Buffer;
  /** Stop (and end the response) after this many bytes; default: never. */
  maxBytes?: number;
}

export class EndlessServer {
  /** Bytes written to the most recent client. */
  bytesSent = 0;
  /** Resolves when the most recent client closed the connection before the server stopped writing. */
  disconnected: Promise<void> = new Promise(() => undefined);
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(opts: EndlessOptions): Promise<EndlessServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const s = new EndlessServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const piece = typeof opts.piece === 'string' ? Buffer.from(opts.piece) : opts.piece;
    server.on('connection', (socket) => {
      s.sockets.add(socket);
      socket.on('close', () => s.sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      req.resume();
      s.bytesSent = 0;
      let markGone!: () => void;
      s.disconnected = new Promise((r) => (markGone = r));
      let finished = false;
      res.on('close', () => {
        if (!finished) markGone();
      });
      res.writeHead(200, { 'content-type': 'text/event-stream', ...(opts.headers ?? {}) });
      if (opts.prefix) {
        res.write(opts.prefix);
        s.bytesSent += Buffer.byteLength(opts.prefix);
      }
      const pump = (): void => {
        while (!res.destroyed) {
          if (opts.maxBytes !== undefined && s.bytesSent >= opts.maxBytes) {
            finished = true;
            res.end();
            return;
          }
          s.bytesSent += piece.length;
          if (!res.write(piece)) {
            res.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    return s;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
