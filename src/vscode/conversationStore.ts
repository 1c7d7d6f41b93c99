import type * as vscode from 'vscode';
import type { Conversation, ConversationStore } from '../chat/chatSession';
import { migrateConversation } from '../chat/conversationFormat';
import type { ConversationSummary } from '../protocol/messages';

const INDEX_KEY = 'switchboard.conversations';
const CURRENT_KEY = 'switchboard.currentConversation';
const ITEM_PREFIX = 'switchboard.conversation.';
/** Older conversations beyond this are dropped, so workspace storage stays small. */
const MAX_CONVERSATIONS = 50;

/** Conversations in workspace storage: they survive hiding the view, reloading the window and restarting. */
export class MementoConversationStore implements ConversationStore {
  constructor(
    private readonly memento: vscode.Memento,
    private readonly onError: (message: string) => void,
  ) {}

  list(): ConversationSummary[] {
    return [...this.memento.get<ConversationSummary[]>(INDEX_KEY, [])].sort((a, b) => b.updated - a.updated);
  }

  load(id: string): Conversation | undefined {
    // Conversations saved by earlier releases are migrated on read; the stored copy is rewritten on the next save.
    const raw = this.memento.get<unknown>(ITEM_PREFIX + id);
    const c = migrateConversation(raw);
    if (raw !== undefined && !c) this.onError(`the stored conversation ${id} could not be read; it is left as it is`);
    return c ? structuredClone(c) : undefined;
  }

  save(conversation: Conversation): void {
    if (conversation.messages.length === 0) return; // an empty "New chat" is not worth a list entry
    const summary: ConversationSummary = { id: conversation.id, title: conversation.title, updated: conversation.updated };
    const index = [summary, ...this.memento.get<ConversationSummary[]>(INDEX_KEY, []).filter((s) => s.id !== conversation.id)]
      .sort((a, b) => b.updated - a.updated);
    const dropped = index.splice(MAX_CONVERSATIONS);
    this.write(ITEM_PREFIX + conversation.id, structuredClone(conversation));
    for (const d of dropped) this.write(ITEM_PREFIX + d.id, undefined);
    this.write(INDEX_KEY, index);
  }

  currentId(): string | undefined {
    return this.memento.get<string>(CURRENT_KEY);
  }

  setCurrentId(id: string): void {
    this.write(CURRENT_KEY, id);
  }

  private write(key: string, value: unknown): void {
    // Memento updates the in-memory value at once and persists asynchronously; a failure only loses history.
    this.memento.update(key, value).then(undefined, (err: unknown) => this.onError(`could not save the conversation: ${String(err)}`));
  }
}
