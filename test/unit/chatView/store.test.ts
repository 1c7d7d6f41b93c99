import { strict as assert } from 'node:assert';
import { PROTOCOL_VERSION, type HostToWebview, type TranscriptMessage, type ViewState } from '../../../src/protocol/messages';
import { initialState, reduce, type StoreState } from '../../../webview/store';

const msg = (over: Partial<TranscriptMessage> = {}): TranscriptMessage => ({ id: 'a1', role: 'assistant', text: '', reasoning: '', state: 'streaming', deltas: 0, ...over });
const view = (over: Partial<ViewState> = {}): ViewState => ({
  conversationId: 'c1', messages: [], problems: [], busy: false, conversations: [], chains: [], selectedChain: 'chain:chat', draft: '', scrollTop: null, ...over,
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
    assert.equal(state.messages[0].text, 'x');
    assert.deepEqual(changes, ['all']);
  });

  test('deltas in order append; a repeated delta is ignored; a gap asks for a resync', () => {
    const start = run(initialState, { type: 'snapshot', seq: 1, protocolVersion: PROTOCOL_VERSION, state: view() }, { type: 'upsert', seq: 2, busy: true, message: msg() }).state;
    const { state, changes } = run(start,
      { type: 'delta', seq: 3, messageId: 'a1', index: 0, text: 'Hel', reasoning: '' },
      { type: 'delta', seq: 4, messageId: 'a1', index: 1, text: 'lo', reasoning: 'r' },
      { type: 'delta', seq: 5, messageId: 'a1', index: 1, text: 'lo', reasoning: 'r' },
      { type: 'delta', seq: 6, messageId: 'a1', index: 5, text: '??', reasoning: '' },
      { type: 'delta', seq: 7, messageId: 'nope', index: 0, text: '??', reasoning: '' });
    assert.deepEqual(changes, ['appended', 'appended', 'none', 'resync', 'resync']);
    assert.equal(state.messages[0].text, 'Hello');
    assert.equal(state.messages[0].reasoning, 'r');
    assert.equal(state.messages[0].deltas, 2);
  });

  test('an upsert of a known message updates state and info but keeps the streamed text', () => {
    const s = run(initialState, { type: 'snapshot', seq: 1, protocolVersion: PROTOCOL_VERSION, state: view({ messages: [msg({ text: 'abc', deltas: 2 })] }) }).state;
    const { state, changes } = run(s, { type: 'upsert', seq: 2, busy: false, message: msg({ text: 'abc', deltas: 2, state: 'done' }) });
    assert.deepEqual(changes, ['updated']);
    assert.equal(state.messages[0].state, 'done');
    assert.equal(state.busy, false);
  });

  test('an upsert that carries deltas the webview missed replaces the text (re-render)', () => {
    const s = run(initialState, { type: 'snapshot', seq: 1, protocolVersion: PROTOCOL_VERSION, state: view({ messages: [msg({ text: 'ab', deltas: 1 })] }) }).state;
    const { state, changes } = run(s, { type: 'upsert', seq: 2, busy: false, message: msg({ text: 'abcdef', deltas: 3, state: 'done' }) });
    assert.deepEqual(changes, ['replaced']);
    assert.equal(state.messages[0].text, 'abcdef');
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
    run(s, { type: 'delta', seq: 2, messageId: 'a1', index: 0, text: 'x', reasoning: '' }, { type: 'upsert', seq: 3, busy: false, message: msg({ state: 'done' }) });
    assert.deepEqual(s, frozen);
  });
});
