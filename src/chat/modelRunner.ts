// Pure: the one way to call a model, for every purpose. Picks the purpose's chain from the settings of the
// moment, streams through the broker's fallback chain, records every attempt in the ledger under the
// purpose's usage category, and reports when requests start and end (the status bar's spinner listens).
import {
  BrokerError, chatStreamWithFallback,
  type BrokerEvent, type BrokerLogSink, type ChatMessage, type ChatOptions, type IncludeUsageMemory, type KeyResolver,
  type ModelConfig, type ToolCall, type ToolSpec, type Usage,
} from '../broker';
import { Emitter } from '../common/event';
import { usdToNanos } from '../usage/money';
import type { ModelSettings, ParsedSettings, Purpose } from '../config/settingsTypes';
import { recordUsage, type UsageSink } from './recordUsage';

/** Every purpose a model is called for: the configured ones plus Test Connection's check. */
export type RunPurpose = Purpose | 'connection';

/** The usage category each purpose's requests are recorded under. */
export const PURPOSE_CATEGORY: Record<RunPurpose, string> = {
  chat: 'chat', summarize: 'summarize', probe: 'probe', memory_summarize: 'memory_summarize', delegate: 'delegate', connection: 'probe',
};

export interface RunOptions {
  tools?: ToolSpec[];
  toolChoice?: unknown;
  maxTokens?: number;
  /** Until response headers arrive (the model's own setting otherwise). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Model ids to try instead of the purpose's chain (a model picked in the view; one model under test). */
  models?: readonly string[];
  /** Overrides the shared include_usage memory (the connection check detects refusals with its own). */
  includeUsageMemory?: IncludeUsageMemory;
  /** The conversation the request belongs to: its ledger records carry it. */
  conversationId?: string;
}

/** A buffered answer: what `complete` resolves to. */
export interface CompleteResult {
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  /** Every attempt's usage (a fallback's too), in order. */
  usage: Usage[];
  /** The summed known cost in USD; null when any attempt's cost is unknown or no attempt reported usage. */
  cost: number | null;
  /** The known part in integer nano-dollars, and whether some of it is unknown (no usage counts as unknown). */
  costNanos: number;
  costUnknown: boolean;
  finishReason: string | null;
  modelId: string;
  model: string | null;
  fallbacks: { from: string; to: string; error: BrokerError }[];
}

/** The broker call the runner makes; tests inject a scripted one. */
export type ChainStream = (chain: ModelConfig[], messages: ChatMessage[], opts: ChatOptions) => AsyncIterable<BrokerEvent>;

export interface RunnerDeps {
  /** The settings of the moment: read per request, so an edit never disturbs a request in flight. */
  settings(): ParsedSettings;
  resolveKey: KeyResolver;
  record: UsageSink;
  log?: BrokerLogSink;
  /** Extra broker options for every request (the network environment, a dispatcher). */
  brokerOptions?(): Partial<ChatOptions>;
  stream?: ChainStream;
}

/** A prompt-size estimate for deciding to compact or split before sending. */
export interface PromptEstimate {
  promptTokens: number;
  /** The first model's `contextTokens`, when configured. */
  contextTokens: number | null;
  /** `reported`: the server's last count plus an estimate of what was added since; `chars`: characters / 4. */
  source: 'reported' | 'chars';
}

export class ModelRunner {
  private readonly _onDidChangeActivity = new Emitter<number>();
  /** Fires with the number of requests in flight whenever one starts or ends. */
  readonly onDidChangeActivity = this._onDidChangeActivity.event;
  private inFlight = 0;

  constructor(private readonly deps: RunnerDeps) {}

  get active(): number {
    return this.inFlight;
  }

  /** The models a request of this purpose tries, in order. Throws a `config` BrokerError when there are none. */
  chain(purpose: RunPurpose, opts: Pick<RunOptions, 'models'> = {}): ModelSettings[] {
    const s = this.deps.settings();
    const chainName = purpose === 'connection' ? undefined : s.purposes[purpose];
    const ids = opts.models ?? (chainName ? s.chains[chainName] ?? [] : []);
    const models = ids.map((id) => s.models[id]).filter((m): m is ModelSettings => m !== undefined);
    if (models.length === 0) {
      const where = opts.models ? `the model "${opts.models.join(', ')}" is not configured` : `the "${chainName}" chain (used for ${purpose}) has no usable model`;
      throw new BrokerError('config', `${where}: fix switchboard.models, switchboard.chains or switchboard.purposes`, { code: 'empty_chain' });
    }
    return models;
  }

  /** Streams one request through the purpose's chain; every attempt lands in the ledger once. */
  async *stream(purpose: RunPurpose, messages: ChatMessage[], opts: RunOptions = {}): AsyncGenerator<BrokerEvent> {
    const chain = this.chain(purpose, opts);
    const category = PURPOSE_CATEGORY[purpose];
    const brokerOpts: ChatOptions = {
      ...(this.deps.brokerOptions?.() ?? {}),
      resolveKey: this.deps.resolveKey,
      log: this.deps.log,
      category,
      signal: opts.signal,
      tools: opts.tools,
      toolChoice: opts.toolChoice,
      maxTokens: opts.maxTokens,
      timeoutMs: opts.timeoutMs,
    };
    if (opts.includeUsageMemory) brokerOpts.includeUsageMemory = opts.includeUsageMemory;
    const stream = this.deps.stream ?? chatStreamWithFallback;
    this.setActive(+1);
    try {
      const record = opts.conversationId ? (e: Parameters<UsageSink>[0]) => this.deps.record(e, { conversationId: opts.conversationId }) : this.deps.record;
      yield* recordUsage(stream(chain, messages, brokerOpts), record, category);
    } finally {
      this.setActive(-1);
    }
  }

  /** `stream`, buffered: resolves with the whole answer, rejects with the BrokerError (partial text on it). */
  async complete(purpose: RunPurpose, messages: ChatMessage[], opts: RunOptions = {}): Promise<CompleteResult> {
    const out: CompleteResult = { text: '', reasoning: '', toolCalls: [], usage: [], cost: null, costNanos: 0, costUnknown: true, finishReason: null, modelId: '', model: null, fallbacks: [] };
    for await (const ev of this.stream(purpose, messages, opts)) {
      switch (ev.kind) {
        case 'text': out.text += ev.text; break;
        case 'reasoning': out.reasoning += ev.text; break;
        case 'tool_call': out.toolCalls.push({ id: ev.id, name: ev.name, arguments: ev.arguments }); break;
        case 'usage': out.usage.push(ev.usage); break;
        case 'fallback': out.fallbacks.push({ from: ev.from, to: ev.to, error: ev.error }); break;
        case 'done':
          out.finishReason = ev.finishReason;
          out.modelId = ev.modelId;
          out.model = ev.model;
          break;
      }
    }
    out.cost = sumCost(out.usage);
    out.costNanos = out.usage.reduce((sum, u) => sum + (u.cost === null ? 0 : usdToNanos(u.cost) ?? 0), 0);
    out.costUnknown = out.usage.length === 0 || out.usage.some((u) => u.cost === null || usdToNanos(u.cost) === undefined);
    return out;
  }

  /**
   * Estimates a request's prompt tokens: the server's last reported count for a prefix of these messages plus
   * characters / 4 for what was added since, or characters / 4 for everything when the server gave no count.
   */
  estimate(purpose: RunPurpose, messages: readonly ChatMessage[], last?: { promptTokens: number; messageCount: number }, opts: Pick<RunOptions, 'models'> = {}): PromptEstimate {
    let contextTokens: number | null = null;
    try {
      contextTokens = this.chain(purpose, opts)[0].contextTokens ?? null;
    } catch {
      contextTokens = null;
    }
    if (last && last.messageCount <= messages.length && last.promptTokens > 0) {
      return { promptTokens: last.promptTokens + estimateChars(messages.slice(last.messageCount)), contextTokens, source: 'reported' };
    }
    return { promptTokens: estimateChars(messages), contextTokens, source: 'chars' };
  }

  private setActive(delta: number): void {
    this.inFlight += delta;
    this._onDidChangeActivity.fire(this.inFlight);
  }

  dispose(): void {
    this._onDidChangeActivity.dispose();
  }
}

/** Characters / 4, counting message text, tool calls' names and arguments, and a few tokens per message. */
export function estimateChars(messages: readonly ChatMessage[]): number {
  let chars = 0;
  for (const m of messages) {
    chars += 16; // role and framing
    if (typeof m.content === 'string') chars += m.content.length;
    else if (Array.isArray(m.content)) chars += JSON.stringify(m.content).length;
    for (const c of m.tool_calls ?? []) chars += c.function.name.length + c.function.arguments.length + 16;
  }
  return Math.ceil(chars / 4);
}

/** The sum of known costs; null when any is unknown or there is none. */
export function sumCost(usage: readonly Usage[]): number | null {
  if (usage.length === 0 || usage.some((u) => u.cost === null)) return null;
  return usage.reduce((a, u) => a + (u.cost as number), 0);
}
