import * as vscode from 'vscode';

/**
 * The cost readout in the status bar. Until the usage ledger exists it only says where Switchboard is and
 * opens the log; its id stays stable so users' hide/show choices survive later versions.
 */
export function createCostStatusBar(): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('switchboard.cost', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Switchboard Cost';
  item.text = '$(pulse) Switchboard';
  item.tooltip = 'Switchboard: the cost of your answers will show here. Click to show the log.';
  item.command = 'switchboard.showLog';
  item.show();
  return item;
}
