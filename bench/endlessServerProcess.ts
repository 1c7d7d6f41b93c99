/**
 * The memory benchmark's hostile server, in a child process of its own so that what it allocates never
 * counts as the client's memory. Sends its URL to the parent once listening.
 *
 *   kind "line": a `data:` line that never ends; kind "stream": valid text deltas that never finish.
 */
import { EndlessServer } from '../test/support/endlessServer';

const kind = process.argv[2];
const delta = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'word '.repeat(12) } }] })}\n\n`;
const options = kind === 'line'
  ? { prefix: 'data: {"choices":[{"index":0,"delta":{"content":"', piece: 'a'.repeat(64 * 1024) }
  : { piece: delta.repeat(64) };

if (process.send) {
  void EndlessServer.start(options).then((server) => {
    process.send!({ url: server.url });
    process.on('message', (m) => {
      if (m === 'close') void server.close().then(() => process.exit(0));
    });
  });
}
