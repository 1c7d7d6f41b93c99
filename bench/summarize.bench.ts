/**
 * Summarize Selection: wall time of a selection ten times the model's context, split into parts summarized
 * `parallel` at a time and then combined, against a loopback server that answers every request after a
 * fixed delay. The baseline, measured in the same run through the same runner and server, is one request:
 * the ideal is ceil(parts / parallel) x one request + one request (the combining pass). Target: within 1.2x.
 *
 *   node out/bench/summarize.bench.js [--delay ms] [--runs N] [--out file.json]
 */
import { join } from 'node:path';
import { envKeyResolver } from '../src/broker';
import { ModelRunner } from '../src/chat/modelRunner';
import { planSummary, type SummarySource } from '../src/chat/summarize/plan';
import { streamSummary, type SummaryRequests } from '../src/chat/summarize/streamSummary';
import type { ModelSettings } from '../src/config/settingsTypes';
import { settingsWith } from '../test/support/settingsKit';
import { SummaryServer } from '../test/support/summaryServer';
import { markdownTable, median, timeMs, writeJson } from './benchKit';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const DELAY_MS = Number(arg('--delay', '150'));
const RUNS = Number(arg('--runs', '5'));
const OUT = arg('--out', join(__dirname, '..', '..', 'bench', 'results', 'summarize.json'));
const CONTEXT = 2000;
const TARGET = 1.2;

async function main(): Promise<void> {
  const server = await SummaryServer.start({ delayMs: DELAY_MS });
  const model: ModelSettings = { id: 'm', endpoint: server.url, model: 'm-1', contextTokens: CONTEXT };
  const runner = new ModelRunner({ settings: () => settingsWith([model]), resolveKey: envKeyResolver({}), record: () => undefined });
  const requests: SummaryRequests = {
    complete: (messages, signal) => runner.complete('summarize', messages, { signal }),
    stream: (messages, signal) => runner.stream('summarize', messages, { signal }),
  };
  // Ten contexts' worth of code (characters / 4 tokens).
  const lines: string[] = [];
  for (let i = 0; lines.join('').length < CONTEXT * 4 * 10; i++) lines.push(`export const value${i} = compute(${i}, 'some argument text'); // line ${i + 1}\n`);
  const source: SummarySource = { file: 'src/big.ts', language: 'typescript', startLine: 1, endLine: lines.length, text: lines.join('') };

  const one = (): Promise<unknown> => runner.complete('summarize', [{ role: 'user', content: 'File: x (typescript), lines 1-2.' }]);
  await one(); // warm the connection pool
  const singles: number[] = [];
  for (let i = 0; i < RUNS * 2; i++) singles.push(await timeMs(one));
  const single = median(singles);

  const rows: (string | number)[][] = [];
  const results: Record<string, unknown>[] = [];
  let missed = false;
  for (const parallel of [1, 4, 8]) {
    const plan = planSummary(source, model, { confirmAboveUsd: 0, parallel, prompt: '' });
    const runs: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      server.reset();
      runs.push(await timeMs(async () => {
        for await (const ev of streamSummary(plan, requests, new AbortController().signal, () => undefined)) void ev;
      }));
    }
    const wall = median(runs);
    const ideal = Math.ceil(plan.chunks.length / parallel) * single + single;
    const ratio = wall / ideal;
    if (ratio > TARGET) missed = true;
    rows.push([parallel, plan.chunks.length, server.maxInFlight, wall.toFixed(0), ideal.toFixed(0), `${ratio.toFixed(3)}x`, `≤ ${TARGET}x`]);
    results.push({ parallel, parts: plan.chunks.length, maxInFlight: server.maxInFlight, wallMs: wall, idealMs: ideal, ratio, runs });
  }
  await server.close();
  console.log(`selection: ${lines.length} lines, ${source.text.length} characters (10x a ${CONTEXT}-token context); server delay ${DELAY_MS} ms; one request (baseline, median of ${singles.length}): ${single.toFixed(1)} ms`);
  console.log(markdownTable(['parallel', 'parts', 'max in flight', 'wall ms (median)', 'ideal ms', 'wall / ideal', 'target'], rows));
  writeJson(OUT, { delayMs: DELAY_MS, contextTokens: CONTEXT, lines: lines.length, chars: source.text.length, singleRequestMs: single, target: TARGET, results });
  if (missed) {
    console.error(`summarize: wall time above ${TARGET}x the ideal`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
