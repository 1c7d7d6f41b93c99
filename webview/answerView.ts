// One transcript message on screen. An answer's parts are drawn in order: a collapsed "Thinking" section per
// reasoning part, markdown per text part (streamed while the answer streams), a card per tool call, notices.
// Streamed deltas are folded in exactly as the store folds them (appendDelta's rule), so the parts on screen
// always match the parts in the state.
import type { AnswerPart, AssistantMessage, CompactionMessage, ToolCallPart, TranscriptMessage } from '../src/protocol/transcript';
import { formatAnswerCost } from '../src/usage/format';
import { describeAnswer, int } from './answerInfo';
import { el } from './dom';
import { StreamingMarkdown, renderMarkdown, type MarkdownHooks } from './markdown';
import { ToolCallView, type ToolCardActions } from './toolCallView';

type PartView =
  | { kind: 'text'; step: number; body: HTMLElement; markdown?: StreamingMarkdown }
  | { kind: 'reasoning'; step: number; details: HTMLDetailsElement; body: HTMLElement }
  | { kind: 'toolCall'; step: number; card: ToolCallView }
  | { kind: 'notice'; step: number; node: HTMLElement };

export interface ViewActions extends ToolCardActions {
  markdown: MarkdownHooks;
  /** An error's action button was pressed. */
  onErrorAction(action: 'openSettings' | 'retry' | 'showLog'): void;
  /** Undo on a compaction card. */
  undoCompaction(id: string): void;
}

export class MessageView {
  readonly root: HTMLElement;
  private readonly partsBox: HTMLElement;
  private readonly footer: HTMLElement;
  private readonly errorBox: HTMLElement;
  private parts: PartView[] = [];
  private streaming = false;

  constructor(m: TranscriptMessage, private readonly actions: ViewActions) {
    this.root = el('article', { class: 'message', 'data-role': m.role, 'data-id': m.id, 'aria-label': m.role === 'user' ? 'You' : 'Answer' });
    this.partsBox = el('div', { class: 'parts' });
    this.footer = el('div', { class: 'meta' });
    this.errorBox = el('div', { class: 'error-box' });
    if (m.role === 'user') {
      this.partsBox.className = 'body';
      this.partsBox.textContent = m.text;
      if (m.title !== undefined) {
        // An exchange a command started: its title, with what was sent folded away.
        const sent = el('details', { class: 'sent' });
        sent.append(el('summary', {}, 'What was sent'), this.partsBox);
        this.root.append(el('h3', { class: 'exchange-title' }, m.title), sent);
        return;
      }
      this.root.append(this.partsBox);
      return;
    }
    if (m.role === 'compaction') {
      this.root.setAttribute('aria-label', 'Compaction');
      this.root.setAttribute('role', 'group');
      this.root.append(this.partsBox);
      this.renderCompaction(m);
      return;
    }
    this.root.append(this.partsBox, this.errorBox, this.footer);
    this.render(m);
  }

  /** A compaction's card: what it saved, by which model, at what cost; the summary; Undo. */
  renderCompaction(m: CompactionMessage): void {
    this.root.dataset.state = m.state;
    const head = el('p', { class: 'compaction-head' });
    const n = m.covers.length;
    if (m.state === 'running') head.textContent = `Compacting ${n} earlier messages to save context…`;
    else if (m.state === 'failed') head.textContent = `Compaction failed (${m.error ?? 'unknown error'}): the full history is sent.`;
    else {
      const cost = formatAnswerCost(m.costNanos, m.costUnknown);
      const tokens = `${int.format(m.tokensBefore)} → ${m.tokensAfter === null ? '?' : int.format(m.tokensAfter)} tokens`;
      head.textContent = `${m.state === 'undone' ? 'Compaction undone: the full history is sent again. It had compacted' : 'Compacted'} ${n} earlier messages${m.reason === 'threshold' ? ' (the conversation neared the context window)' : ''}: ${tokens} · ${m.modelId ?? 'unknown model'} · ${cost}`;
    }
    const nodes: Node[] = [head];
    if (m.summary) {
      const details = el('details', { class: 'compaction-summary' });
      details.append(el('summary', {}, 'Summary'), el('div', { class: 'compaction-text' }, m.summary));
      nodes.push(details);
    }
    if (m.state === 'done') {
      const undo = el('button', { type: 'button', class: 'secondary' }, 'Undo');
      undo.addEventListener('click', () => this.actions.undoCompaction(m.id));
      nodes.push(undo);
    }
    this.partsBox.replaceChildren(...nodes);
  }

  /** Draws the answer again from scratch (first render, or after missed deltas). */
  render(m: AssistantMessage): void {
    this.partsBox.replaceChildren();
    this.parts = [];
    this.streaming = m.state === 'streaming';
    for (const p of m.parts) this.addPart(p, true);
    this.update(m);
  }

  /** Applies a state change: new tool calls and notices, changed cards, state, info, error. Streamed text stays. */
  update(m: AssistantMessage): void {
    m.parts.forEach((p, i) => {
      const v = this.parts[i];
      if (!v) this.addPart(p, true);
      else if (v.kind === 'toolCall' && p.kind === 'toolCall') v.card.update(p);
    });
    this.streaming = m.state === 'streaming';
    if (this.streaming) this.root.setAttribute('aria-busy', 'true');
    else this.root.removeAttribute('aria-busy');
    this.root.dataset.state = m.state;
    if (!this.streaming) {
      for (const v of this.parts) {
        if (v.kind === 'text' && v.markdown) {
          v.markdown.finish();
          v.markdown = undefined;
        }
      }
    }
    const lines = describeAnswer(m.info, m.state).map((line) => el('span', { class: line.cls }, line.text));
    if (this.streaming && m.progress) lines.unshift(el('span', { class: 'meta-progress', role: 'status' }, m.progress));
    this.footer.replaceChildren(...lines);
    this.renderError(m);
  }

  /** Folds a streamed delta in (same rule as appendDelta: reasoning, then text; same kind and step appends). */
  append(step: number, text: string, reasoning: string): void {
    if (reasoning) {
      const last = this.parts[this.parts.length - 1];
      if (last && last.kind === 'reasoning' && last.step === step) {
        last.body.append(reasoning);
        last.details.hidden = false;
      } else this.addPart({ kind: 'reasoning', step, text: reasoning }, false);
    }
    if (text) {
      const last = this.parts[this.parts.length - 1];
      if (last && last.kind === 'text' && last.step === step) {
        if (!last.markdown) last.markdown = new StreamingMarkdown(last.body, this.actions.markdown);
        last.markdown.append(text);
      } else this.addPart({ kind: 'text', step, text }, false);
    }
  }

  private addPart(p: AnswerPart, whole: boolean): void {
    switch (p.kind) {
      case 'text': {
        const body = el('div', { class: 'body' });
        const v: PartView = { kind: 'text', step: p.step, body };
        if (this.streaming || !whole) {
          v.markdown = new StreamingMarkdown(body, this.actions.markdown);
          if (p.text) v.markdown.append(p.text);
        } else {
          renderMarkdown(body, p.text, this.actions.markdown);
        }
        this.parts.push(v);
        this.partsBox.append(body);
        return;
      }
      case 'reasoning': {
        const details = el('details', { class: 'thinking' }) as HTMLDetailsElement;
        const body = el('div', { class: 'reasoning' });
        body.textContent = p.text;
        details.append(el('summary', {}, 'Thinking'), body);
        this.parts.push({ kind: 'reasoning', step: p.step, details, body });
        this.partsBox.append(details);
        return;
      }
      case 'toolCall': {
        const card = new ToolCallView(p as ToolCallPart, this.actions);
        this.parts.push({ kind: 'toolCall', step: p.step, card });
        this.partsBox.append(card.root);
        return;
      }
      case 'notice': {
        const node = el('p', { class: 'notice', role: 'note' }, p.text);
        this.parts.push({ kind: 'notice', step: p.step, node });
        this.partsBox.append(node);
        return;
      }
    }
  }

  private renderError(m: AssistantMessage): void {
    this.errorBox.replaceChildren();
    if (m.state !== 'error' || !m.error) return;
    const alert = el('div', { class: 'error', role: 'alert' });
    alert.append(el('strong', {}, `${m.error.kind} error`), document.createTextNode(`: ${m.error.message}`));
    const buttons = el('div', { class: 'error-actions' });
    for (const action of m.error.actions) {
      const label = action === 'openSettings' ? 'Open Settings' : action === 'retry' ? 'Retry' : 'Show Log';
      const b = el('button', { type: 'button', class: 'secondary' }, label);
      b.addEventListener('click', () => this.actions.onErrorAction(action));
      buttons.append(b);
    }
    alert.append(buttons);
    this.errorBox.append(alert);
  }
}
