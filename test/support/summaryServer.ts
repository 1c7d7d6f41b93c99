/**
 * A model server on 127.0.0.1 for summary tests and the benchmark: it answers every request after a fixed
 * delay, says which lines it summarized ("summary of lines 41-80") or that it combined parts, reports usage
 * with a cost, and records what it was asked: the kind of request, the model, the prompt, and how many
 * requests were in flight when each arrived.
 */
import { SseServer, type RecordedRequest, type ScriptedResponse } from './sseServer';

export interface SummaryRequest {
  kind: 'part' | 'whole' | 'combine';
  model: string;
  system: string;
  user: string;
  /** Requests in flight when this one arrived, itself included. */
  inFlight: number;
  record: RecordedRequest;
}

export interface SummaryServerOptions {
  /** Milliseconds before the answer's headers (the model's "thinking" time). */
  delayMs?: number;
  /** The cost each answer reports, in USD. */
  cost?: number;
  /** Pieces the combined answer streams in, with this pause between them (a long answer to stop mid-way). */
  combinePieces?: number;
  pieceDelayMs?: number;
  /** Pads each part's (and each group's) summary to this many characters (summaries too long to combine at once). */
  summaryChars?: number;
  /** Answer this instead (an error, a stall) for requests it matches. */
  override?: (req: SummaryRequest) => ScriptedResponse | undefined;
}

export class SummaryServer {
  readonly asked: SummaryRequest[] = [];

  private constructor(readonly server: SseServer, public options: SummaryServerOptions) {
    server.setDefault((record) => this.answer(record));
  }

  static async start(options: SummaryServerOptions = {}): Promise<SummaryServer> {
    return new SummaryServer(await SseServer.start(), options);
  }

  get url(): string {
    return this.server.url;
  }

  get maxInFlight(): number {
    return Math.max(0, ...this.asked.map((a) => a.inFlight));
  }

  reset(): void {
    this.asked.length = 0;
    this.server.reset();
    this.server.setDefault((record) => this.answer(record));
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private answer(record: RecordedRequest): ScriptedResponse {
    const body = record.json<{ model: string; messages: { role: string; content: string }[] }>();
    const system = body.messages.find((m) => m.role === 'system')?.content ?? '';
    const user = body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
    const inFlight = this.server.requests.filter((r) => r === record || (!r.completed && r.disconnectedAt === undefined)).length;
    const kind = /^File: .*summarized in \d+ parts/.test(user) ? 'combine' : /: part \d+ of \d+/.test(user) ? 'part' : 'whole';
    const asked: SummaryRequest = { kind, model: body.model, system, user, inFlight, record };
    this.asked.push(asked);
    const custom = this.options.override?.(asked);
    if (custom) return custom;
    const lines = /lines (\d+(?:-\d+)?)/.exec(user)?.[1] ?? '?';
    let text = kind === 'combine' ? `Combined summary of lines ${lines}: ${'the whole selection, described. '.repeat(this.options.combinePieces ?? 1)}` : `summary of lines ${lines}`;
    if (kind === 'part' && this.options.summaryChars) text = text.padEnd(this.options.summaryChars, '.');
    const pieces = kind === 'combine' ? splitInto(text, this.options.combinePieces ?? 1) : [text];
    const event = (o: object) => `data: ${JSON.stringify(o)}\n\n`;
    const steps = pieces.flatMap((p, i) => [
      ...(i > 0 && this.options.pieceDelayMs ? [{ pause: this.options.pieceDelayMs }] : []),
      { write: event({ choices: [{ index: 0, delta: { content: p } }] }) },
    ]);
    steps.push({
      write: event({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })
        + event({ choices: [], usage: { prompt_tokens: Math.ceil(user.length / 4), completion_tokens: Math.ceil(text.length / 4), total_tokens: 0, ...(this.options.cost === undefined ? {} : { cost: this.options.cost }) } })
        + 'data: [DONE]\n\n',
    });
    return { status: 200, headers: { 'content-type': 'text/event-stream' }, headerDelayMs: this.options.delayMs ?? 0, body: steps };
  }
}

function splitInto(text: string, n: number): string[] {
  const size = Math.ceil(text.length / n);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
