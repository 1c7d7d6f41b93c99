/**
 * A separate process that appends usage records to a shared log, for the cross-process tests. Started with
 * fork(): it says "ready", waits for "go", appends `count` records (a few in flight at a time, to contend as
 * hard as possible), says "done" and exits.
 *
 *   fork(appendWorker.js, [logPath, workerName, count])
 */
import { LedgerFile } from '../../../src/usage/ledgerFile';
import { recordFromUsage } from '../../../src/usage/record';

const [path, worker, countText] = process.argv.slice(2);
const count = Number(countText);
const IN_FLIGHT = 4;

async function run(): Promise<void> {
  const file = new LedgerFile({ path, watch: false, pollIntervalMs: 0 });
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const usage = { promptTokens: i, completionTokens: 1, totalTokens: i + 1, cost: 0.000001, costSource: 'provider' as const, modelId: worker, model: `model, "${worker}"`, category: 'chat' };
      await file.append(recordFromUsage(usage, { time: Date.now(), sessionId: worker, id: `${worker}-${i}` }));
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  file.dispose();
}

process.on('message', (message) => {
  if (message !== 'go') return;
  run().then(
    () => process.send?.('done', () => process.exit(0)),
    (err) => {
      process.stderr.write(String(err?.stack ?? err));
      process.exit(1);
    },
  );
});
process.send?.('ready');
