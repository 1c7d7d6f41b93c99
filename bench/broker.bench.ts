/**
 * Broker throughput and first-delta latency on loopback.
 *
 * One SSE body of many small deltas is read four ways: (a) raw undici to the end (the ceiling), (b) undici +
 * eventsource-parser + JSON.parse of every event (the parse floor), (c) the broker's chatStream, (d) the
 * official openai SDK's streaming iteration. Each is run several times, interleaved; medians are reported.
 * Then the median extra latency from "the server wrote the first delta" to "the broker yielded it", compared
 * with raw undici receiving the same bytes.
 *
 *   node out/bench/broker.bench.js [--deltas N] [--reps N] [--out file.json]
 */
import { join, relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createParser } from 'eventsource-parser';
import OpenAI from 'openai';
import { Agent, request } from 'undici';
import { chatStream, type ModelConfig } from '../src/broker';
import { streamWith } from '../src/broker/chatStream';
import type { BenchServerData } from './benchServer';
import { markdownTable, median, timeMs, writeJson } from './benchKit';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const DELTAS = Number(arg('--deltas', process.env.BENCH_DELTAS ?? '200000'));
const REPS = Number(arg('--reps', process.env.BENCH_REPS ?? '7'));
const LATENCY_TRIALS = 31;
const OUT = arg('--out', join(__dirname, '..', '..', 'bench', 'results', 'broker.json'));

const envelope = (delta: string, finish: string | null): string =>
  `data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1736942400,"model":"bench-model","system_fingerprint":"fp_bench","choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish === null ? 'null' : `"${finish}"`}}]}\n\n`;

/** The benchmark body: `n` word-sized deltas (some with escapes and non-ASCII, as real text has). */
function makeBody(n: number): { body: Buffer; text: string } {
  const words = ['the', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '.', '\n', ' café', ' "quoted"', ' 日本', ' ok'];
  const parts: string[] = [envelope('{"role":"assistant","content":""}', null)];
  let text = '';
  for (let i = 0; i < n; i++) {
    const w = words[i % words.length]!;
    text += w;
    parts.push(envelope(`{"content":${JSON.stringify(w)}}`, null));
  }
  parts.push(envelope('{}', 'stop'));
  parts.push('data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1736942400,"model":"bench-model","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":' + n + ',"total_tokens":' + (n + 10) + '}}\n\n');
  parts.push('data: [DONE]\n\n');
  return { body: Buffer.from(parts.join('')), text };
}

async function main(): Promise<void> {
  const { body, text: expectedText } = makeBody(DELTAS);
  const clock = new SharedArrayBuffer(8);
  const writtenAt = new BigInt64Array(clock);
  const data: BenchServerData = { body, firstDelta: envelope('{"content":"first"}', null), tail: envelope('{}', 'stop') + 'data: [DONE]\n\n', clock };
  const worker = new Worker(join(__dirname, 'benchServer.js'), { workerData: data });
  const port = await new Promise<number>((resolve) => worker.once('message', (m: { port: number }) => resolve(m.port)));
  const base = `http://127.0.0.1:${port}`;
  const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
  const postBody = JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: 'go' }], stream: true });
  const model: ModelConfig = { id: 'bench', endpoint: `${base}/v1`, model: 'bench-model', includeUsage: 'never' };
  const sdk = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'bench', maxRetries: 0 });

  const ways: Record<string, () => Promise<number>> = {
    ceiling: async () => {
      const res = await request(`${base}/v1/chat/completions`, { method: 'POST', body: postBody, dispatcher, headers: { 'content-type': 'application/json' } });
      let bytes = 0;
      for await (const chunk of res.body) bytes += (chunk as Buffer).length;
      return bytes;
    },
    floor: async () => {
      const res = await request(`${base}/v1/chat/completions`, { method: 'POST', body: postBody, dispatcher, headers: { 'content-type': 'application/json' } });
      const decoder = new TextDecoder();
      let events = 0;
      const parser = createParser({
        onEvent: (e) => {
          if (e.data === '[DONE]') return;
          JSON.parse(e.data);
          events++;
        },
      });
      for await (const chunk of res.body) parser.feed(decoder.decode(chunk as Buffer, { stream: true }));
      return events;
    },
    broker: async () => {
      let text = '';
      for await (const e of chatStream(model, [{ role: 'user', content: 'go' }], { dispatcher })) if (e.kind === 'text') text += e.text;
      if (text !== expectedText) throw new Error('broker text mismatch');
      return text.length;
    },
    brokerFullParse: async () => {
      let text = '';
      for await (const e of streamWith(model, [{ role: 'user', content: 'go' }], { dispatcher }, { templates: false })) if (e.kind === 'text') text += e.text;
      if (text !== expectedText) throw new Error('broker (full parse) text mismatch');
      return text.length;
    },
    sdk: async () => {
      const stream = await sdk.chat.completions.create({ model: 'bench-model', messages: [{ role: 'user', content: 'go' }], stream: true });
      let text = '';
      for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
      if (text !== expectedText) throw new Error('SDK text mismatch');
      return text.length;
    },
  };

  const times: Record<string, number[]> = Object.fromEntries(Object.keys(ways).map((k) => [k, []]));
  for (const fn of Object.values(ways)) await fn(); // warm-up: JIT, connections
  for (let r = 0; r < REPS; r++) {
    for (const [name, fn] of Object.entries(ways)) times[name]!.push(await timeMs(fn));
  }

  // First-delta latency: server write time (shared clock) to "received" (raw) / "yielded" (broker).
  const latency = { raw: [] as number[], broker: [] as number[] };
  for (let i = 0; i < LATENCY_TRIALS; i++) {
    {
      const res = await request(`${base}/latency/chat/completions`, { method: 'POST', body: postBody, dispatcher });
      let first = true;
      for await (const _chunk of res.body) {
        if (first) {
          latency.raw.push(Number(process.hrtime.bigint() - writtenAt[0]!) / 1e6);
          first = false;
        }
      }
    }
    {
      let first = true;
      for await (const e of chatStream({ ...model, endpoint: `${base}/latency/chat/completions` }, [{ role: 'user', content: 'go' }], { dispatcher })) {
        if (first && e.kind === 'text') {
          latency.broker.push(Number(process.hrtime.bigint() - writtenAt[0]!) / 1e6);
          first = false;
        }
      }
    }
  }

  worker.postMessage('close');
  await dispatcher.close();

  const mb = body.length / 1e6;
  const med = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) as Record<string, number>;
  const row = (k: string) => ({ medianMs: round(med[k]!), mbPerS: round(mb / (med[k]! / 1000)), usPerDelta: round((med[k]! * 1000) / DELTAS, 3), runsMs: times[k]!.map((t) => round(t)) });
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    deltas: DELTAS,
    bodyBytes: body.length,
    repetitions: REPS,
    ways: { ceiling: row('ceiling'), floor: row('floor'), broker: row('broker'), brokerFullParse: row('brokerFullParse'), sdk: row('sdk') },
    ratios: {
      brokerVsFloor: round(med.floor! / med.broker!, 3),
      brokerVsCeiling: round(med.ceiling! / med.broker!, 3),
      brokerVsSdk: round(med.sdk! / med.broker!, 3),
      brokerFullParseVsFloor: round(med.floor! / med.brokerFullParse!, 3),
    },
    firstDelta: {
      trials: LATENCY_TRIALS,
      rawMedianMs: round(median(latency.raw), 3),
      brokerMedianMs: round(median(latency.broker), 3),
      extraMedianMs: round(median(latency.broker) - median(latency.raw), 3),
    },
  };
  writeJson(OUT, result);

  const label: Record<string, string> = {
    ceiling: '(a) ceiling: raw undici',
    floor: '(b) floor: undici + eventsource-parser + JSON.parse',
    broker: '(c) broker chatStream',
    brokerFullParse: '(c′) broker, envelope fast path off',
    sdk: '(d) openai SDK stream',
  };
  console.log(`\nBroker benchmark: ${DELTAS.toLocaleString('en-US')} deltas, ${mb.toFixed(1)} MB, median of ${REPS} runs (${result.node}, ${result.platform})\n`);
  console.log(
    markdownTable(
      ['Reader', 'MB/s', 'µs per delta', 'median ms'],
      Object.entries(result.ways).map(([k, v]) => [label[k]!, v.mbPerS.toFixed(1), v.usPerDelta.toFixed(3), v.medianMs.toFixed(0)]),
    ),
  );
  console.log('');
  console.log(
    markdownTable(
      ['Ratio (throughput)', 'Value', 'Target'],
      [
        ['broker / floor', `${result.ratios.brokerVsFloor.toFixed(2)}x`, '≥ 0.7x'],
        ['broker / ceiling', `${result.ratios.brokerVsCeiling.toFixed(2)}x`, '—'],
        ['broker / openai SDK', `${result.ratios.brokerVsSdk.toFixed(2)}x`, '≥ 3x'],
        ['broker (fast path off) / floor', `${result.ratios.brokerFullParseVsFloor.toFixed(2)}x`, '—'],
        ['first-delta extra latency (median)', `${result.firstDelta.extraMedianMs.toFixed(3)} ms`, '< 1 ms'],
      ],
    ),
  );
  console.log(`\nwrote ${relative(process.cwd(), OUT)}`);
}

function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
