import { strict as assert } from 'node:assert';
import { PROTOCOL_VERSION, parseHostMessage, parseWebviewMessage } from '../../../src/protocol/messages';

suite('protocol: messages from the webview are validated before the host routes them', () => {
  test('a ready message with an integer protocol version is accepted', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready', protocolVersion: PROTOCOL_VERSION }), { type: 'ready', protocolVersion: PROTOCOL_VERSION });
  });

  test('openSettings carries no fields and drops any it is given', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'openSettings', url: 'command:evil' }), { type: 'openSettings' });
  });

  test('chat actions keep only their own fields; empty sends and oversized values are refused', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'send', text: 'hi', role: 'system' }), { type: 'send', text: 'hi' });
    assert.equal(parseWebviewMessage({ type: 'send', text: '   ' }), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'stop', now: true }), { type: 'stop' });
    assert.deepEqual(parseWebviewMessage({ type: 'openLink', href: 'https://example.com' }), { type: 'openLink', href: 'https://example.com' });
    assert.equal(parseWebviewMessage({ type: 'openLink', href: 'x'.repeat(10_000) }), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'openFile', path: 'src/a.ts', line: 10, extra: 1 }), { type: 'openFile', path: 'src/a.ts', line: 10 });
    assert.deepEqual(parseWebviewMessage({ type: 'openFile', path: 'src/a.ts' }), { type: 'openFile', path: 'src/a.ts' });
    for (const bad of [{ path: '' }, { path: 1 }, { path: 'a', line: 0 }, { path: 'a', line: 1.5 }, { path: 'a', line: '3' }, { path: 'x'.repeat(10_000) }]) {
      assert.equal(parseWebviewMessage({ type: 'openFile', ...bad }), undefined, JSON.stringify(bad));
    }
    assert.equal(parseWebviewMessage({ type: 'loadImage', requestId: 'a', src: 'https://x/y.png' }), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'insert', text: 'code' }), { type: 'insert', text: 'code' });
    assert.equal(parseWebviewMessage({ type: 'selectChain', id: 7 }), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'uiState', draft: 'half', scrollTop: -4, at: 5, extra: 1 }), { type: 'uiState', draft: 'half', scrollTop: 0, at: 5 });
    assert.equal(parseWebviewMessage({ type: 'uiState', draft: 'half', scrollTop: Number.NaN, at: 5 }), undefined);
    assert.equal(parseWebviewMessage({ type: 'uiState', draft: 'half', scrollTop: 0 }), undefined, 'a save without its time cannot be ordered');
  });

  test('malformed messages are rejected, not passed through', () => {
    for (const bad of [null, undefined, 42, 'ready', [], {}, { type: 'ready' }, { type: 'ready', protocolVersion: '1' }, { type: 'ready', protocolVersion: 1.5 },
      { type: 'log', level: 'debug', message: 'x' }, { type: 'log', level: 'info' }, { type: 'unknown' }]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  test('a log message keeps only its known fields and is capped in length', () => {
    const m = parseWebviewMessage({ type: 'log', level: 'error', message: 'x'.repeat(5000), extra: '<script>' });
    assert.deepEqual(m, { type: 'log', level: 'error', message: 'x'.repeat(2000) });
  });
});

suite('protocol: messages from the host are validated by the webview', () => {
  test('a snapshot needs a sequence number, a protocol version and a message list', () => {
    const ok = { type: 'snapshot', seq: 1, protocolVersion: PROTOCOL_VERSION, state: { conversationId: 'c', messages: [], problems: [], busy: false, conversations: [], chains: [], selectedChain: 'chain:chat' } };
    assert.deepEqual(parseHostMessage(ok), ok);
    assert.equal(parseHostMessage({ ...ok, seq: undefined }), undefined);
    assert.equal(parseHostMessage({ ...ok, state: {} }), undefined);
    assert.equal(parseHostMessage({ ...ok, state: { ...ok.state, problems: [3] } }), undefined);
    assert.equal(parseHostMessage({ ...ok, state: { ...ok.state, messages: [{ id: 'x', role: 'system', text: '' }] } }), undefined);
    assert.equal(parseHostMessage({ ...ok, protocolVersion: 'x' }), undefined);
  });

  test('focusInput and protocolMismatch are recognised; unknown types are not', () => {
    assert.equal(parseHostMessage({ type: 'focusInput', seq: 2 })?.type, 'focusInput');
    assert.equal(parseHostMessage({ type: 'protocolMismatch', seq: 3, hostVersion: 2, webviewVersion: 1 })?.type, 'protocolMismatch');
    assert.equal(parseHostMessage({ type: 'protocolMismatch', seq: 3 }), undefined);
    assert.equal(parseHostMessage({ type: 'eval', seq: 4 }), undefined);
    assert.deepEqual(parseHostMessage({ type: 'problems', seq: 5, problems: ['a'] }), { type: 'problems', seq: 5, problems: ['a'] });
    assert.equal(parseHostMessage({ type: 'problems', seq: 5, problems: 'a' }), undefined);
  });
});
