// A tool call's card inside an answer: which tool, with which arguments, in which state, and how it ended.
import type { ToolCallPart } from '../src/protocol/transcript';
import { el } from './dom';

const STATE_LABEL: Record<ToolCallPart['state'], string> = {
  proposed: 'proposed', pending: 'waiting for a decision', approved: 'approved', rejected: 'rejected', running: 'running', done: 'done', failed: 'failed',
};

/** Pretty-prints JSON arguments; shows them as sent when they are not valid JSON. */
function formatArguments(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export class ToolCallView {
  readonly root: HTMLElement;
  private readonly state: HTMLElement;
  private readonly args: HTMLElement;
  private readonly outcome: HTMLElement;

  constructor(part: ToolCallPart) {
    this.root = el('section', { class: 'tool-call', role: 'group', 'aria-label': `Tool call: ${part.name}` });
    const head = el('div', { class: 'tool-call-head' });
    head.append(el('span', { class: 'tool-call-name' }, part.name));
    this.state = el('span', { class: 'tool-call-state' });
    head.append(this.state);
    this.args = el('pre', { class: 'tool-call-args' });
    this.outcome = el('div', { class: 'tool-call-outcome' });
    this.root.append(head, this.args, this.outcome);
    this.update(part);
  }

  update(part: ToolCallPart): void {
    this.root.dataset.state = part.state;
    this.state.textContent = STATE_LABEL[part.state];
    const args = formatArguments(part.arguments);
    if (this.args.textContent !== args) this.args.textContent = args;
    this.outcome.textContent = part.outcome ?? '';
    this.outcome.hidden = !part.outcome;
  }
}
