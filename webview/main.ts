// The chat webview: renders what the host sends, posts what the user does. It runs untrusted model output,
// so it never builds HTML from strings: every node is created with the DOM API and text goes in textContent;
// markdown goes through the safe incremental renderer.
import { PROTOCOL_VERSION, parseHostMessage, type HostToWebview, type TranscriptMessage, type WebviewToHost } from '../src/protocol/messages';
import { MessageView, type ViewActions } from './answerView';
import { el } from './dom';
import type { MarkdownHooks } from './markdown';
import { initialState, reduce, type StoreState } from './store';
import { getVsCodeApi } from './vscodeApi';

/** UI-only state that survives hiding and reloading the view (the host keeps the conversation). */
interface UiState {
  draft: string;
  /** When the draft was saved (this webview's clock): the newer of this and the host's copy wins. */
  draftAt?: number;
  scrollTop?: number;
  conversationId?: string;
}

const api = getVsCodeApi<UiState>();
const post = (message: WebviewToHost): void => api.postMessage(message);
let ui: UiState = api.getState() ?? { draft: '' };
let uiTimer: ReturnType<typeof setTimeout> | undefined;
/** Sends the draft and scroll position to the host now (it keeps them across reloads). */
const flushUi = () => {
  if (uiTimer !== undefined) clearTimeout(uiTimer);
  uiTimer = undefined;
  composer.dataset.draftSaved = 'false';
  post({ type: 'uiState', draft: ui.draft, scrollTop: ui.scrollTop ?? 0, at: ui.draftAt ?? 0 });
};
/**
 * Keeps the draft and scroll position in the webview's state (hide/show) and, debounced, in the host
 * (reloads). A changed draft carries the time it was typed, so a stale copy can never win over a newer one.
 */
const saveUi = (patch: Partial<UiState>, now = false) => {
  ui = { ...ui, ...patch, ...(patch.draft !== undefined ? { draftAt: Date.now() } : {}) };
  api.setState(ui);
  composer.dataset.draftSaved = 'false';
  if (uiTimer !== undefined) clearTimeout(uiTimer);
  if (now) flushUi();
  else uiTimer = setTimeout(flushUi, 250);
};

// ---- images: the host fetches them (the CSP allows no remote images) and answers by request id
let nextImageRequest = 1;
const imageRequests = new Map<number, { resolve: (url: string) => void; reject: (err: Error) => void }>();
const hooks: MarkdownHooks = {
  onLink: (href) => post({ type: 'openLink', href }),
  onOpenFile: (path, line) => post(line ? { type: 'openFile', path, line } : { type: 'openFile', path }),
  loadImage: (src) =>
    new Promise<string>((resolve, reject) => {
      const requestId = nextImageRequest++;
      imageRequests.set(requestId, { resolve, reject });
      post({ type: 'loadImage', requestId, src });
    }),
  onCopy: (code) => post({ type: 'copy', text: code }),
  onInsert: (code) => post({ type: 'insert', text: code }),
};

// ---- static layout
const app = document.getElementById('app')!;
const header = el('header', { class: 'toolbar' });
const chainSelect = el('select', { 'aria-label': 'Model', title: 'Model or chain for the next message' });
const historySelect = el('select', { 'aria-label': 'Conversations', title: 'Reopen a previous conversation' });
const newChatButton = el('button', { type: 'button', class: 'secondary' }, 'New Chat');
header.append(chainSelect, historySelect, newChatButton);
const problemsBox = el('section', { class: 'problems', role: 'status', 'aria-label': 'Settings problems', hidden: '' });
const transcript = el('div', { class: 'transcript', role: 'log', 'aria-label': 'Conversation', 'aria-live': 'polite', tabindex: '0' });
const composer = el('form', { class: 'composer', 'aria-label': 'Compose' });
const input = el('textarea', { 'aria-label': 'Message', placeholder: 'Ask anything (Enter to send, Shift+Enter for a new line)', rows: '3' });
const sendButton = el('button', { type: 'submit' }, 'Send');
const stopButton = el('button', { type: 'button', class: 'secondary', hidden: '' }, 'Stop');
const retryButton = el('button', { type: 'button', class: 'secondary', hidden: '' }, 'Retry');
const buttons = el('div', { class: 'composer-buttons' });
buttons.append(sendButton, stopButton, retryButton);
composer.append(input, buttons);
app.append(header, problemsBox, transcript, composer);

let state: StoreState = initialState;

input.value = ui.draft;
input.addEventListener('input', () => saveUi({ draft: input.value }));
const send = () => {
  const text = input.value;
  if (!text.trim() || state.busy) return;
  post({ type: 'send', text });
  input.value = '';
  saveUi({ draft: '' }, true);
};
composer.addEventListener('submit', (e) => {
  e.preventDefault();
  send();
});
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    send();
  }
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && state.busy) {
    e.preventDefault();
    post({ type: 'stop' });
  }
});
// A reload or a hidden view must not lose a draft typed in the last 250 ms.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden' && uiTimer !== undefined) flushUi();
});
window.addEventListener('pagehide', () => {
  if (uiTimer !== undefined) flushUi();
});
stopButton.addEventListener('click', () => post({ type: 'stop' }));
retryButton.addEventListener('click', () => post({ type: 'retry' }));
newChatButton.addEventListener('click', () => post({ type: 'newChat' }));
chainSelect.addEventListener('change', () => post({ type: 'selectChain', id: chainSelect.value }));
historySelect.addEventListener('change', () => {
  if (historySelect.value) post({ type: 'openConversation', id: historySelect.value });
});
transcript.addEventListener('scroll', () => {
  stickToBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 24;
  saveUi({ scrollTop: transcript.scrollTop, conversationId: state.conversationId });
}, { passive: true });

// ---- messages
const views = new Map<string, MessageView>();
let stickToBottom = true;
const actions: ViewActions = {
  markdown: hooks,
  decide: (callId, decision, extra) => post({ type: 'toolDecision', callId, decision, ...extra }),
  undoCompaction: (id) => post({ type: 'undoCompaction', id }),
  showDiff: (callId) => {
    const owner = state.messages.find((m) => m.role === 'assistant' && m.parts.some((p) => p.kind === 'toolCall' && p.id === callId));
    if (owner) post({ type: 'showDiff', messageId: owner.id, callId });
  },
  onErrorAction: (action) => post(action === 'retry' ? { type: 'retry' } : action === 'openSettings' ? { type: 'openSettings' } : { type: 'showLog' }),
};

function buildMessage(m: TranscriptMessage): MessageView {
  return new MessageView(m, actions);
}

function renderAll(): void {
  views.clear();
  const nodes: Node[] = [];
  if (state.messages.length === 0) {
    const empty = el('div', { class: 'empty-state', 'data-testid': 'empty-conversation' });
    empty.append(el('h2', {}, 'No messages yet'), el('p', {}, 'Ask the configured model anything. Answers stream here, with the model that answered and what it cost.'));
    nodes.push(empty);
  }
  for (const m of state.messages) {
    const v = buildMessage(m);
    views.set(m.id, v);
    nodes.push(v.root);
  }
  transcript.replaceChildren(...nodes);
  renderProblems();
  renderHeader();
  renderBusy();
  app.removeAttribute('aria-busy');
  document.body.dataset.ready = 'true';
  // The newer draft wins: the host's (saved before a reload) or this webview's own (typed since).
  if (state.draftAt > (ui.draftAt ?? -1) || (!input.value && state.draft && ui.draftAt === undefined)) {
    input.value = state.draft;
    ui = { ...ui, draft: state.draft, draftAt: state.draftAt };
    api.setState(ui);
  }
  const scrollTop = ui.conversationId === state.conversationId && ui.scrollTop !== undefined ? ui.scrollTop : state.scrollTop;
  if (scrollTop !== null) {
    transcript.scrollTop = scrollTop;
    stickToBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 24;
  } else {
    transcript.scrollTop = transcript.scrollHeight;
    stickToBottom = true;
  }
}

function renderProblems(): void {
  if (state.problems.length === 0) {
    problemsBox.hidden = true;
    problemsBox.replaceChildren();
    return;
  }
  const list = el('ul');
  for (const p of state.problems) list.append(el('li', {}, p));
  const open = el('button', { type: 'button' }, 'Open Settings');
  open.addEventListener('click', () => post({ type: 'openSettings' }));
  problemsBox.replaceChildren(el('strong', {}, state.problems.length === 1 ? 'A setting needs attention' : `${state.problems.length} settings need attention`), list, open);
  problemsBox.hidden = false;
}

function renderHeader(): void {
  chainSelect.replaceChildren(...state.chains.map((c) => el('option', { value: c.id }, c.label)));
  chainSelect.value = state.selectedChain;
  renderConversations();
}

function renderConversations(): void {
  const current = el('option', { value: '' }, 'History');
  historySelect.replaceChildren(current, ...state.conversations.filter((c) => c.id !== state.conversationId).map((c) => el('option', { value: c.id }, c.title)));
  historySelect.value = '';
  historySelect.disabled = historySelect.options.length <= 1;
}

function renderBusy(): void {
  stopButton.hidden = !state.busy;
  sendButton.disabled = state.busy;
  const last = state.messages[state.messages.length - 1];
  retryButton.hidden = state.busy || !last || last.role !== 'assistant';
}

// ---- streaming: deltas are queued and applied once per animation frame
const pending = new Map<string, { step: number; text: string; reasoning: string }[]>();
let frameRequested = false;
function scheduleFrame(): void {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(flushFrame);
}
function flushFrame(): void {
  frameRequested = false;
  for (const [id, list] of pending) {
    const v = views.get(id);
    if (!v) continue;
    // Consecutive deltas of one step are joined, so a frame renders each part once.
    let run: { step: number; text: string; reasoning: string } | undefined;
    for (const d of list) {
      if (run && run.step === d.step && !d.reasoning) run.text += d.text;
      else {
        if (run) v.append(run.step, run.text, run.reasoning);
        run = { ...d };
      }
    }
    if (run) v.append(run.step, run.text, run.reasoning);
  }
  pending.clear();
  if (stickToBottom) transcript.scrollTop = transcript.scrollHeight;
}
/** Applies queued deltas now (before a message's state changes, so the final text is complete). */
function flushNow(): void {
  if (pending.size) flushFrame();
}

function onHostMessage(message: HostToWebview): void {
  if (message.type === 'focusInput') {
    input.focus();
    return;
  }
  if (message.type === 'attach') {
    input.value = input.value ? `${input.value.replace(/\n*$/, '')}\n\n${message.text}` : message.text;
    saveUi({ draft: input.value });
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
    return;
  }
  if (message.type === 'imageLoaded') {
    const r = imageRequests.get(message.requestId);
    imageRequests.delete(message.requestId);
    if (message.dataUrl) r?.resolve(message.dataUrl);
    else r?.reject(new Error(message.error ?? 'the image could not be loaded'));
    return;
  }
  if (message.type === 'uiSaved') {
    if (message.at === (ui.draftAt ?? 0) && uiTimer === undefined) composer.dataset.draftSaved = 'true';
    return;
  }
  if (message.type === 'protocolMismatch') {
    app.prepend(el('div', { class: 'banner-error', role: 'alert' }, `This view is out of date (protocol ${message.webviewVersion}, extension ${message.hostVersion}). Reload the window.`));
    return;
  }
  if (message.type === 'snapshot') pending.clear();
  else if (message.type === 'upsert') flushNow();
  const { state: next, change } = reduce(state, message);
  state = next;
  switch (change.kind) {
    case 'all':
      renderAll();
      return;
    case 'problems':
      renderProblems();
      return;
    case 'header':
      renderHeader();
      return;
    case 'conversations':
      renderConversations();
      return;
    case 'added': {
      transcript.querySelector('[data-testid="empty-conversation"]')?.remove();
      const v = buildMessage(change.message);
      views.set(change.message.id, v);
      transcript.append(v.root);
      renderBusy();
      if (stickToBottom || change.message.role === 'user') {
        stickToBottom = true;
        transcript.scrollTop = transcript.scrollHeight;
      }
      return;
    }
    case 'updated': {
      const v = views.get(change.message.id);
      if (v && change.message.role === 'assistant') v.update(change.message);
      else if (v && change.message.role === 'compaction') v.renderCompaction(change.message);
      renderBusy();
      return;
    }
    case 'replaced': {
      const v = views.get(change.message.id);
      if (v && change.message.role === 'assistant') v.render(change.message);
      renderBusy();
      return;
    }
    case 'appended': {
      const list = pending.get(change.message.id) ?? [];
      list.push({ step: change.step, text: change.text, reasoning: change.reasoning });
      pending.set(change.message.id, list);
      scheduleFrame();
      return;
    }
    case 'resync':
      post({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
      return;
    case 'none':
      return;
  }
}

window.addEventListener('message', (event: MessageEvent) => {
  const message = parseHostMessage(event.data);
  if (message) onHostMessage(message);
  else post({ type: 'log', level: 'warn', message: 'ignored a malformed message from the host' });
});
window.addEventListener('error', (event) => post({ type: 'log', level: 'error', message: String(event.message) }));

post({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
