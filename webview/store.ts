// The webview's state as a pure reducer over host messages. No DOM: the view applies the returned change.
import type { HostToWebview, TranscriptMessage, ViewState } from '../src/protocol/messages';

export interface StoreState extends ViewState {
  /** False until the first snapshot arrived. */
  ready: boolean;
}

/** What the view has to do after a message was applied. */
export type Change =
  | { kind: 'none' }
  | { kind: 'all' }
  | { kind: 'problems' }
  | { kind: 'conversations' }
  | { kind: 'added'; message: TranscriptMessage }
  /** Only state, info or error changed; the streamed text did not. */
  | { kind: 'updated'; message: TranscriptMessage }
  /** The message's text must be rendered again from scratch (the webview missed deltas). */
  | { kind: 'replaced'; message: TranscriptMessage }
  | { kind: 'appended'; message: TranscriptMessage; text: string; reasoning: string }
  /** A delta arrived out of order: ask the host for a fresh snapshot. */
  | { kind: 'resync' };

export const initialState: StoreState = {
  ready: false, conversationId: '', messages: [], problems: [], busy: false, conversations: [], chains: [], selectedChain: '', draft: '', scrollTop: null,
};

/** Applies one host message. Messages that do not concern the store (focus, images) leave it unchanged. */
export function reduce(state: StoreState, msg: HostToWebview): { state: StoreState; change: Change } {
  switch (msg.type) {
    case 'snapshot':
      return { state: { ...msg.state, messages: msg.state.messages.map((m) => ({ ...m })), ready: true }, change: { kind: 'all' } };
    case 'problems':
      return { state: { ...state, problems: msg.problems }, change: { kind: 'problems' } };
    case 'conversations':
      return { state: { ...state, conversations: msg.conversations }, change: { kind: 'conversations' } };
    case 'upsert': {
      const i = state.messages.findIndex((m) => m.id === msg.message.id);
      if (i < 0) {
        const message = { ...msg.message };
        return { state: { ...state, busy: msg.busy, messages: [...state.messages, message] }, change: { kind: 'added', message } };
      }
      const old = state.messages[i];
      // The host's copy is the truth; if it carries deltas this webview never saw, re-render the text.
      const missed = msg.message.deltas > old.deltas;
      const message: TranscriptMessage = missed ? { ...msg.message } : { ...msg.message, text: old.text, reasoning: old.reasoning, deltas: old.deltas };
      const messages = state.messages.slice();
      messages[i] = message;
      return { state: { ...state, busy: msg.busy, messages }, change: missed ? { kind: 'replaced', message } : { kind: 'updated', message } };
    }
    case 'delta': {
      const i = state.messages.findIndex((m) => m.id === msg.messageId);
      if (i < 0) return { state, change: { kind: 'resync' } };
      const old = state.messages[i];
      if (msg.index < old.deltas) return { state, change: { kind: 'none' } }; // a repeat: already applied
      if (msg.index > old.deltas) return { state, change: { kind: 'resync' } }; // a gap
      const message = { ...old, text: old.text + msg.text, reasoning: old.reasoning + msg.reasoning, deltas: old.deltas + 1 };
      const messages = state.messages.slice();
      messages[i] = message;
      return { state: { ...state, messages }, change: { kind: 'appended', message, text: msg.text, reasoning: msg.reasoning } };
    }
    case 'focusInput':
    case 'attach':
    case 'imageLoaded':
    case 'protocolMismatch':
      return { state, change: { kind: 'none' } };
  }
}
