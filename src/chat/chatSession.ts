// Pure: the conversation. Runs each answer through the turn loop (turnLoop.ts) with an injected stream
// function (the model runner on the chosen chain) and tool hook, and tells the view what changed.
// No vscode here: the view provider translates updates into protocol messages and persists through a store.
import type { BrokerEvent, ChatMessage, ToolSpec } from '../broker';
import { Emitter } from '../common/event';
import type { ConversationSummary } from '../protocol/messages';
import { emptyInfo, type AssistantMessage, type TranscriptMessage } from '../protocol/transcript';
import { CONVERSATION_VERSION, type Conversation } from './conversationFormat';
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

export interface SessionDeps {
  /** Streams one model request of a turn (the chain is chosen by the caller). */
  stream(messages: ChatMessage[], opts: { signal: AbortSignal; tools: ToolSpec[] }): AsyncIterable<BrokerEvent>;
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
    const user: TranscriptMessage = { id: this.newId(), role: 'user', text: trimmed };
    this.conversation.messages.push(user);
    if (this.conversation.messages.length === 1) this.conversation.title = title(trimmed);
    this._onDidUpdate.fire({ type: 'upsert', message: user });
    return this.startTurn();
  }

  /** Re-runs the last turn: drops the last answer and asks again. */
  retry(): Promise<void> {
    if (this.running) return Promise.reject(new Error('an answer is still streaming; stop it first'));
    const msgs = this.conversation.messages;
    while (msgs.length && msgs[msgs.length - 1].role === 'assistant') msgs.pop();
    if (!msgs.length) return Promise.resolve();
    this._onDidUpdate.fire({ type: 'reset' });
    return this.startTurn();
  }

  /** Aborts the answer at once (every step, pending decision and running tool); the partial answer stays, marked as stopped. */
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
    const c: Conversation = { version: CONVERSATION_VERSION, id: this.newId(), title: 'New chat', created: t, updated: t, messages: [] };
    this.deps.store.setCurrentId(c.id);
    return c;
  }

  private persist(): void {
    this.conversation.updated = this.now();
    this.deps.store.save(this.conversation);
    this._onDidUpdate.fire({ type: 'conversations' });
  }

  private startTurn(): Promise<void> {
    const abort = new AbortController();
    const answer: AssistantMessage = { id: this.newId(), role: 'assistant', parts: [], state: 'streaming', deltas: 0, info: emptyInfo() };
    const history = toChatMessages(this.conversation.messages, this.deps.systemPrompt);
    this.conversation.messages.push(answer);
    let finished!: () => void;
    // Busy from the first update on, so the view shows Stop for the whole turn.
    this.running = { abort, done: new Promise<void>((resolve) => (finished = resolve)) };
    this.persist();
    this._onDidUpdate.fire({ type: 'upsert', message: structuredClone(answer) });
    // Saved again whenever a tool call changes state (not for live output), so a card pending when the window
    // reloads comes back as "not run", and a decision is never lost.
    let toolStates = '';
    void runTurn(answer, history, abort.signal, {
      stream: this.deps.stream,
      tools: this.deps.tools ?? REJECT_ALL_TOOLS,
      maxSteps: this.deps.maxSteps?.() ?? 10,
      now: this.now,
      coalesceMs: this.deps.coalesceMs ?? 24,
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
    }).finally(() => {
      this.running = undefined;
      this.persist();
      this._onDidUpdate.fire({ type: 'upsert', message: structuredClone(answer) });
      finished();
    });
    return this.running.done;
  }
}

/** Answers left streaming by a crash or a closed window are shown as stopped, not as forever busy. */
function repairInterrupted(c: Conversation): Conversation {
  for (const m of c.messages) {
    if (m.role !== 'assistant' || m.state !== 'streaming') continue;
    m.state = 'stopped';
    for (const p of m.parts) {
      if (p.kind === 'toolCall' && !p.result) {
        p.state = 'rejected';
        p.outcome = 'not run: the window closed before a decision';
      }
    }
  }
  return c;
}

function title(text: string): string {
  const line = text.split('\n').find((l) => l.trim()) ?? text;
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line;
}
