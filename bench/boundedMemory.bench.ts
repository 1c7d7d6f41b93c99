/**
 * Memory growth of the extension host's process while the broker reads from a hostile server that never
 * stops: a line without a newline (ends as `line_too_long`) and a valid stream without end (ends as
 * `answer_too_large` at the default 4,000,000 characters, the consumer keeping the whole answer as the chat
 * view does). The baseline is a reader without bounds (undici + eventsource-parser), stopped by the benchmark
 * after the same number of bytes the broker read before it stopped; it shows what the bounds save.
 * Peak growth over the level before the request, sampled every 2 ms; the servers run in child processes.
 *
 *   node --expose-gc out/bench/boundedMemory.bench.js [--out file.json]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join, relative } from 'node:path';
import { createParser } from 'eventsource-parser';
import { Agent, request } from 'undici';
import { chatStream, type BrokerError } from '../src/broker';
import { markdownTable, writeJson } from './benchKit';

const args = process.argv.slice(2);
const OUT = args.includes('--out') ? args[args.indexOf('--out') + 1]! : join(__dirname, '..', '..', 'bench', 'results', 'boundedMemory.json');
const TARGET_MB = 64;
const MB = 1024 * 1024;

interface Peak {
  heapMb: number;
  rssMb: number;
}

async function startServer(kind: 'line' | 'stream'): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(join(__dirname, 'endlessServerProcess.js'), [kind], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { url: string }) => resolve(m.url));
    child.once('exit', (code) => reject(new Error(`the ${kind} server exited with ${code}`)));
  });
  return { url, child };
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.send('close');
  });
}

/** Runs `fn` while sampling memory; returns the peak growth over the level measured just before. */
async function peakGrowth<T>(fn: () => Promise<T>): Promise<{ peak: Peak; result: T }> {
  global.gc?.();
  const base = process.memoryUsage();
  const baseHeap = base.heapUsed + base.external;
  let peakHeap = 0;
  let peakRss = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed + m.external - baseHeap);
    peakRss = Math.max(peakRss, m.rss - base.rss);
  };
  const timer = setInterval(sample, 2);
  try {
    const result = await fn();
    sample();
    return { peak: { heapMb: round(peakHeap / MB), rssMb: round(peakRss / MB) }, result };
  } finally {
    clearInterval(timer);
  }
}

/** The broker against the server; the consumer keeps every text delta, as the chat view does. */
async function viaBroker(url: string, dispatcher: Agent): Promise<{ code: string | undefined; chars: number }> {
  let text = '';
  try {
    for await (const e of chatStream({ id: 'hostile', endpoint: url, model: 'm', includeUsage: 'never' }, [{ role: 'user', content: 'go' }], { dispatcher })) {
      if (e.kind === 'text') text += e.text;
    }
  } catch (e) {
    return { code: (e as BrokerError).code, chars: text.length };
  }
  return { code: undefined, chars: text.length };
}

/** A reader without bounds: undici + eventsource-parser, stopped after `maxBytes`. */
async function unbounded(url: string, dispatcher: Agent, maxBytes: number): Promise<number> {
  const res = await request(`${url}/v1/chat/completions`, { method: 'POST', body: '{}', dispatcher });
  const decoder = new TextDecoder();
  let text = '';
  const parser = createParser({
    onEvent: (e) => {
      const chunk = JSON.parse(e.data) as { choices: { delta: { content: string } }[] };
      text += chunk.choices[0]!.delta.content;
    },
  });
  let bytes = 0;
  for await (const chunk of res.body) {
    bytes += (chunk as Buffer).length;
    parser.feed(decoder.decode(chunk as Buffer, { stream: true }));
    if (bytes >= maxBytes) break;
  }
  res.body.destroy();
  return text.length;
}

async function scenario(kind: 'line' | 'stream'): Promise<Record<string, unknown>> {
  const { url, child } = await startServer(kind);
  const dispatcher = new Agent();
  try {
    const broker = await peakGrowth(() => viaBroker(url, dispatcher));
    // The baseline reads as many bytes as the broker's bound allowed, then twice and four times as many.
    const delta = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'word '.repeat(12) } }] })}\n\n`;
    const bytesPerChar = kind === 'line' ? 1 : delta.length / 60;
    const brokerBytes = kind === 'line' ? 4 * MB : broker.result.chars * bytesPerChar;
    const baselines: Record<string, Peak> = {};
    for (const factor of [1, 2, 4]) {
      baselines[`${factor}x`] = (await peakGrowth(() => unbounded(url, dispatcher, brokerBytes * factor))).peak;
    }
    return { outcome: broker.result.code, charsKept: broker.result.chars, broker: broker.peak, unboundedBaseline: baselines };
  } finally {
    await dispatcher.close();
    await stopServer(child);
  }
}

async function main(): Promise<void> {
  if (!global.gc) throw new Error('run with --expose-gc (npm run bench does)');
  const line = await scenario('line');
  const stream = await scenario('stream');
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    targetMb: TARGET_MB,
    endlessLine: line,
    endlessStream: stream,
  };
  writeJson(OUT, result);
  const b = (s: Record<string, unknown>) => s.broker as Peak;
  const u = (s: Record<string, unknown>, f: string) => (s.unboundedBaseline as Record<string, Peak>)[f]!;
  console.log(`\nMemory growth against servers that never stop (${result.node}, ${result.platform})\n`);
  console.log(markdownTable(
    ['Server', 'Broker outcome', 'Peak heap+external growth', 'Peak RSS growth', 'Unbounded reader, same bytes / 4x (heap)', 'Target'],
    [
      ['endless line', String(line.outcome), `${b(line).heapMb} MB`, `${b(line).rssMb} MB`, `${u(line, '1x').heapMb} / ${u(line, '4x').heapMb} MB`, `< ${TARGET_MB} MB`],
      ['endless valid stream', `${stream.outcome} (${(stream.charsKept as number).toLocaleString('en-US')} chars kept)`, `${b(stream).heapMb} MB`, `${b(stream).rssMb} MB`, `${u(stream, '1x').heapMb} / ${u(stream, '4x').heapMb} MB`, `< ${TARGET_MB} MB`],
    ],
  ));
  const over = [b(line), b(stream)].some((p) => p.heapMb >= TARGET_MB || p.rssMb >= TARGET_MB);
  console.log(`\nwrote ${relative(process.cwd(), OUT)}${over ? `\nABOVE TARGET: growth of ${TARGET_MB} MB or more` : ''}`);
  if (over) process.exitCode = 1;
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
