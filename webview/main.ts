// The chat webview: renders what the host sends, posts what the user does. Runs untrusted model output,
// so it never builds HTML from strings: every node is created with the DOM API and text goes in textContent.
import { PROTOCOL_VERSION, parseHostMessage, type HostToWebview, type ViewState, type WebviewToHost } from '../src/protocol/messages';
import { getVsCodeApi } from './vscodeApi';

/** UI-only state that survives hiding and reloading the view (the host keeps the conversation). */
interface UiState {
  draft: string;
}

const api = getVsCodeApi<UiState>();
const post = (message: WebviewToHost): void => api.postMessage(message);

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, string>> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) if (value !== undefined) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

const app = document.getElementById('app')!;
const problemsBox = el('section', { class: 'problems', role: 'status', 'aria-label': 'Settings problems', hidden: '' });
const transcript = el('div', { class: 'transcript', role: 'log', 'aria-label': 'Conversation', 'aria-live': 'polite' });
const composer = el('form', { class: 'composer', 'aria-label': 'Compose' });
const input = el('textarea', { 'aria-label': 'Message', placeholder: 'Ask anything', rows: '2' });
const send = el('button', { type: 'submit', disabled: '' }, 'Send');
const hint = el('div', { class: 'hint', id: 'composer-hint' }, 'Chat with a model is not available in this build yet.');
input.setAttribute('aria-describedby', 'composer-hint');
composer.append(input, send);
app.append(problemsBox, transcript, composer, hint);

input.value = api.getState()?.draft ?? '';
input.addEventListener('input', () => api.setState({ draft: input.value }));
composer.addEventListener('submit', (e) => e.preventDefault());

function renderProblems(problems: string[]): void {
  if (problems.length === 0) {
    problemsBox.hidden = true;
    problemsBox.replaceChildren();
    return;
  }
  const list = el('ul');
  for (const p of problems) list.append(el('li', {}, p));
  const open = el('button', { type: 'button' }, 'Open Settings');
  open.addEventListener('click', () => post({ type: 'openSettings' }));
  problemsBox.replaceChildren(el('strong', {}, problems.length === 1 ? 'A setting needs attention' : `${problems.length} settings need attention`), list, open);
  problemsBox.hidden = false;
}

function render(state: ViewState): void {
  renderProblems(state.problems);
  const nodes: Node[] = [];
  if (state.messages.length === 0) {
    const empty = el('div', { class: 'empty-state', 'data-testid': 'empty-conversation' });
    empty.append(el('h2', {}, 'No messages yet'), el('p', {}, 'Your conversation with the configured model appears here.'));
    nodes.push(empty);
  }
  for (const m of state.messages) nodes.push(el('div', { class: 'message', 'data-role': m.role, 'data-id': m.id }, m.text));
  transcript.replaceChildren(...nodes);
  app.removeAttribute('aria-busy');
  document.body.dataset.ready = 'true';
}

function onHostMessage(message: HostToWebview): void {
  switch (message.type) {
    case 'snapshot':
      render(message.state);
      return;
    case 'focusInput':
      input.focus();
      return;
    case 'problems':
      renderProblems(message.problems);
      return;
    case 'protocolMismatch': {
      const banner = el('div', { class: 'banner-error', role: 'alert' }, `This view is out of date (protocol ${message.webviewVersion}, extension ${message.hostVersion}). Reload the window.`);
      app.prepend(banner);
      return;
    }
  }
}

window.addEventListener('message', (event: MessageEvent) => {
  const message = parseHostMessage(event.data);
  if (message) onHostMessage(message);
  else post({ type: 'log', level: 'warn', message: 'ignored a malformed message from the host' });
});
window.addEventListener('error', (event) => post({ type: 'log', level: 'error', message: String(event.message) }));

post({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
