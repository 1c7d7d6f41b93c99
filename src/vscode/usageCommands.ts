import * as vscode from 'vscode';
import { toCsv, toJson, writeExport, type ExportFormat } from '../usage/export';
import { describe } from '../usage/logFs';
import type { UsageLedger } from '../usage/ledger';
import { usageReportMarkdown } from '../usage/report';

const SCHEME = 'switchboard-usage';
const REPORT_URI = vscode.Uri.from({ scheme: SCHEME, path: '/Switchboard Usage.md' });

/** Show Usage (a live markdown preview), Export Usage... (CSV or JSON of the raw records), Reset Usage... */
export function registerUsageCommands(context: vscode.ExtensionContext, ledger: UsageLedger, log: vscode.LogOutputChannel): void {
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const provider: vscode.TextDocumentContentProvider = {
    onDidChange: changed.event,
    // Opened before the history is read, the report waits for it rather than showing partial totals.
    provideTextDocumentContent: async () => {
      await ledger.load();
      return usageReportMarkdown(ledger.summary());
    },
  };
  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, provider),
    // The open report follows new records from every window.
    ledger.onDidChange(() => changed.fire(REPORT_URI)),

    vscode.commands.registerCommand('switchboard.showUsage', async () => {
      try {
        await vscode.commands.executeCommand('markdown.showPreview', REPORT_URI);
      } catch {
        // Without the markdown extension: the markdown source is still readable.
        const doc = await vscode.workspace.openTextDocument(REPORT_URI);
        await vscode.window.showTextDocument(doc, { preview: true });
      }
      return usageReportMarkdown(ledger.summary());
    }),

    vscode.commands.registerCommand('switchboard.exportUsage', async (target?: vscode.Uri) => {
      const uri = target ?? (await vscode.window.showSaveDialog({
        title: 'Switchboard: Export Usage',
        defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? context.globalStorageUri, `switchboard-usage-${new Date().toISOString().slice(0, 10)}.csv`),
        filters: { 'CSV': ['csv'], 'JSON': ['json'] },
      }));
      if (!uri) return undefined;
      const format = uri.path.toLowerCase().endsWith('.json') ? 'json' : 'csv';
      let count: number;
      try {
        count = await exportTo(uri, format, ledger);
      } catch (err) {
        // The log is untouched; only the export failed.
        const message = `could not export usage to ${uri.toString(true)}: ${describe(err)}`;
        log.error(message);
        void vscode.window.showErrorMessage(`Switchboard: ${message}`);
        return undefined;
      }
      log.info(`exported ${count} usage records to ${uri.toString(true)}`);
      if (!target) void vscode.window.showInformationMessage(`Switchboard: exported ${count} usage records.`);
      return uri;
    }),

    vscode.commands.registerCommand('switchboard.resetUsage', async (options?: { confirmed?: boolean }) => {
      if (!options?.confirmed) {
        const choice = await vscode.window.showWarningMessage(
          'Reset Switchboard usage? Totals start from zero in every window. The current log is kept as a backup file.',
          { modal: true },
          'Reset',
        );
        if (choice !== 'Reset') return undefined;
      }
      const backup = await ledger.reset();
      log.info(`usage was reset${backup ? `; the previous log is kept at ${backup}` : ''}`);
      if (!options?.confirmed) void vscode.window.showInformationMessage(`Switchboard: usage reset.${backup ? ' The previous log is kept as a backup.' : ''}`);
      return backup;
    }),
  );
}

async function exportTo(uri: vscode.Uri, format: ExportFormat, ledger: UsageLedger): Promise<number> {
  // Streamed from the log to the file: a long history is never held whole.
  if (uri.scheme === 'file') return writeExport(uri.fsPath, format, ledger.history());
  const records = [];
  for await (const r of ledger.history()) records.push(r);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(format === 'json' ? toJson(records) : toCsv(records)));
  return records.length;
}
