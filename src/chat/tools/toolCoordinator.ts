// Pure: decides on each tool call the model makes, and runs it. Computes what the card says before anything
// runs (the risk from the safety layer, the probe's verdict, the diff, the turn's cost), then either
// auto-approves (a read-only tool on the list, a command every part of which an allow rule covers) or waits for
// the user. Deny rules always win; destructive commands always ask, with a second confirmation; once the
// turn's cost passes the budget, everything asks. The turn loop knows none of this: it sees a ToolHook.
import type { ToolSpec } from '../../broker';
import type { SubtaskView, ToolCard, ToolRisk } from '../../protocol/transcript';
import { DELEGATE_SPEC, DELEGATE_TOOL, validateDelegateArgs } from '../delegation';
import { evaluateRules, type CommandRules, type ProbeResult } from '../../safety';
import { formatAnswerCost } from '../../usage/format';
import { formatUsd, usdToNanos } from '../../usage/money';
import type { ToolCallContext, ToolCallOutcome, ToolCallRequest, ToolHook } from '../toolHook';
import type { PendingDecisions, UserDecision } from './decisions';
import type { ToolArgs, WorkspacePath } from './types';

export interface ToolSettings {
  /** `switchboard.tools.enabled`, and the chat model's own opt-out. */
  enabled: boolean;
  /** Tool names approved without asking (`switchboard.tools.autoApprove`). */
  autoApprove: readonly string[];
  /** USD per turn; past it every call asks (`switchboard.tools.autoApproveBudget`). */
  autoApproveBudgetUsd: number;
  /** The user's own command rules (never a repository's). */
  rules: CommandRules;
  /** `switchboard.safety.llmProbe`. */
  llmProbe: boolean;
}

/** A call whose arguments were validated and whose paths were confined: ready to show, then to run. */
export interface PreparedCall {
  args: ToolArgs;
  paths: WorkspacePath[];
  /** Where a command runs (absolute). */
  cwd?: string;
  /** Unified diff of an edit or write. */
  diff?: string;
  /** Whether a write replaces an existing file. */
  overwrites?: boolean;
  /** For write_file and edit_file: the file's content after the change (for the diff editor). */
  proposed?: { absolute: string; content: string };
}

export interface RunReport {
  ok: boolean;
  /** What the model is told. */
  result: string;
  /** For the card: "exit code 1", "read 40 lines", "edited src/a.ts". */
  outcome: string;
  exitCode?: number | null;
}

/** Validates, confines and runs calls (real files and processes; the extension adds VS Code's edits and terminals). */
export interface ToolExecutor {
  specs(): ToolSpec[];
  validate(name: string, args: Record<string, unknown>): { ok: true; args: ToolArgs } | { ok: false; error: string };
  prepare(args: ToolArgs): Promise<{ ok: true; call: PreparedCall } | { ok: false; error: string }>;
  run(call: PreparedCall, ctx: { signal: AbortSignal; onOutput(text: string): void }): Promise<RunReport>;
  runInTerminal(call: PreparedCall): void;
  /** Workspace folders, for the classifier's "outside the workspace". */
  roots(): string[];
}

/** Delegated subtasks (`delegate_task`): on when `switchboard.delegate.enabled`. */
export interface DelegateDeps {
  enabled(): boolean;
  /** The chain the `delegate` purpose runs on, for the card. */
  chain(): string;
  budgetUsd(): number;
  /** Runs the subtask (see delegation.ts), reporting its answer as it streams. */
  run(task: string, context: string | undefined, ctx: { signal: AbortSignal; budgetNanos: number; conversationId?: string; onUpdate(sub: SubtaskView): void }): Promise<{ view: SubtaskView; text: string }>;
}

export interface CoordinatorDeps {
  settings(): ToolSettings;
  executor: ToolExecutor;
  decisions: PendingDecisions;
  /** The probe for `unsure` commands (the model runner on the probe purpose, cached per command). */
  probe?(command: string, signal: AbortSignal): Promise<ProbeResult>;
  /** Adds an allow rule to the user's own rules. */
  addAllowRule(prefix: string): Promise<void>;
  /** How often live command output is published (ms). */
  outputIntervalMs?: number;
  delegate?: DelegateDeps;
}

const READ_ONLY = new Set(['read_file', 'list_files', 'search_text']);

export class ToolCoordinator implements ToolHook {
  /** Prepared calls by call id, for the diff editor (the most recent ones). */
  private readonly prepared = new Map<string, PreparedCall>();

  constructor(private readonly deps: CoordinatorDeps) {}

  /** The prepared call with this id (while it is among the last 100), e.g. to open its diff. */
  preparedCall(callId: string): PreparedCall | undefined {
    return this.prepared.get(callId);
  }

  specs(): ToolSpec[] {
    if (!this.deps.settings().enabled) return [];
    return this.deps.delegate?.enabled() ? [...this.deps.executor.specs(), DELEGATE_SPEC] : this.deps.executor.specs();
  }

  async handle(call: ToolCallRequest, ctx: ToolCallContext): Promise<ToolCallOutcome> {
    const { executor } = this.deps;
    const settings = this.deps.settings();
    if (!settings.enabled) return refused('tools are turned off (switchboard.tools.enabled)');
    if (call.name === DELEGATE_TOOL) return this.delegate(call, ctx);
    const valid = executor.validate(call.name, call.args);
    if (!valid.ok) return failed(valid.error);
    const prepared = await executor.prepare(valid.args);
    if (!prepared.ok) return failed(prepared.error);
    const p = prepared.call;
    this.prepared.set(call.id, p);
    if (this.prepared.size > 100) this.prepared.delete(this.prepared.keys().next().value as string);

    const card = await this.describe(p, settings, ctx);
    if (card.auto) {
      ctx.update({ state: 'approved', card: card.card, outcome: `auto-approved: ${card.auto}` });
      return this.run(p, ctx, `auto-approved: ${card.auto}`);
    }
    ctx.update({ state: 'pending', card: card.card });
    for (;;) {
      const d: UserDecision = await this.deps.decisions.wait(call.id, ctx.signal);
      switch (d.kind) {
        case 'reject':
          return rejection(d, 'tool call', 'Do not repeat it unchanged.');
        case 'approve':
          // A destructive command needs the card's second confirmation; a bare Approve keeps it pending.
          if (card.card.needsSecondConfirm && !d.confirmed) continue;
          ctx.update({ state: 'approved', outcome: card.card.needsSecondConfirm ? 'approved by you after a second confirmation' : 'approved by you' });
          return this.run(p, ctx, card.card.needsSecondConfirm ? 'approved by you after a second confirmation' : 'approved by you');
        case 'alwaysAllow': {
          // Never a way around the second confirmation, and only for commands with a prefix to allow.
          if (card.card.needsSecondConfirm || !card.card.allowPrefix) continue;
          await this.deps.addAllowRule(card.card.allowPrefix);
          const how = `approved by you; "${card.card.allowPrefix}" is now always allowed`;
          ctx.update({ state: 'approved', outcome: how });
          return this.run(p, ctx, how);
        }
        case 'runInTerminal':
          if (p.args.tool !== 'run_command') continue;
          executor.runInTerminal(p);
          return {
            state: 'done',
            outcome: 'run in a terminal by you',
            result: 'The user ran this command in a VS Code terminal; its output is not available to you. Ask the user for the part you need.',
          };
      }
    }
  }

  /** A delegation always asks; approved, the subtask streams into the card and its answer is the result. */
  private async delegate(call: ToolCallRequest, ctx: ToolCallContext): Promise<ToolCallOutcome> {
    const d = this.deps.delegate;
    if (!d?.enabled()) return refused('delegation is turned off (switchboard.delegate.enabled)');
    const args = validateDelegateArgs(call.args);
    if (!args.ok) return failed(args.error);
    const budgetNanos = usdToNanos(d.budgetUsd()) ?? 0;
    const cost = ctx.turnCost();
    const chain = d.chain();
    const card: ToolCard = {
      summary: `Delegate: ${args.task.split('\n')[0].slice(0, 120)}`,
      paths: [],
      risk: { level: 'unsure', reasons: [`runs the "${chain}" chain (purpose delegate) with a fresh context and the read-only tools; it spends money`] },
      turnCostNanos: cost.nanos,
      turnCostUnknown: cost.unknown,
      needsSecondConfirm: false,
      policy: `delegations always ask; the subtask stops at ${formatUsd(budgetNanos)} (switchboard.delegate.budgetUsd)`,
      delegate: { task: args.task, context: args.context, chain, budgetNanos },
    };
    ctx.update({ state: 'pending', card });
    for (;;) {
      const decision = await this.deps.decisions.wait(call.id, ctx.signal);
      if (decision.kind === 'reject') {
        return rejection(decision, 'delegation', 'Do the work yourself or ask the user.');
      }
      if (decision.kind === 'approve') break;
    }
    ctx.update({ state: 'running', outcome: 'approved by you' });
    let timer: ReturnType<typeof setTimeout> | undefined;
    let latest: SubtaskView | undefined;
    const r = await d.run(args.task, args.context, {
      signal: ctx.signal,
      budgetNanos,
      conversationId: call.conversationId,
      onUpdate: (sub) => {
        latest = sub;
        timer ??= setTimeout(() => {
          timer = undefined;
          if (latest) ctx.update({ subtask: latest });
        }, this.deps.outputIntervalMs ?? 100);
      },
    });
    if (timer !== undefined) clearTimeout(timer);
    const sub = r.view;
    ctx.update({ subtask: sub });
    ctx.addSubtaskCost(sub.info.costNanos, sub.info.costUnknown || !sub.info.usage);
    const spent = formatAnswerCost(sub.info.costNanos, sub.info.costUnknown || !sub.info.usage);
    if (sub.state === 'error') {
      return { state: 'failed', outcome: `approved by you; the subtask failed (${spent})`, result: `Error: the subtask failed: ${r.text ? `it had written: ${r.text}` : 'it produced nothing'}` };
    }
    if (sub.state === 'stopped' && !sub.stoppedAtBudget) {
      return { state: 'failed', outcome: `approved by you; stopped (${spent})`, result: 'The subtask was stopped before it finished.' };
    }
    const note = sub.stoppedAtBudget ? `\n\n[The subtask stopped when its cost passed its budget of ${formatUsd(budgetNanos)}; this is what it had.]` : '';
    return {
      state: 'done',
      outcome: `approved by you; the subtask ${sub.stoppedAtBudget ? 'stopped at its budget' : 'finished'} (${spent})`,
      result: `${r.text || '(the subtask gave no answer)'}${note}`,
    };
  }

  /** What the card says, and whether the call may run without asking (and by which rule). */
  private async describe(p: PreparedCall, s: ToolSettings, ctx: ToolCallContext): Promise<{ card: ToolCard; auto?: string }> {
    const cost = ctx.turnCost();
    const budgetNanos = usdToNanos(s.autoApproveBudgetUsd) ?? 0;
    const overBudget = cost.nanos > budgetNanos;
    const paused = `auto-approval paused: this turn has cost ${formatUsd(cost.nanos)}, over the ${formatUsd(budgetNanos)} budget (switchboard.tools.autoApproveBudget)`;
    const base = { paths: p.paths.map((x) => x.relative), turnCostNanos: cost.nanos, turnCostUnknown: cost.unknown, needsSecondConfirm: false };
    const args = p.args;

    if (args.tool === 'run_command') {
      const ev = evaluateRules(args.command, s.rules, { cwd: p.cwd, workspaceRoots: this.deps.executor.roots() });
      const risk: ToolRisk = { level: ev.classification.verdict, reasons: [...ev.classification.reasons] };
      const cwdShown = p.paths[0]?.relative || 'the workspace folder';
      const card: ToolCard = { ...base, summary: `Run in ${cwdShown}`, command: args.command, risk, allowPrefix: ev.suggestedPrefix, policy: ev.reason };
      if (risk.level === 'unsure' && s.llmProbe && this.deps.probe) {
        ctx.update({ state: 'proposed', card: { ...card, policy: 'asking the probe model whether this command is destructive…' } });
        const pr = await this.deps.probe(args.command, ctx.signal);
        risk.probe = { answer: pr.probe.answer, modelId: pr.probe.modelId, costNanos: pr.probe.cost === null ? null : usdToNanos(pr.probe.cost) ?? null, cached: pr.probe.cached };
        if (pr.verdict === 'destructive') {
          risk.level = 'destructive';
          risk.reasons.push(pr.probe.answer === 'yes' ? 'the probe model says it can destroy data or change the system' : `the probe model gave no clear NO (${pr.probe.answer})`);
        }
      }
      if (risk.level === 'destructive') {
        return { card: { ...card, risk, needsSecondConfirm: true, allowPrefix: undefined, policy: 'destructive commands always ask, with a second confirmation' } };
      }
      if (ev.deniedBy) return { card: { ...card, risk, policy: `matches your deny rule "${ev.deniedBy}": it always asks` } };
      if (ev.autoApprove) {
        if (overBudget) return { card: { ...card, risk, policy: paused } };
        const rules = [...new Set(ev.subCommands.map((c) => c.allowedBy).filter((r): r is string => !!r))];
        return { card: { ...card, risk, policy: `allowed by your rule${rules.length > 1 ? 's' : ''} ${rules.map((r) => `"${r}"`).join(', ')}` }, auto: `allowed by your rule${rules.length > 1 ? 's' : ''} ${rules.map((r) => `"${r}"`).join(', ')}` };
      }
      return { card: { ...card, risk } };
    }

    const path = base.paths[0] ?? '';
    let summary: string;
    let risk: ToolRisk;
    switch (args.tool) {
      case 'read_file':
        summary = `Read ${path}${args.startLine || args.endLine ? `, lines ${args.startLine ?? 1}-${args.endLine ?? 'end'}` : ''}`;
        risk = { level: 'safe', reasons: ['reads a file in the workspace'] };
        break;
      case 'list_files':
        summary = `List files matching ${args.glob}`;
        risk = { level: 'safe', reasons: ['lists files in the workspace'] };
        break;
      case 'search_text':
        summary = `Search for "${args.query}"${args.glob ? ` in ${args.glob}` : ''}`;
        risk = { level: 'safe', reasons: ['searches the workspace'] };
        break;
      case 'write_file':
        summary = `${p.overwrites ? 'Replace' : 'Create'} ${path}`;
        risk = { level: 'unsure', reasons: [p.overwrites ? 'replaces the whole file (Undo in the editor restores it)' : 'creates a new file'] };
        break;
      case 'edit_file':
        summary = `Edit ${path}`;
        risk = { level: 'unsure', reasons: ['changes the file (Undo in the editor restores it)'] };
        break;
    }
    const card: ToolCard = { ...base, summary, diff: p.diff, risk, policy: '' };
    if (s.autoApprove.includes(args.tool)) {
      if (overBudget) return { card: { ...card, policy: paused } };
      const why = READ_ONLY.has(args.tool) ? `read-only tool "${args.tool}" (switchboard.tools.autoApprove)` : `"${args.tool}" is in switchboard.tools.autoApprove`;
      return { card: { ...card, policy: why }, auto: why };
    }
    return { card: { ...card, policy: `"${args.tool}" asks first (not in switchboard.tools.autoApprove)` } };
  }

  private async run(p: PreparedCall, ctx: ToolCallContext, decidedBy: string): Promise<ToolCallOutcome> {
    ctx.update({ state: 'running' });
    let output = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const publish = () => {
      timer = undefined;
      ctx.update({ output });
    };
    const report = await this.deps.executor.run(p, {
      signal: ctx.signal,
      onOutput: (text) => {
        output = text;
        if (timer === undefined) timer = setTimeout(publish, this.deps.outputIntervalMs ?? 100);
      },
    });
    if (timer !== undefined) clearTimeout(timer);
    ctx.update({ output: output || undefined, exitCode: report.exitCode });
    return { state: report.ok ? 'done' : 'failed', outcome: `${decidedBy}; ${report.outcome}`, result: report.result };
  }
}

/** A Reject on the card (with the user's reason for the model), or a Stop / closing window ("not run"). */
function rejection(d: Extract<UserDecision, { kind: 'reject' }>, what: string, advice: string): ToolCallOutcome {
  const reason = d.reason?.trim();
  if (d.aborted) return { state: 'rejected', outcome: `not run: ${reason}`, result: `The ${what} was not run: ${reason}.` };
  return {
    state: 'rejected',
    outcome: reason ? `rejected: ${reason}` : 'rejected by you',
    result: `The user rejected this ${what}${reason ? `, saying: ${reason}` : ''}. ${advice}`,
  };
}

/** A call that could not run, with why, for the card and for the model. */
export function failed(error: string): ToolCallOutcome {
  return { state: 'failed', outcome: `not run: ${error}`, result: `Error: ${error}` };
}

function refused(why: string): ToolCallOutcome {
  return { state: 'rejected', outcome: `rejected: ${why}`, result: `The tool call was rejected: ${why}. Answer without tools.` };
}
