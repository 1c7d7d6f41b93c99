// The chat webview: renders what the host sends, posts what the user does. It runs untrusted model output,
// so it never builds HTML from strings: every node is created with the DOM API and text goes in textContent;
// markdown goes through the safe incremental renderer.
import { PROTOCOL_VERSION, parseHostMessage, type AnswerInfo, type HostToWebview, type TranscriptMessage, type WebviewToHost } from '../src/protocol/messages';
import { StreamingMarkdown, renderMarkdown, type MarkdownHooks } from './markdown';
import { initialState, reduce, type StoreState } from './store';
import { getVsCodeApi } from './vscodeApi';
import { describeAnswer } from './answerInfo';

/** UI-only state that survives hiding and reloading the view (the host keeps the conversation). */
interface UiState {
  draft: string;
  scrollTop?: number;
  conversationId?: string;
}

const api = getVsCodeApi<UiState>();
const post = (message: WebviewToHost): void => api.postMessage(message);
let ui: UiState = api.getState() ?? { draft: '' };
let uiTimer: ReturnType<typeof setTimeout> | undefined;
/** Keeps the draft and scroll position in the webview's state (hide/show) and, debounced, in the host (reloads). */
const saveUi = (patch: Partial<UiState>) => {
  ui = { ...ui, ...patch };
  api.setState(ui);
  if (uiTimer !== undefined) clearTimeout(uiTimer);
  uiTimer = setTimeout(() => post({ type: 'uiState', draft: ui.draft, scrollTop: ui.scrollTop ?? 0 }), 250);
};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, string | undefined> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) if (value !== undefined) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

// ---- images: the host fetches them (the CSP allows no remote images) and answers by request id
let nextImageRequest = 1;
const imageRequests = new Map<number, { resolve: (url: string) => void; reject: (err: Error) => void }>();
const hooks: MarkdownHooks = {
  onLink: (href) => post({ type: 'openLink', href }),
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
  saveUi({ draft: '' });
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
interface MessageView {
  root: HTMLElement;
  thinking?: HTMLDetailsElement;
  reasoning?: HTMLElement;
  body: HTMLElement;
  markdown?: StreamingMarkdown;
  footer: HTMLElement;
  errorBox: HTMLElement;
}
const views = new Map<string, MessageView>();
let stickToBottom = true;

function buildMessage(m: TranscriptMessage): MessageView {
  const root = el('article', { class: 'message', 'data-role': m.role, 'data-id': m.id, 'aria-label': m.role === 'user' ? 'You' : 'Answer' });
  const body = el('div', { class: 'body' });
  const footer = el('div', { class: 'meta' });
  const errorBox = el('div', { class: 'error-box' });
  const view: MessageView = { root, body, footer, errorBox };
  if (m.role === 'assistant') {
    const thinking = el('details', { class: 'thinking', hidden: '' }) as HTMLDetailsElement;
    const summary = el('summary', {}, 'Thinking');
    const reasoning = el('div', { class: 'reasoning' });
    thinking.append(summary, reasoning);
    root.append(thinking, body, errorBox, footer);
    Object.assign(view, { thinking, reasoning });
  } else {
    root.append(body);
  }
  fillText(view, m);
  updateMeta(view, m);
  return view;
}

function fillText(view: MessageView, m: TranscriptMessage): void {
  if (m.role === 'user') {
    view.body.textContent = m.text;
    return;
  }
  view.body.replaceChildren();
  if (m.state === 'streaming') {
    view.markdown = new StreamingMarkdown(view.body, hooks);
    if (m.text) view.markdown.append(m.text);
  } else {
    view.markdown = undefined;
    renderMarkdown(view.body, m.text, hooks);
  }
  if (view.reasoning && view.thinking) {
    view.reasoning.textContent = m.reasoning;
    view.thinking.hidden = m.reasoning === '';
  }
}

function updateMeta(view: MessageView, m: TranscriptMessage): void {
  if (m.role !== 'assistant') return;
  if (m.state === 'streaming') view.root.setAttribute('aria-busy', 'true');
  else view.root.removeAttribute('aria-busy');
  view.root.dataset.state = m.state;
  if (m.state !== 'streaming' && view.markdown) {
    view.markdown.finish();
    view.markdown = undefined;
  }
  view.footer.replaceChildren(...describeAnswer(m.info as AnswerInfo | undefined, m.state).map((line) => el('span', { class: line.cls }, line.text)));
  view.errorBox.replaceChildren();
  if (m.state === 'error' && m.error) {
    const alert = el('div', { class: 'error', role: 'alert' });
    alert.append(el('strong', {}, `${m.error.kind} error`), document.createTextNode(`: ${m.error.message}`));
    const actions = el('div', { class: 'error-actions' });
    for (const action of m.error.actions) {
      const label = action === 'openSettings' ? 'Open Settings' : action === 'retry' ? 'Retry' : 'Show Log';
      const b = el('button', { type: 'button', class: 'secondary' }, label);
      b.addEventListener('click', () => post(action === 'retry' ? { type: 'retry' } : action === 'openSettings' ? { type: 'openSettings' } : { type: 'showLog' }));
      actions.append(b);
    }
    alert.append(actions);
    view.errorBox.append(alert);
  }
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
  if (!input.value && state.draft) {
    input.value = state.draft;
    ui = { ...ui, draft: state.draft };
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
const pending = new Map<string, { text: string; reasoning: string }>();
let frameRequested = false;
function scheduleFrame(): void {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(flushFrame);
}
function flushFrame(): void {
  frameRequested = false;
  for (const [id, p] of pending) {
    const v = views.get(id);
    if (!v) continue;
    if (p.text) {
      if (!v.markdown) v.markdown = new StreamingMarkdown(v.body, hooks);
      v.markdown.append(p.text);
    }
    if (p.reasoning && v.reasoning && v.thinking) {
      v.reasoning.append(p.reasoning);
      v.thinking.hidden = false;
    }
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
      if (v) updateMeta(v, change.message);
      renderBusy();
      return;
    }
    case 'replaced': {
      const v = views.get(change.message.id);
      if (v) {
        fillText(v, change.message);
        updateMeta(v, change.message);
      }
      renderBusy();
      return;
    }
    case 'appended': {
      const p = pending.get(change.message.id) ?? { text: '', reasoning: '' };
      p.text += change.text;
      p.reasoning += change.reasoning;
      pending.set(change.message.id, p);
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
