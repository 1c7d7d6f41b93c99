// Pure: the conversation. Runs each answer through the turn loop (turnLoop.ts) with an injected stream
// function (the model runner on the chosen chain) and tool hook, and tells the view what changed.
// No vscode here: the view provider translates updates into protocol messages and persists through a store.
import { oneLine, type BrokerEvent, type ChatMessage, type ToolSpec } from '../broker';
import { Emitter } from '../common/event';
import type { ConversationSummary } from '../protocol/messages';
import { emptyInfo, type AssistantMessage, type CompactionMessage, type TranscriptMessage } from '../protocol/transcript';
import { chooseCovered, summaryRequest } from './compaction';
import { CONVERSATION_VERSION, repairInterrupted, type Conversation } from './conversationFormat';
import { toChatMessages } from './history';
import { REJECT_ALL_TOOLS, type ToolHook } from './toolHook';
import { runTurn } from './turnLoop';

export type { Conversation } from './conversationFormat';
export { toChatMessages } from './history';

/** Where conversations live between sessions (workspace storage in the extension). */
export interface ConversationStore {
  list(): ConversationSummary[];
  load(id: string): Conversation | undefined;
  save(conversation: Conversation): void;
  currentId(): string | undefined;
  setCurrentId(id: string): void;
}

export type SessionUpdate =
  | { type: 'upsert'; message: TranscriptMessage }
  | { type: 'delta'; messageId: string; index: number; step: number; text: string; reasoning: string }
  | { type: 'reset' }
  | { type: 'conversations' };

/** What compaction needs: when to run, how big a request is, and the summary call (purpose memory_summarize). */
export interface CompactionDeps {
  /** `switchboard.compaction.threshold`: the share of the context window that triggers compaction. */
  threshold(): number;
  /** A chat request's estimated prompt tokens and the answering model's context window (null: unknown). */
  estimate(messages: ChatMessage[], last?: { promptTokens: number; messageCount: number }): { promptTokens: number; contextTokens: number | null };
  summarize(request: ChatMessage[], signal: AbortSignal, conversationId: string): Promise<{ text: string; modelId: string | null; costNanos: number; costUnknown: boolean }>;
}

/** An exchange a command adds to the conversation (a summary): the user's side, and how its answer streams. */
export interface Exchange {
  /** Shown for the user's side of the exchange, and the conversation's title when it is the first. */
  title: string;
  /** The user message as the conversation keeps it: what follow-up questions build on. */
  text: string;
  /**
   * Streams the answer (the caller's own requests); `progress` shows how far it is while it streams, and
   * `conversationId` is the conversation the requests' usage belongs to.
   */
  stream(ctx: { signal: AbortSignal; progress(text: string): void; conversationId: string }): AsyncIterable<BrokerEvent>;
}

export interface SessionDeps {
  /** Streams one model request of a turn (the chain is chosen by the caller). */
  stream(messages: ChatMessage[], opts: { signal: AbortSignal; tools: ToolSpec[]; conversationId?: string }): AsyncIterable<BrokerEvent>;
  store: ConversationStore;
  /** Decides on and runs tool calls; default: every call is refused ("tools are not enabled yet"). */
  tools?: ToolHook;
  /** The most model requests one answer may make (`switchboard.tools.maxSteps`); read per turn. */
  maxSteps?: () => number;
  now?: () => number;
  newId?: () => string;
  /** How long deltas are gathered before they are sent on (tens of ms: smooth, and cheap for the webview). */
  coalesceMs?: number;
  /** A system prompt prepended to every request. */
  systemPrompt?: string;
  compaction?: CompactionDeps;
}

let counter = 0;
const defaultId = () => `${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

const TITLE_LENGTH = 60;

/** The conversation loop: one turn at a time; Stop aborts at once and keeps the partial answer. */
export class ChatSession {
  private readonly _onDidUpdate = new Emitter<SessionUpdate>();
  readonly onDidUpdate = this._onDidUpdate.event;
  private conversation: Conversation;
  /** The server's last prompt-token count and how many messages that request had (for estimates). */
  private lastPrompt: { promptTokens: number; messageCount: number } | undefined;
  private running: { abort: AbortController; done: Promise<void> } | undefined;
  private readonly now: () => number;
  private readonly newId: () => string;
  /** The exchanges started by commands in this session, by their user message: Retry runs them again. */
  private readonly exchanges = new Map<string, Exchange['stream']>();

  constructor(private readonly deps: SessionDeps) {
    this.now = deps.now ?? Date.now;
    this.newId = deps.newId ?? defaultId;
    const current = deps.store.currentId();
    const loaded = current ? deps.store.load(current) : undefined;
    this.conversation = loaded ? repairInterrupted(loaded) : this.fresh();
  }

  get conversationId(): string {
    return this.conversation.id;
  }

  get messages(): readonly TranscriptMessage[] {
    return this.conversation.messages;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  conversations(): ConversationSummary[] {
    return this.deps.store.list();
  }

  /** Sends a user message and streams the answer. Resolves when the turn ended (whatever its outcome). */
  send(text: string): Promise<void> {
    if (this.running) return Promise.reject(new Error('an answer is still streaming; stop it first'));
    const trimmed = text.trim();
    if (!trimmed) return Promise.resolve();
    const user: TranscriptMessage = { id: this.newId(), role: 'user', text: trimmed };
    this.conversation.messages.push(user);
    if (this.conversation.messages.length === 1) this.conversation.title = title(trimmed);
    this._onDidUpdate.fire({ type: 'upsert', message: user });
    return this.startTurn().then(() => undefined);
  }

  /**
   * Adds an exchange a command started (a summary): a titled user message, then an answer streamed by the
   * exchange's own function through the turn loop, so it shows, stops, fails and costs like any answer.
   * Resolves with the finished answer.
   */
  async runExchange(exchange: Exchange): Promise<AssistantMessage> {
    if (this.running) throw new Error('an answer is still streaming; stop it first');
    const user: TranscriptMessage = { id: this.newId(), role: 'user', text: exchange.text, title: exchange.title };
    this.conversation.messages.push(user);
    if (this.conversation.messages.length === 1) this.conversation.title = title(exchange.title);
    this.exchanges.set(user.id, exchange.stream);
    this._onDidUpdate.fire({ type: 'upsert', message: user });
    return structuredClone(await this.startTurn(exchange.stream));
  }

  /** Re-runs the last turn: drops the last answer and asks again (an exchange started by a command runs again). */
  retry(): Promise<void> {
    if (this.running) return Promise.reject(new Error('an answer is still streaming; stop it first'));
    const msgs = this.conversation.messages;
    while (msgs.length && msgs[msgs.length - 1].role !== 'user') msgs.pop();
    if (!msgs.length) return Promise.resolve();
    this._onDidUpdate.fire({ type: 'reset' });
    return this.startTurn(this.exchanges.get(msgs[msgs.length - 1].id)).then(() => undefined);
  }

  /** Aborts the answer at once (every step, pending decision and running tool); the partial answer stays, marked as stopped. */
  async stop(reason?: string): Promise<void> {
    const r = this.running;
    if (!r) return;
    r.abort.abort(reason);
    await r.done;
  }

  /** The window is closing: a pending tool call is saved as "not run", never run later. */
  close(): Promise<void> {
    return this.stop('the window closed before a decision');
  }

  /** Starts a new, empty conversation (the previous one stays in the list). */
  async newChat(): Promise<void> {
    await this.stop();
    this.conversation = this.fresh();
    this.lastPrompt = undefined;
    this._onDidUpdate.fire({ type: 'reset' });
    this._onDidUpdate.fire({ type: 'conversations' });
  }

  /** Reopens a stored conversation. Returns false when it does not exist. */
  async open(id: string): Promise<boolean> {
    const c = this.deps.store.load(id);
    if (!c) return false;
    await this.stop();
    this.conversation = repairInterrupted(c);
    this.lastPrompt = undefined;
    this.deps.store.setCurrentId(c.id);
    this._onDidUpdate.fire({ type: 'reset' });
    return true;
  }

  /** The request history of the conversation as it stands (compactions in force applied). */
  private history(): ChatMessage[] {
    return toChatMessages(this.conversation.messages, this.deps.systemPrompt);
  }

  private fresh(): Conversation {
    const t = this.now();
    const c: Conversation = { version: CONVERSATION_VERSION, id: this.newId(), title: 'New chat', created: t, updated: t, messages: [] };
    this.deps.store.setCurrentId(c.id);
    return c;
  }

  private persist(): void {
    this.conversation.updated = this.now();
    this.deps.store.save(this.conversation);
    this._onDidUpdate.fire({ type: 'conversations' });
  }

  /** Compacts older turns now (the "Compact Conversation" command). Resolves with false when there is nothing to compact. */
  async compact(): Promise<boolean> {
    if (this.running) throw new Error('an answer is still streaming; stop it first');
    if (!this.deps.compaction || !chooseCovered(this.conversation.messages)) return false;
    const abort = new AbortController();
    let finished!: () => void;
    this.running = { abort, done: new Promise<void>((resolve) => (finished = resolve)) };
    let card: CompactionMessage | undefined;
    try {
      card = await this.runCompaction('manual', abort.signal);
      return card?.state === 'done';
    } finally {
      this.running = undefined;
      // Tells the view the session is idle again (the card's last update was sent while it was busy).
      if (card) this._onDidUpdate.fire({ type: 'upsert', message: structuredClone(card) });
      finished();
    }
  }

  /** Undo: the messages a compaction covers are sent in full again (the card stays, marked undone). */
  undoCompaction(id: string): boolean {
    const c = this.conversation.messages.find((m) => m.id === id);
    if (!c || c.role !== 'compaction' || c.state !== 'done') return false;
    c.state = 'undone';
    this.lastPrompt = undefined;
    this.persist();
    this._onDidUpdate.fire({ type: 'upsert', message: structuredClone(c) });
    return true;
  }

  private async runCompaction(reason: CompactionMessage['reason'], signal: AbortSignal): Promise<CompactionMessage | undefined> {
    const deps = this.deps.compaction;
    const covers = deps && chooseCovered(this.conversation.messages);
    if (!deps || !covers) return undefined;
    // Before and after are estimated alike (characters / 4), so the card compares like with like.
    const before = deps.estimate(this.history()).promptTokens;
    const card: CompactionMessage = {
      id: this.newId(), role: 'compaction', state: 'running', covers, reason, summary: '', tokensBefore: before, tokensAfter: null,
      modelId: null, costNanos: 0, costUnknown: false,
    };
    this.conversation.messages.push(card);
    this._onDidUpdate.fire({ type: 'upsert', message: structuredClone(card) });
    try {
      const r = await deps.summarize(summaryRequest(this.conversation.messages, covers), signal, this.conversation.id);
      if (!r.text.trim()) throw new Error('the model returned an empty summary');
      Object.assign(card, { summary: r.text.trim(), modelId: r.modelId, costNanos: r.costNanos, costUnknown: r.costUnknown });
      card.state = 'done';
      const after = deps.estimate(this.history()).promptTokens;
      if (after >= before) {
        // A summary no shorter than what it replaces would only lose detail: keep the full history.
        card.state = 'failed';
        card.error = `the summary (about ${after} tokens with the rest) was not shorter than the history it would replace (${before}); nothing changed`;
      } else {
        card.tokensAfter = after;
        this.lastPrompt = undefined;
      }
    } catch (err) {
      const e = err as { message?: string; usage?: { cost: number | null }; modelId?: string };
      card.state = 'failed';
      card.error = signal.aborted ? 'cancelled' : oneLine(e.message ?? String(err));
      if (e.modelId) card.modelId = e.modelId;
    }
    this.persist();
    this._onDidUpdate.fire({ type: 'upsert', message: structuredClone(card) });
    return card;
  }

  /** Runs an answer: the chat's stream and tools, or an exchange's own stream (see `turn`). */
  private startTurn(exchange?: Exchange['stream']): Promise<AssistantMessage> {
    const abort = new AbortController();
    let finished!: () => void;
    // Busy from the first update on, so the view shows Stop for the whole turn (compaction included).
    this.running = { abort, done: new Promise<void>((resolve) => (finished = resolve)) };
    const answer = this.turn(abort.signal, exchange);
    void answer.finally(() => {
      this.running = undefined;
      finished();
    });
    return this.running.done.then(() => answer);
  }

  /**
   * One answer. An exchange's answer streams from the exchange's own requests, in one step whose requests offer
   * no tools (a call is refused); it neither triggers compaction nor counts as the chat's last prompt size.
   */
  private async turn(signal: AbortSignal, exchange?: Exchange['stream']): Promise<AssistantMessage> {
    // Before a request that would pass the threshold of the model's context, older turns are compacted.
    const c = this.deps.compaction;
    let tooLong: string | undefined;
    if (c && !exchange) {
      const est = c.estimate(this.history(), this.lastPrompt);
      if (est.contextTokens && est.promptTokens > c.threshold() * est.contextTokens) {
        const card = await this.runCompaction('threshold', signal);
        const after = c.estimate(this.history(), this.lastPrompt).promptTokens;
        if (after > est.contextTokens && !signal.aborted) {
          tooLong = `the conversation (about ${after} tokens) is longer than the model's context window (${est.contextTokens} tokens)`
            + (card?.state === 'failed' ? `, and compacting it failed: ${card.error}` : card ? '' : ', and there are no older turns to compact')
            + '. Start a new chat, or undo a compaction you do not need.';
        }
      }
    }
    const answer: AssistantMessage = { id: this.newId(), role: 'assistant', parts: [], state: 'streaming', deltas: 0, info: emptyInfo() };
    const progress = (text: string) => {
      answer.progress = text;
      this._onDidUpdate.fire({ type: 'upsert', message: structuredClone(answer) });
    };
    const history = this.history();
    this.conversation.messages.push(answer);
    this.persist();
    this._onDidUpdate.fire({ type: 'upsert', message: structuredClone(answer) });
    if (tooLong) {
      Object.assign(answer, { state: 'error', error: { kind: 'context', message: tooLong, actions: ['showLog'] } });
      answer.info.costUnknown = false;
    } else {
      // Saved again whenever a tool call changes state (not for live output), so a card pending when the window
      // reloads comes back as "not run", and a decision is never lost.
      let toolStates = '';
      const conversationId = this.conversation.id;
      await runTurn(answer, history, signal, {
        stream: exchange
          ? (_history, { signal: s }) => exchange({ signal: s, progress, conversationId })
          : (messages, opts) => this.deps.stream(messages, { ...opts, conversationId }),
        conversationId,
        tools: exchange ? REJECT_ALL_TOOLS : this.deps.tools ?? REJECT_ALL_TOOLS,
        maxSteps: exchange ? 1 : this.deps.maxSteps?.() ?? 10,
        now: this.now,
        coalesceMs: this.deps.coalesceMs ?? 24,
        onPromptTokens: (promptTokens, messageCount) => {
          if (!exchange) this.lastPrompt = { promptTokens, messageCount };
        },
        emit: (u) => {
          if (u.type === 'upsert') {
            const states = u.message.parts.map((p) => (p.kind === 'toolCall' ? `${p.id}:${p.state}` : '')).join();
            if (states !== toolStates) {
              toolStates = states;
              this.persist();
            }
          }
          this._onDidUpdate.fire(u);
        },
      });
    }
    delete answer.progress;
    this.running = undefined;
    this.persist();
    this._onDidUpdate.fire({ type: 'upsert', message: structuredClone(answer) });
    return answer;
  }
}

function title(text: string): string {
  const line = text.split('\n').find((l) => l.trim()) ?? text;
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line;
}
