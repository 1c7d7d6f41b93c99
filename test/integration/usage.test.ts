import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Usage } from '../../src/broker';
import { activateSwitchboard } from './support';

const usage = (over: Partial<Usage> = {}): Usage => ({
  promptTokens: 1000, completionTokens: 200, totalTokens: 1200, cost: 0.0123, costSource: 'provider', modelId: 'mini', model: 'openai/gpt-4o-mini', category: 'chat', ...over,
});

/** Waits until `check` holds, polling every 5 ms; returns the elapsed milliseconds. */
async function within(ms: number, check: () => boolean, what: string): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return Date.now() - started;
}

suite('usage ledger and status-bar cost readout in the real extension host', () => {
  setup(async () => {
    await vscode.commands.executeCommand('switchboard.resetUsage', { confirmed: true });
    await vscode.workspace.getConfiguration('switchboard').update('budget.daily', undefined, vscode.ConfigurationTarget.Global);
  });

  test('a recorded usage moves the status bar within 100 ms and fills the tooltip tables', async () => {
    const api = await activateSwitchboard();
    await within(2000, () => api.statusBar.text === '$(pulse) $0.00', 'the status bar reads $0.00 after a reset');
    const started = Date.now();
    void api.ledger.record(usage());
    const elapsed = await within(100, () => api.statusBar.text === '$(pulse) $0.0123', `status bar is "${api.statusBar.text}"`);
    console.log(`    status bar updated ${elapsed} ms after the usage was recorded (${Date.now() - started} ms total)`);
    const tip = api.statusBar.tooltip;
    // Markdown-escaped: "\$0\.0123" renders as $0.0123.
    assert.match(tip, /\| mini \| 1 \| 1,000 \| 200 \| \\\$0\\\.0123 \|/);
    assert.match(tip, /\| chat \| 1 \|/);
    assert.match(tip, /command:switchboard\.showUsage/);
  });

  test('a local model without a price makes the readout "+ unknown", never $0', async () => {
    const api = await activateSwitchboard();
    await api.ledger.record(usage());
    await api.ledger.record(usage({ modelId: 'local', model: 'qwen', cost: null, costSource: 'unknown' }));
    await within(1000, () => api.statusBar.text === '$(pulse) $0.0123 + unknown', `status bar is "${api.statusBar.text}"`);
    assert.match(api.statusBar.tooltip, /\| local \| 1 \| 1,000 \| 200 \| unknown \|/);
  });

  test('only unknown costs read as a token count', async () => {
    const api = await activateSwitchboard();
    await api.ledger.record(usage({ modelId: 'local', cost: null, costSource: 'unknown', totalTokens: 12_345 }));
    await within(1000, () => api.statusBar.text === '$(pulse) 12.3k tok', `status bar is "${api.statusBar.text}"`);
  });

  test('exceeding the daily budget turns the item to the warning background', async () => {
    const api = await activateSwitchboard();
    await vscode.workspace.getConfiguration('switchboard').update('budget.daily', 0.01, vscode.ConfigurationTarget.Global);
    await api.ledger.record(usage());
    await within(2000, () => api.statusBar.overBudget, 'the over-budget background');
    await vscode.workspace.getConfiguration('switchboard').update('budget.daily', 1, vscode.ConfigurationTarget.Global);
    await within(2000, () => !api.statusBar.overBudget, 'the background clears under a higher budget');
  });

  test('Export Usage writes every raw record as CSV or JSON', async () => {
    const api = await activateSwitchboard();
    await api.ledger.record(usage());
    await api.ledger.record(usage({ modelId: 'local', cost: null, costSource: 'unknown', category: 'summarize' }));
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-export-'));
    const csv = await vscode.commands.executeCommand<vscode.Uri>('switchboard.exportUsage', vscode.Uri.file(join(dir, 'u.csv')));
    const lines = readFileSync(csv.fsPath, 'utf8').trim().split(/\r?\n/);
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.match(lines[0], /model/i);
    const json = await vscode.commands.executeCommand<vscode.Uri>('switchboard.exportUsage', vscode.Uri.file(join(dir, 'u.json')));
    const records = JSON.parse(readFileSync(json.fsPath, 'utf8'));
    assert.deepEqual(records.map((r: { modelId: string; costNanos: number | null }) => [r.modelId, r.costNanos]), [['mini', 12_300_000], ['local', null]]);
  });

  test('Reset keeps the old log as a backup and starts from zero', async () => {
    const api = await activateSwitchboard();
    await api.ledger.record(usage());
    const backup = await vscode.commands.executeCommand<string>('switchboard.resetUsage', { confirmed: true });
    assert.ok(backup && existsSync(backup), `backup at ${backup}`);
    assert.match(readFileSync(backup, 'utf8'), /"modelId":"mini"/);
    await within(2000, () => api.statusBar.text === '$(pulse) $0.00', `status bar is "${api.statusBar.text}"`);
  });

  test('Show Usage renders the breakdown by period, model, category and day', async () => {
    const api = await activateSwitchboard();
    await api.ledger.record(usage());
    const md = await vscode.commands.executeCommand<string>('switchboard.showUsage');
    assert.match(md, /# Switchboard usage/);
    assert.match(md, /\| today \| 1 \| 1\\\.2k tok \| \\\$0\\\.0123 \|/);
    assert.match(md, /## Last 30 days/);
    assert.equal((md.match(/^\| \d{4}-\d{2}-\d{2} \|/gm) ?? []).length, 30);
  });
});
