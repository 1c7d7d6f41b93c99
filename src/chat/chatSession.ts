// Pure: the conversation and its turn loop. Runs a turn through an injected stream function (the broker's
// fallback chain, wrapped by the usage recorder), coalesces deltas, and tells the view what changed.
// No vscode here: the view provider translates updates into protocol messages and persists through a store.
import { Emitter } from '../common/event';
import type { BrokerEvent, ChatMessage } from '../broker';
import { usdToNanos } from '../usage/money';
import type { AnswerInfo, ConversationSummary, ErrorAction, TranscriptMessage } from '../protocol/messages';

/** A stored conversation. */
export interface Conversation {
  id: string;
  title: string;
  created: number;
  updated: number;
  messages: TranscriptMessage[];
}

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
  | { type: 'delta'; messageId: string; index: number; text: string; reasoning: string }
  | { type: 'reset' }
  | { type: 'conversations' };

export interface SessionDeps {
  /** Streams one turn (the chain is chosen by the caller). */
  stream(messages: ChatMessage[], signal: AbortSignal): AsyncIterable<BrokerEvent>;
  store: ConversationStore;
  now?: () => number;
  newId?: () => string;
  /** How long deltas are gathered before they are sent on (tens of ms: smooth, and cheap for the webview). */
  coalesceMs?: number;
  /** A system prompt prepended to every request. */
  systemPrompt?: string;
}

let counter = 0;
const defaultId = () => `${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

const TITLE_LENGTH = 60;

/** The conversation loop: one turn at a time; Stop aborts at once and keeps the partial answer. */
export class ChatSession {
  private readonly _onDidUpdate = new Emitter<SessionUpdate>();
  readonly onDidUpdate = this._onDidUpdate.event;
  private conversation: Conversation;
  private running: { abort: AbortController; done: Promise<void> } | undefined;
  private readonly now: () => number;
  private readonly newId: () => string;

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
    const user: TranscriptMessage = { id: this.newId(), role: 'user', text: trimmed, reasoning: '', state: 'done', deltas: 0 };
    this.conversation.messages.push(user);
    if (this.conversation.messages.length === 1) this.conversation.title = title(trimmed);
    this._onDidUpdate.fire({ type: 'upsert', message: user });
    return this.runTurn();
  }

  /** Re-runs the last turn: drops the last answer and asks again. */
  retry(): Promise<void> {
    if (this.running) return Promise.reject(new Error('an answer is still streaming; stop it first'));
    const msgs = this.conversation.messages;
    while (msgs.length && msgs[msgs.length - 1].role === 'assistant') {
      msgs.pop();
    }
    if (!msgs.length) return Promise.resolve();
    this._onDidUpdate.fire({ type: 'reset' });
    return this.runTurn();
  }

  /** Aborts the streaming answer at once; the partial answer stays, marked as stopped. */
  async stop(): Promise<void> {
    const r = this.running;
    if (!r) return;
    r.abort.abort();
    await r.done;
  }

  /** Starts a new, empty conversation (the previous one stays in the list). */
  async newChat(): Promise<void> {
    await this.stop();
    this.conversation = this.fresh();
    this._onDidUpdate.fire({ type: 'reset' });
    this._onDidUpdate.fire({ type: 'conversations' });
  }

  /** Reopens a stored conversation. Returns false when it does not exist. */
  async open(id: string): Promise<boolean> {
    const c = this.deps.store.load(id);
    if (!c) return false;
    await this.stop();
    this.conversation = repairInterrupted(c);
    this.deps.store.setCurrentId(c.id);
    this._onDidUpdate.fire({ type: 'reset' });
    return true;
  }

  private fresh(): Conversation {
    const t = this.now();
    const c: Conversation = { id: this.newId(), title: 'New chat', created: t, updated: t, messages: [] };
    this.deps.store.setCurrentId(c.id);
    return c;
  }

  private persist(): void {
    this.conversation.updated = this.now();
    this.deps.store.save(this.conversation);
    this._onDidUpdate.fire({ type: 'conversations' });
  }

  private runTurn(): Promise<void> {
    const abort = new AbortController();
    const answer: TranscriptMessage = {
      id: this.newId(), role: 'assistant', text: '', reasoning: '', state: 'streaming', deltas: 0,
      info: { modelId: null, model: null, fallbacks: [], usage: null, costNanos: 0, costUnknown: false, ttftMs: null },
    };
    const history = toChatMessages(this.conversation.messages, this.deps.systemPrompt);
    this.conversation.messages.push(answer);
    let finished!: () => void;
    // Busy from the first update on, so the view shows Stop for the whole turn.
    this.running = { abort, done: new Promise<void>((resolve) => (finished = resolve)) };
    this.persist();
    this._onDidUpdate.fire({ type: 'upsert', message: { ...answer } });
    void this.stream(answer, history, abort.signal).finally(() => {
      this.running = undefined;
      this.persist();
      this._onDidUpdate.fire({ type: 'upsert', message: { ...answer } });
      finished();
    });
    return this.running.done;
  }

  private async stream(answer: TranscriptMessage, history: ChatMessage[], signal: AbortSignal): Promise<void> {
    const info = answer.info as AnswerInfo;
    const started = this.now();
    let pendingText = '';
    let pendingReasoning = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (!pendingText && !pendingReasoning) return;
      answer.text += pendingText;
      answer.reasoning += pendingReasoning;
      const index = answer.deltas++;
      this._onDidUpdate.fire({ type: 'delta', messageId: answer.id, index, text: pendingText, reasoning: pendingReasoning });
      pendingText = '';
      pendingReasoning = '';
    };
    const coalesceMs = this.deps.coalesceMs ?? 24;
    const later = () => {
      if (timer === undefined) timer = setTimeout(flush, coalesceMs);
    };
    try {
      for await (const ev of this.deps.stream(history, signal)) {
        switch (ev.kind) {
          case 'text':
          case 'reasoning':
            if (info.ttftMs === null) info.ttftMs = this.now() - started;
            if (ev.kind === 'text') pendingText += ev.text;
            else pendingReasoning += ev.text;
            later();
            break;
          case 'usage':
            addUsage(info, ev.usage);
            break;
          case 'fallback':
            info.fallbacks.push({ from: ev.from, to: ev.to, reason: oneLine(ev.error.message) });
            // Show the fallback while it happens, not only at the end.
            this._onDidUpdate.fire({ type: 'upsert', message: { ...answer, info: { ...info, fallbacks: [...info.fallbacks] } } });
            break;
          case 'done':
            info.modelId = ev.modelId;
            info.model = ev.model;
            break;
          case 'tool_call':
            // Tool calls are confirmed and run by a later layer; until then the call is shown as text.
            pendingText += `\n\n\`tool call: ${ev.name}(${ev.arguments.slice(0, 200)})\`\n`;
            later();
            break;
        }
      }
      flush();
      answer.state = 'done';
      if (!info.usage) info.costUnknown = true;
    } catch (err) {
      flush();
      const e = err as { kind?: string; message?: string; retryable?: boolean; usage?: { promptTokens: number; completionTokens: number; cost: number | null }; modelId?: string };
      if (e.usage) {
        addUsage(info, e.usage);
      } else if (!info.usage) {
        info.costUnknown = true;
      }
      if (e.modelId && !info.modelId) info.modelId = e.modelId;
      if (e.kind === 'aborted' || signal.aborted) {
        answer.state = 'stopped';
      } else {
        answer.state = 'error';
        const kind = e.kind ?? 'internal';
        const actions: ErrorAction[] = [];
        if (kind === 'config') actions.push('openSettings');
        if (e.retryable || kind === 'transport' || kind === 'timeout') actions.push('retry');
        actions.push('showLog');
        answer.error = { kind, message: oneLine(e.message ?? String(err)), actions };
      }
    }
  }
}

/**
 * Adds one attempt's usage to the turn. Money is summed in integer nano-dollars; an unknown (or unusable) cost
 * makes the turn's cost partly unknown.
 */
function addUsage(info: AnswerInfo, u: { promptTokens: number; completionTokens: number; cost: number | null }): void {
  info.usage = {
    promptTokens: (info.usage?.promptTokens ?? 0) + u.promptTokens,
    completionTokens: (info.usage?.completionTokens ?? 0) + u.completionTokens,
  };
  const nanos = u.cost === null ? undefined : usdToNanos(u.cost);
  if (nanos === undefined) info.costUnknown = true;
  else info.costNanos += nanos;
}

/** Messages left streaming by a crash or a closed window are shown as stopped, not as forever busy. */
function repairInterrupted(c: Conversation): Conversation {
  for (const m of c.messages) if (m.state === 'streaming') m.state = 'stopped';
  return c;
}

/** The request history: user messages and the text of finished or stopped answers (failed ones are left out). */
export function toChatMessages(messages: readonly TranscriptMessage[], systemPrompt?: string): ChatMessage[] {
  const out: ChatMessage[] = systemPrompt ? [{ role: 'system', content: systemPrompt }] : [];
  for (const m of messages) {
    if (m.role === 'user') out.push({ role: 'user', content: m.text });
    else if ((m.state === 'done' || m.state === 'stopped') && m.text) out.push({ role: 'assistant', content: m.text });
  }
  return out;
}

function title(text: string): string {
  const line = text.split('\n').find((l) => l.trim()) ?? text;
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line;
}

function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}
