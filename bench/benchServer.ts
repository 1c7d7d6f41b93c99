/**
 * The benchmark's loopback server, run in a worker thread so serving bytes does not compete with the
 * client under test for the main event loop.
 *
 *   POST .../stream   the whole prepared SSE body, as fast as the socket takes it
 *   POST /latency/...  headers, a pause, then one delta (its write time stored in shared memory), then the end
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';

export interface BenchServerData {
  body: Uint8Array;
  firstDelta: string;
  tail: string;
  /** Slot 0 receives process.hrtime.bigint() when the first latency delta is written. */
  clock: SharedArrayBuffer;
}

if (parentPort) {
  const { body, firstDelta, tail, clock } = workerData as BenchServerData;
  const writtenAt = new BigInt64Array(clock);
  const payload = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      if (req.url?.startsWith('/latency')) {
        res.flushHeaders();
        setTimeout(() => {
          writtenAt[0] = process.hrtime.bigint();
          res.write(firstDelta);
          setTimeout(() => res.end(tail), 5);
        }, 20);
      } else {
        res.end(payload);
      }
    });
  });
  server.on('connection', (s) => s.setNoDelay(true));
  server.listen(0, '127.0.0.1', () => {
    parentPort!.postMessage({ port: (server.address() as AddressInfo).port });
  });
  parentPort.on('message', (m) => {
    if (m === 'close') server.close(() => process.exit(0));
  });
}
