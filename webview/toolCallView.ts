// A tool call's card inside an answer: which tool, with which arguments, how risky (and why, in words), what
// this answer has cost so far, and, while it waits, the buttons that decide it. A destructive command's
// Approve asks a second time. After the decision the card keeps its outcome, live output and exit code.
import type { ToolCallPart } from '../src/protocol/transcript';
import { formatAnswerCost } from '../src/usage/format';
import { formatUsd } from '../src/usage/money';
import { el } from './dom';
import { renderMarkdown, type MarkdownHooks } from './markdown';
import { describeAnswer } from './answerInfo';

export interface ToolCardActions {
  markdown: MarkdownHooks;
  decide(callId: string, decision: 'approve' | 'reject' | 'alwaysAllow' | 'runInTerminal', extra?: { confirmed?: boolean; reason?: string }): void;
  showDiff(callId: string): void;
}

const STATE_LABEL: Record<ToolCallPart['state'], string> = {
  proposed: 'checking', pending: 'waiting for your decision', approved: 'approved', rejected: 'rejected', running: 'running', done: 'done', failed: 'failed',
};
const RISK_LABEL = { safe: 'Safe', unsure: 'Unsure', destructive: 'Destructive' } as const;

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
  private readonly state = el('span', { class: 'tool-call-state' });
  private readonly body = el('div', { class: 'tool-call-body' });
  private readonly actions = el('div', { class: 'tool-call-actions' });
  private readonly output = el('pre', { class: 'tool-call-output', 'aria-label': 'Output' });
  private readonly subtask = el('details', { class: 'tool-call-subtask' }) as HTMLDetailsElement;
  private subtaskKey = '';
  private readonly outcome = el('div', { class: 'tool-call-outcome' });
  /** The card body is rebuilt only when what it shows changed (not for each chunk of output). */
  private shownKey = '';
  private actionsKey = '';
  private confirming = false;

  constructor(private part: ToolCallPart, private readonly cb: ToolCardActions) {
    this.root = el('section', { class: 'tool-call', role: 'group', 'aria-label': `Tool call: ${part.name}` });
    const head = el('div', { class: 'tool-call-head' });
    head.append(el('span', { class: 'tool-call-name' }, part.name), this.state);
    this.subtask.hidden = true;
    this.root.append(head, this.body, this.actions, this.subtask, this.output, this.outcome);
    this.update(part);
  }

  update(part: ToolCallPart): void {
    this.part = part;
    this.root.dataset.state = part.state;
    if (part.card) this.root.dataset.risk = part.card.risk.level;
    this.state.textContent = STATE_LABEL[part.state];
    const key = JSON.stringify([part.card, part.arguments]);
    if (key !== this.shownKey) {
      this.shownKey = key;
      this.renderBody();
    }
    const actionsKey = `${part.state}|${this.confirming}|${part.card?.needsSecondConfirm}`;
    if (actionsKey !== this.actionsKey) {
      this.actionsKey = actionsKey;
      this.renderActions();
    }
    this.renderSubtask(part);
    const out = part.output ?? '';
    if (this.output.textContent !== out) this.output.textContent = out;
    this.output.hidden = out === '';
    const ended = part.exitCode !== undefined && part.exitCode !== null ? ` (exit code ${part.exitCode})` : '';
    this.outcome.textContent = part.outcome ? `${part.outcome}${ended && !part.outcome.includes('exit code') ? ended : ''}` : '';
    this.outcome.hidden = !part.outcome;
  }

  private renderBody(): void {
    const { card } = this.part;
    const nodes: Node[] = [];
    if (!card) {
      nodes.push(el('pre', { class: 'tool-call-args' }, formatArguments(this.part.arguments)));
      this.body.replaceChildren(...nodes);
      return;
    }
    nodes.push(el('p', { class: 'tool-call-summary' }, card.summary));
    if (card.delegate) {
      const d = card.delegate;
      nodes.push(el('p', { class: 'tool-call-delegate' }, `Runs on the "${d.chain}" chain, with a budget of ${formatUsd(d.budgetNanos)}.`));
      const task = el('div', { class: 'tool-call-task', 'aria-label': 'Task' });
      renderMarkdown(task, d.task + (d.context ? `\n\n**Context:**\n\n${d.context}` : ''), this.cb.markdown);
      nodes.push(task);
    } else if (card.command !== undefined) {
      const cmd = el('div', { class: 'tool-call-command' });
      renderMarkdown(cmd, `\`\`\`bash\n${card.command}\n\`\`\``, this.cb.markdown);
      nodes.push(cmd);
    } else {
      const details = el('details', { class: 'tool-call-arguments' });
      details.append(el('summary', {}, 'Arguments'), el('pre', { class: 'tool-call-args' }, formatArguments(this.part.arguments)));
      nodes.push(details);
    }
    const risk = el('p', { class: 'tool-call-risk' });
    risk.append(el('strong', {}, `${RISK_LABEL[card.risk.level]}`), document.createTextNode(card.risk.reasons.length ? `: ${card.risk.reasons.join('; ')}` : ''));
    nodes.push(risk);
    const probe = card.risk.probe;
    if (probe) {
      const cost = probe.costNanos === null ? 'cost unknown' : formatUsd(probe.costNanos);
      nodes.push(el('p', { class: 'tool-call-probe' }, `Probe${probe.modelId ? ` (${probe.modelId})` : ''}: ${probe.answer.toUpperCase()} · ${cost}${probe.cached ? ' · cached' : ''}`));
    }
    if (card.diff) {
      const diff = el('pre', { class: 'tool-call-diff', 'aria-label': 'Proposed change' });
      for (const line of card.diff.split('\n')) {
        const cls = line.startsWith('+') && !line.startsWith('+++') ? 'add' : line.startsWith('-') && !line.startsWith('---') ? 'del' : line.startsWith('@@') ? 'hunk' : undefined;
        diff.append(el('span', { class: cls }, `${line}\n`));
      }
      const open = el('button', { type: 'button', class: 'secondary' }, 'Open Diff');
      open.addEventListener('click', () => this.cb.showDiff(this.part.id));
      nodes.push(diff, open);
    }
    nodes.push(el('p', { class: 'tool-call-cost' }, `This answer so far: ${formatAnswerCost(card.turnCostNanos, card.turnCostUnknown)}`));
    if (card.policy) nodes.push(el('p', { class: 'tool-call-policy' }, card.policy));
    this.body.replaceChildren(...nodes);
  }

  /** A delegated subtask's own answer: nested, collapsible, open while it runs. */
  private renderSubtask(part: ToolCallPart): void {
    const sub = part.subtask;
    if (!sub) {
      this.subtask.hidden = true;
      return;
    }
    const key = JSON.stringify([sub.state, sub.parts.length, sub.parts.at(-1), sub.info.costNanos, sub.stoppedAtBudget]);
    if (key === this.subtaskKey) return;
    const wasOpen = this.subtaskKey === '' || this.subtask.open;
    this.subtaskKey = key;
    this.subtask.hidden = false;
    const summary = el('summary', {}, sub.state === 'streaming' ? 'Subtask (running…)' : `Subtask (${sub.stoppedAtBudget ? 'stopped at its budget' : sub.state})`);
    const body = el('div', { class: 'tool-call-subtask-body', 'aria-label': 'Subtask answer' });
    const text = sub.parts.filter((p) => p.kind === 'text').map((p) => (p as { text: string }).text).join('\n\n');
    renderMarkdown(body, text || '…', this.cb.markdown);
    for (const p of sub.parts) if (p.kind === 'toolCall') body.append(el('p', { class: 'tool-call-subtask-call' }, `${p.name}: ${p.outcome ?? p.state}`));
    const meta = el('div', { class: 'meta' });
    for (const line of describeAnswer(sub.info, sub.state)) meta.append(el('span', { class: line.cls }, line.text));
    this.subtask.replaceChildren(summary, body, meta);
    this.subtask.open = sub.state === 'streaming' || wasOpen;
  }

  private renderActions(): void {
    const part = this.part;
    if (part.state !== 'pending' || !part.card) {
      this.confirming = false;
      this.actions.replaceChildren();
      this.actions.hidden = true;
      return;
    }
    this.actions.hidden = false;
    const card = part.card;
    const button = (label: string, cls: string, onClick: () => void) => {
      const b = el('button', { type: 'button', class: cls }, label);
      b.addEventListener('click', onClick);
      return b;
    };
    if (this.confirming) {
      const why = card.risk.reasons.join('; ') || 'it can destroy data';
      const confirm = el('div', { class: 'tool-call-confirm', role: 'alert' });
      confirm.append(
        el('p', {}, `This command can destroy data or change your system: ${why}. Run it anyway?`),
        button('Run Anyway', 'danger', () => this.cb.decide(part.id, 'approve', { confirmed: true })),
        button('Cancel', 'secondary', () => {
          this.confirming = false;
          this.update(this.part);
        }),
      );
      this.actions.replaceChildren(confirm);
      confirm.querySelector('button')?.focus();
      return;
    }
    const reason = el('input', { type: 'text', class: 'tool-call-reason', 'aria-label': 'Reason for rejecting (optional, sent to the model)', placeholder: 'Reason for rejecting (optional)' });
    const row = el('div', { class: 'tool-call-buttons' });
    row.append(
      button('Approve', card.needsSecondConfirm ? 'danger' : '', () => {
        if (card.needsSecondConfirm) {
          this.confirming = true;
          this.update(this.part);
        } else this.cb.decide(part.id, 'approve');
      }),
      button('Reject', 'secondary', () => this.cb.decide(part.id, 'reject', { reason: reason.value })),
    );
    if (card.allowPrefix && !card.needsSecondConfirm) {
      row.append(button(`Always allow "${card.allowPrefix}"`, 'secondary', () => this.cb.decide(part.id, 'alwaysAllow')));
    }
    if (card.command !== undefined) row.append(button('Run in Terminal', 'secondary', () => this.cb.decide(part.id, 'runInTerminal')));
    this.actions.replaceChildren(row, reason);
  }
}
