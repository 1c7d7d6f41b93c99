import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONVERSATION_VERSION, migrateConversation } from '../../../src/chat/conversationFormat';
import { toChatMessages } from '../../../src/chat/history';
import { answerText, type AssistantMessage } from '../../../src/protocol/transcript';

const root = join(__dirname, '..', '..', '..', '..');

suite('stored conversations: versions and migration', () => {
  test('a conversation saved by the previous release opens with nothing lost', () => {
    const old = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'conversations', 'v1.json'), 'utf8'));
    const c = migrateConversation(old)!;
    assert.equal(c.version, CONVERSATION_VERSION);
    assert.equal(c.id, old.id);
    assert.equal(c.title, old.title);
    assert.equal(c.messages.length, old.messages.length);
    for (const [i, m] of c.messages.entries()) {
      const was = old.messages[i];
      assert.equal(m.id, was.id);
      assert.equal(m.role, was.role);
      if (m.role === 'user') {
        assert.equal(m.text, was.text);
        continue;
      }
      const a = m as AssistantMessage;
      assert.equal(answerText(a), was.text);
      assert.equal(a.parts.filter((p) => p.kind === 'reasoning').map((p) => (p as { text: string }).text).join(''), was.reasoning);
      assert.equal(a.state, was.state);
      assert.deepEqual(a.error, was.error);
      if (was.info) {
        assert.equal(a.info.costNanos, was.info.costNanos);
        assert.deepEqual(a.info.usage, was.info.usage);
        assert.deepEqual(a.info.fallbacks, was.info.fallbacks);
        assert.equal(a.info.steps, 1);
      }
    }
    assert.deepEqual(toChatMessages(c.messages).map((m) => [m.role, m.content]), [
      ['user', 'What does parseSettings do?'], ['assistant', old.messages[1].text], ['user', 'And the chains?'], ['user', 'Try again'], ['assistant', old.messages[5].text],
    ]);
  });

  test('the current version reads back as it is; a newer or broken one is not guessed at', () => {
    const c = { version: CONVERSATION_VERSION, id: 'x', title: 't', created: 1, updated: 2, messages: [{ id: 'u', role: 'user', text: 'q' }] };
    assert.deepEqual(migrateConversation(c), c);
    assert.equal(migrateConversation({ ...c, version: 99 }), undefined);
    assert.equal(migrateConversation({ id: 'x' }), undefined);
    assert.equal(migrateConversation('garbage'), undefined);
  });
});
