import { strict as assert } from 'node:assert';
import { PROTOCOL_VERSION, type HostToWebview, type ViewState } from '../../../src/protocol/messages';
import { answerText, emptyInfo, type AnswerPart, type AssistantMessage, type TranscriptMessage } from '../../../src/protocol/transcript';
import { initialState, reduce, type StoreState } from '../../../webview/store';

/** An answer; `text` and `reasoning` become parts of step 0 (reasoning first). */
const msg = (over: Partial<AssistantMessage> & { text?: string; reasoning?: string } = {}): AssistantMessage => {
  const { text = '', reasoning = '', ...rest } = over;
  const parts: AnswerPart[] = [];
  if (reasoning) parts.push({ kind: 'reasoning', step: 0, text: reasoning });
  if (text) parts.push({ kind: 'text', step: 0, text });
  return { id: 'a1', role: 'assistant', parts, state: 'streaming', deltas: 0, info: emptyInfo(), ...rest };
};
const textOf = (m: TranscriptMessage) => (m.role === 'assistant' ? answerText(m) : m.role === 'user' ? m.text : m.summary);
const reasoningOf = (m: TranscriptMessage) => (m.role === 'assistant' ? m.parts.filter((p) => p.kind === 'reasoning').map((p) => (p as { text: string }).text).join('') : '');
const stateOf = (m: TranscriptMessage) => (m.role === 'assistant' ? m.state : 'user');
const view = (over: Partial<ViewState> = {}): ViewState => ({
  conversationId: 'c1', messages: [], problems: [], busy: false, conversations: [], chains: [], selectedChain: 'purpose:chat', draft: '', draftAt: 0, scrollTop: null, ...over,
});

function run(state: StoreState, ...messages: HostToWebview[]) {
  const changes = [];
  for (const m of messages) {
    const r = reduce(state, m);
    state = r.state;
    changes.push(r.change.kind);
  }
  return { state, changes };
}

suite('webview store (pure reducer over host messages)', () => {
  test('a snapshot replaces everything and marks the store ready', () => {
    const { state, changes } = run(initialState, { type: 'snapshot', seq: 1, protocolVersion: PROTOCOL_VERSION, state: view({ messages: [msg({ text: 'x', deltas: 1 })] }) });
    assert.equal(state.ready, true);
    assert.equal(textOf(state.messages[0]), 'x');
    assert.deepEqual(changes, ['all']);
  });

  test('deltas in order append; a repeated delta is ignored; a gap asks for a resync', () => {
    const start = run(initialState, { type: 'snapshot', seq: 1, protocolVersion: PROTOCOL_VERSION, state: view() }, { type: 'upsert', seq: 2, busy: true, message: msg() }).state;
    const { state, changes } = run(start,
      { type: 'delta', seq: 3, messageId: 'a1', index: 0, step: 0, text: 'Hel', reasoning: '' },
      { type: 'delta', seq: 4, messageId: 'a1', index: 1, step: 0, text: 'lo', reasoning: 'r' },
      { type: 'delta', seq: 5, messageId: 'a1', index: 1, step: 0, text: 'lo', reasoning: 'r' },
      { type: 'delta', seq: 6, messageId: 'a1', index: 5, step: 0, text: '??', reasoning: '' },
      { type: 'delta', seq: 7, messageId: 'nope', index: 0, step: 0, text: '??', reasoning: '' });
    assert.deepEqual(changes, ['appended', 'appended', 'none', 'resync', 'resync']);
    assert.equal(textOf(state.messages[0]), 'Hello');
    assert.equal(reasoningOf(state.messages[0]), 'r');
    assert.equal((state.messages[0] as AssistantMessage).deltas, 2);
  });

  test('an upsert of a known message updates state and info but keeps the streamed text', () => {
    const s = run(initialState, { type: 'snapshot', seq: 1, protocolVersion: PROTOCOL_VERSION, state: view({ messages: [msg({ text: 'abc', deltas: 2 })] }) }).state;
    const { state, changes } = run(s, { type: 'upsert', seq: 2, busy: false, message: msg({ text: 'abc', deltas: 2, state: 'done' }) });
    assert.deepEqual(changes, ['updated']);
    assert.equal(stateOf(state.messages[0]), 'done');
    assert.equal(state.busy, false);
  });

  test('an upsert that carries deltas the webview missed replaces the text (re-render)', () => {
    const s = run(initialState, { type: 'snapshot', seq: 1, protocolVersion: PROTOCOL_VERSION, state: view({ messages: [msg({ text: 'ab', deltas: 1 })] }) }).state;
    const { state, changes } = run(s, { type: 'upsert', seq: 2, busy: false, message: msg({ text: 'abcdef', deltas: 3, state: 'done' }) });
    assert.deepEqual(changes, ['replaced']);
    assert.equal(textOf(state.messages[0]), 'abcdef');
  });

  test('deltas of a later step start new parts after the tool calls, exactly as the host folds them', () => {
    const start = run(initialState, { type: 'snapshot', seq: 1, protocolVersion: PROTOCOL_VERSION, state: view({ messages: [msg({ text: 'look', deltas: 1, parts: [
      { kind: 'text', step: 0, text: 'look' }, { kind: 'toolCall', step: 0, id: 'c1', name: 'read_file', arguments: '{}', state: 'done', result: 'x' },
    ] })] }) }).state;
    const { state } = run(start,
      { type: 'delta', seq: 2, messageId: 'a1', index: 1, step: 1, text: 'found', reasoning: 'think' },
      { type: 'delta', seq: 3, messageId: 'a1', index: 2, step: 1, text: ' it', reasoning: '' });
    const parts = (state.messages[0] as AssistantMessage).parts;
    assert.deepEqual(parts.map((p) => [p.kind, p.step]), [['text', 0], ['toolCall', 0], ['reasoning', 1], ['text', 1]]);
    assert.equal(textOf(state.messages[0]), 'look\n\nfound it');
  });

  test('a header message changes the chain picker without touching the transcript', () => {
    const s = run(initialState, { type: 'snapshot', seq: 1, protocolVersion: PROTOCOL_VERSION, state: view({ messages: [msg({ text: 'kept', deltas: 1 })] }) }).state;
    const { state, changes } = run(s, { type: 'header', seq: 2, chains: [{ id: 'model:x', label: 'x' }], selectedChain: 'model:x' });
    assert.deepEqual(changes, ['header']);
    assert.equal(state.selectedChain, 'model:x');
    assert.equal(state.messages, s.messages, 'the same transcript object: nothing re-rendered');
  });

  test('problems and the conversation list update on their own', () => {
    const { state, changes } = run(initialState,
      { type: 'problems', seq: 1, problems: ['switchboard.chains.chat: empty'] },
      { type: 'conversations', seq: 2, conversations: [{ id: 'c0', title: 'old', updated: 1 }] });
    assert.deepEqual(changes, ['problems', 'conversations']);
    assert.deepEqual(state.problems, ['switchboard.chains.chat: empty']);
    assert.equal(state.conversations[0].title, 'old');
  });

  test('the reducer never mutates the previous state', () => {
    const s = run(initialState, { type: 'snapshot', seq: 1, protocolVersion: PROTOCOL_VERSION, state: view({ messages: [msg()] }) }).state;
    const frozen = structuredClone(s);
    run(s, { type: 'delta', seq: 2, messageId: 'a1', index: 0, step: 0, text: 'x', reasoning: '' }, { type: 'upsert', seq: 3, busy: false, message: msg({ state: 'done' }) });
    assert.deepEqual(s, frozen);
  });
});
