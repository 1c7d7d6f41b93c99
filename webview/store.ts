// The webview's state as a pure reducer over host messages. No DOM: the view applies the returned change.
import type { HostToWebview, ViewState } from '../src/protocol/messages';
import { appendDelta, type AssistantMessage, type TranscriptMessage } from '../src/protocol/transcript';

export interface StoreState extends ViewState {
  /** False until the first snapshot arrived. */
  ready: boolean;
}

/** What the view has to do after a message was applied. */
export type Change =
  | { kind: 'none' }
  | { kind: 'all' }
  | { kind: 'problems' }
  | { kind: 'header' }
  | { kind: 'conversations' }
  | { kind: 'added'; message: TranscriptMessage }
  /** The streamed parts did not change; state, info, error, tool calls and notices may have. */
  | { kind: 'updated'; message: TranscriptMessage }
  /** The message must be rendered again from scratch (the webview missed deltas). */
  | { kind: 'replaced'; message: TranscriptMessage }
  | { kind: 'appended'; message: AssistantMessage; step: number; text: string; reasoning: string }
  /** A delta arrived out of order: ask the host for a fresh snapshot. */
  | { kind: 'resync' };

export const initialState: StoreState = {
  ready: false, conversationId: '', messages: [], problems: [], busy: false, conversations: [], chains: [], selectedChain: '', draft: '', draftAt: 0, scrollTop: null,
};

/** Applies one host message. Messages that do not concern the store (focus, images) leave it unchanged. */
export function reduce(state: StoreState, msg: HostToWebview): { state: StoreState; change: Change } {
  switch (msg.type) {
    case 'snapshot':
      return { state: { ...msg.state, messages: structuredClone(msg.state.messages), ready: true }, change: { kind: 'all' } };
    case 'problems':
      return { state: { ...state, problems: msg.problems }, change: { kind: 'problems' } };
    case 'header':
      return { state: { ...state, chains: msg.chains, selectedChain: msg.selectedChain }, change: { kind: 'header' } };
    case 'conversations':
      return { state: { ...state, conversations: msg.conversations }, change: { kind: 'conversations' } };
    case 'upsert': {
      const i = state.messages.findIndex((m) => m.id === msg.message.id);
      const message = structuredClone(msg.message);
      if (i < 0) return { state: { ...state, busy: msg.busy, messages: [...state.messages, message] }, change: { kind: 'added', message } };
      const old = state.messages[i];
      // The host's copy is the truth. Its parts include every delta up to its count: when it carries deltas this
      // webview never saw, the message is rendered again; otherwise the streamed parts are already on screen.
      const missed = message.role === 'assistant' && old.role === 'assistant' && message.deltas > old.deltas;
      const messages = state.messages.slice();
      messages[i] = message;
      return { state: { ...state, busy: msg.busy, messages }, change: missed ? { kind: 'replaced', message } : { kind: 'updated', message } };
    }
    case 'delta': {
      const i = state.messages.findIndex((m) => m.id === msg.messageId);
      const old = state.messages[i];
      if (!old || old.role !== 'assistant') return { state, change: { kind: 'resync' } };
      if (msg.index < old.deltas) return { state, change: { kind: 'none' } }; // a repeat: already applied
      if (msg.index > old.deltas) return { state, change: { kind: 'resync' } }; // a gap
      const message: AssistantMessage = { ...old, parts: old.parts.map((p) => ({ ...p })), deltas: old.deltas + 1 };
      appendDelta(message.parts, msg.step, msg.text, msg.reasoning);
      const messages = state.messages.slice();
      messages[i] = message;
      return { state: { ...state, messages }, change: { kind: 'appended', message, step: msg.step, text: msg.text, reasoning: msg.reasoning } };
    }
    case 'focusInput':
    case 'attach':
    case 'imageLoaded':
    case 'protocolMismatch':
    case 'uiSaved':
      return { state, change: { kind: 'none' } };
  }
}
