import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { FileConversationStore } from '../../../src/vscode/conversationStore';
import { CONVERSATION_VERSION, type Conversation } from '../../../src/chat/conversationFormat';

/** Workspace state as VS Code keeps it: a key-value store (the part the store uses). */
function memento(initial: Record<string, unknown> = {}): vscode.Memento {
  const values = new Map(Object.entries(initial));
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => {
      if (value === undefined) values.delete(key);
      else values.set(key, value);
    },
  } as vscode.Memento;
}

const conv = (id: string, updated: number, text = 'q'): Conversation => ({
  version: CONVERSATION_VERSION, id, title: text, created: updated, updated, messages: [{ id: `${id}-u`, role: 'user', text }],
});

suite('conversations in files: on disk before save returns, earlier releases\' conversations still there', () => {
  let dir: string;
  const errors: string[] = [];
  setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-conv-'));
    errors.length = 0;
  });
  teardown(() => rmSync(dir, { recursive: true, force: true }));

  test('a saved conversation is on disk at once and a new store (a reloaded window) lists and opens it', () => {
    const a = new FileConversationStore(dir, memento(), (e) => errors.push(e));
    a.save(conv('c1', 10, 'first'));
    a.setCurrentId('c1');
    assert.equal(JSON.parse(readFileSync(join(dir, 'c1.json'), 'utf8')).title, 'first');
    const b = new FileConversationStore(dir, memento(), (e) => errors.push(e));
    assert.deepEqual(b.list().map((s) => s.id), ['c1']);
    assert.equal(b.currentId(), 'c1');
    assert.equal(b.load('c1')?.title, 'first');
    assert.deepEqual(errors, []);
  });

  test('conversations kept in workspace state by the previous release are listed, open migrated, and move to files on save', () => {
    const old = { id: 'old1', title: 'from before', created: 1, updated: 5, messages: [{ id: 'm1', role: 'user', text: 'hi', reasoning: '', state: 'done', deltas: 0 }] };
    const m = memento({ 'switchboard.conversations': [{ id: 'old1', title: 'from before', updated: 5 }], 'switchboard.conversation.old1': old, 'switchboard.currentConversation': 'old1' });
    const s = new FileConversationStore(dir, m, (e) => errors.push(e));
    assert.deepEqual(s.list().map((x) => x.id), ['old1']);
    assert.equal(s.currentId(), 'old1');
    const c = s.load('old1')!;
    assert.equal(c.version, CONVERSATION_VERSION);
    assert.deepEqual(c.messages, [{ id: 'm1', role: 'user', text: 'hi' }]);
    s.save({ ...c, updated: 6 });
    assert.equal(JSON.parse(readFileSync(join(dir, 'old1.json'), 'utf8')).version, CONVERSATION_VERSION);
  });

  test('only the 50 newest are kept; ids that are not file names are refused; a broken file reads as missing', () => {
    const s = new FileConversationStore(dir, memento(), (e) => errors.push(e));
    for (let i = 0; i < 55; i++) s.save(conv(`c${i}`, i));
    assert.equal(s.list().length, 50);
    assert.equal(s.load('c0'), undefined);
    assert.ok(!readdirSync(dir).includes('c0.json'));
    s.save(conv('../escape', 100));
    assert.ok(!s.list().some((x) => x.id === '../escape'));
    writeFileSync(join(dir, 'c54.json'), '{ torn');
    assert.equal(s.load('c54'), undefined);
  });
});
