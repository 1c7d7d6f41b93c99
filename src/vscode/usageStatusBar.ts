import * as vscode from 'vscode';
import { DisposableStore } from '../common/disposable';
import type { ParsedSettings } from '../config/parseSettings';
import { NANOS_PER_USD, formatUsd } from '../usage/money';
import { localDayKey, localMonthKey } from '../usage/period';
import { STATUS_BUSY_ICON, STATUS_ICON, statusBarText } from '../usage/format';
import { usageTooltipMarkdown } from '../usage/tooltip';
import type { UsageLedger } from '../usage/ledger';

const NOTIFIED_KEY = 'switchboard.budgetNotified';

/**
 * The cost readout: the configured period's cost in the status bar, a spinner while a request streams, a
 * markdown tooltip with the period's tables, and the warning background (plus one notification per period)
 * when a budget is exceeded.
 */
export class UsageStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables = new DisposableStore();
  private inFlight = 0;
  private rollover: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ledger: UsageLedger,
    private readonly settings: () => ParsedSettings,
    private readonly globalState: vscode.Memento,
  ) {
    this.item = vscode.window.createStatusBarItem('switchboard.cost', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Switchboard Cost';
    this.item.command = 'switchboard.showUsage';
    this.disposables.add(ledger.onDidChange(() => this.update()));
    this.disposables.add(ledger.onDidLoad(() => this.update()));
    this.update();
    this.item.show();
  }

  /** Marks a request as streaming until the returned function is called. */
  begin(): () => void {
    this.inFlight++;
    this.update();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight--;
      this.update();
    };
  }

  /** The item's current text and tooltip (for tests and the breakdown). */
  get text(): string {
    return this.item.text;
  }

  /** True while the item shows the over-budget warning background. */
  get overBudget(): boolean {
    return this.item.backgroundColor !== undefined;
  }

  get tooltip(): string {
    const t = this.item.tooltip;
    return typeof t === 'string' ? t : t?.value ?? '';
  }

  update(): void {
    if (!this.ledger.loaded) {
      // Shown at once at activation; the totals follow when the history has been read.
      this.item.text = `${this.inFlight > 0 ? STATUS_BUSY_ICON : STATUS_ICON} …`;
      this.item.tooltip = 'Switchboard: reading the usage history…';
      this.item.accessibilityInformation = { label: 'Switchboard cost: reading the usage history' };
      return;
    }
    const s = this.settings();
    const summary = this.ledger.summary();
    const period = s.statusBarPeriod;
    this.item.text = statusBarText(summary[period].totals, { busy: this.inFlight > 0 });
    const tooltip = new vscode.MarkdownString(
      usageTooltipMarkdown(summary, period, [
        { title: 'Show usage', uri: 'command:switchboard.showUsage' },
        { title: 'Settings', uri: 'command:switchboard.openSettings' },
      ]),
    );
    // Only our own commands may run from the tooltip's links.
    tooltip.isTrusted = { enabledCommands: ['switchboard.showUsage', 'switchboard.openSettings'] };
    tooltip.supportThemeIcons = true;

    const over: string[] = [];
    const todayNanos = summary.today.totals.knownCostNanos;
    const monthNanos = summary.month.totals.knownCostNanos;
    if (s.budget.daily > 0 && todayNanos > s.budget.daily * NANOS_PER_USD) over.push(`daily:${localDayKey(summary.now)}`);
    if (s.budget.monthly > 0 && monthNanos > s.budget.monthly * NANOS_PER_USD) over.push(`monthly:${localMonthKey(summary.now)}`);
    if (over.length) {
      tooltip.appendMarkdown(`\n\n**Over budget**: today ${formatUsd(todayNanos)}${s.budget.daily ? ` of $${s.budget.daily}` : ''}, this month ${formatUsd(monthNanos)}${s.budget.monthly ? ` of $${s.budget.monthly}` : ''}.`);
    }
    this.item.tooltip = tooltip;
    this.item.backgroundColor = over.length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: `Switchboard cost: ${this.item.text.replace(/\$\([^)]*\)\s*/g, '')}${over.length ? ', over budget' : ''}` };
    this.notifyOnce(over, todayNanos, monthNanos, s);
    this.scheduleRollover(summary.now);
  }

  private notifyOnce(over: string[], todayNanos: number, monthNanos: number, s: ParsedSettings): void {
    const done = new Set(this.globalState.get<string[]>(NOTIFIED_KEY, []));
    const fresh = over.filter((key) => !done.has(key));
    if (fresh.length === 0) return; // the common case on every usage event: no storage write
    for (const key of fresh) {
      done.add(key);
      const daily = key.startsWith('daily');
      const msg = daily
        ? `Switchboard: today's spending (${formatUsd(todayNanos)}) is over your daily budget of $${s.budget.daily}.`
        : `Switchboard: this month's spending (${formatUsd(monthNanos)}) is over your monthly budget of $${s.budget.monthly}.`;
      void vscode.window.showWarningMessage(msg, 'Show Usage', 'Open Settings').then((c) => {
        if (c === 'Show Usage') void vscode.commands.executeCommand('switchboard.showUsage');
        else if (c === 'Open Settings') void vscode.commands.executeCommand('switchboard.openSettings');
      });
    }
    // Keep only recent keys: one per day and month is plenty.
    void this.globalState.update(NOTIFIED_KEY, [...done].slice(-64));
  }

  /** The period changes at local midnight even when nothing is recorded. */
  private scheduleRollover(now: number): void {
    if (this.rollover) clearTimeout(this.rollover);
    const next = new Date(now);
    next.setHours(24, 0, 1, 0);
    this.rollover = setTimeout(() => this.update(), Math.min(next.getTime() - now, 2 ** 31 - 1));
  }

  dispose(): void {
    if (this.rollover) clearTimeout(this.rollover);
    this.disposables.dispose();
    this.item.dispose();
  }
}

/** The user hears once that usage cannot be saved (the log has every occurrence). */
export function notifyUsageWriteFailure(reason: string, log: vscode.LogOutputChannel): void {
  void vscode.window
    .showWarningMessage(`Switchboard: usage cannot be saved to its log (${reason}). It counts in this window, but not after a restart or in other windows.`, 'Show Log')
    .then((choice) => {
      if (choice === 'Show Log') log.show(true);
    });
}
