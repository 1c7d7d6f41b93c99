import type * as vscode from 'vscode';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Conversation, ConversationStore } from '../chat/chatSession';
import { migrateConversation } from '../chat/conversationFormat';
import type { ConversationSummary } from '../protocol/messages';

const INDEX_KEY = 'switchboard.conversations';
const CURRENT_KEY = 'switchboard.currentConversation';
const ITEM_PREFIX = 'switchboard.conversation.';
/** Older conversations beyond this are dropped, so the storage stays small. */
const MAX_CONVERSATIONS = 50;
const SAFE_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Conversations as JSON files in the workspace's storage folder, one per conversation plus an index, each
 * written (to a temporary file, then renamed) before `save` returns: a card that went pending just before a
 * window reload is on disk when the window comes back. Conversations that earlier releases kept in workspace
 * state are still listed and opened (and move to files on their next save).
 */
export class FileConversationStore implements ConversationStore {
  private index: ConversationSummary[];

  constructor(
    private readonly dir: string,
    private readonly memento: vscode.Memento,
    private readonly onError: (message: string) => void,
  ) {
    mkdirSync(dir, { recursive: true });
    const fromFile = this.read<ConversationSummary[]>('index.json');
    const legacy = memento.get<ConversationSummary[]>(INDEX_KEY, []);
    const byId = new Map<string, ConversationSummary>();
    for (const s of [...legacy, ...(Array.isArray(fromFile) ? fromFile : [])]) if (s && typeof s.id === 'string') byId.set(s.id, s);
    this.index = [...byId.values()].sort((a, b) => b.updated - a.updated);
  }

  list(): ConversationSummary[] {
    return [...this.index];
  }

  load(id: string): Conversation | undefined {
    const raw = SAFE_ID.test(id) ? this.read<unknown>(`${id}.json`) ?? this.memento.get<unknown>(ITEM_PREFIX + id) : undefined;
    const c = migrateConversation(raw);
    if (raw !== undefined && !c) this.onError(`the stored conversation ${id} could not be read; it is left as it is`);
    return c ? structuredClone(c) : undefined;
  }

  save(conversation: Conversation): void {
    if (conversation.messages.length === 0 || !SAFE_ID.test(conversation.id)) return; // an empty "New chat" is not worth a list entry
    const summary: ConversationSummary = { id: conversation.id, title: conversation.title, updated: conversation.updated };
    this.index = [summary, ...this.index.filter((s) => s.id !== conversation.id)].sort((a, b) => b.updated - a.updated);
    const dropped = this.index.splice(MAX_CONVERSATIONS);
    this.write(`${conversation.id}.json`, conversation);
    for (const d of dropped) {
      rmSync(join(this.dir, `${d.id}.json`), { force: true });
      void this.memento.update(ITEM_PREFIX + d.id, undefined);
    }
    this.write('index.json', this.index);
  }

  currentId(): string | undefined {
    return this.read<{ id?: string }>('current.json')?.id ?? this.memento.get<string>(CURRENT_KEY);
  }

  setCurrentId(id: string): void {
    this.write('current.json', { id });
  }

  /** Files left behind by an interrupted write are cleaned up; a broken file reads as missing. */
  private read<T>(name: string): T | undefined {
    try {
      return JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  private write(name: string, value: unknown): void {
    const target = join(this.dir, name);
    const tmp = `${target}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify(value));
      renameSync(tmp, target);
    } catch (err) {
      this.onError(`could not save the conversation: ${String(err)}`);
      rmSync(tmp, { force: true });
    }
  }

  /** Removes temporary files of writes a crash interrupted. */
  static sweep(dir: string): void {
    try {
      for (const n of readdirSync(dir)) if (n.endsWith('.tmp')) rmSync(join(dir, n), { force: true });
    } catch {
      // no folder yet
    }
  }
}
