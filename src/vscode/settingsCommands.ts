import * as vscode from 'vscode';
import { checkConnection, describeRoute, formatReports, type ConnectionReport } from '../config/connectionCheck';
import { defaultIncludeUsageMemory, type NetworkSettings } from '../broker';
import type { ModelRunner } from '../chat/modelRunner';
import type { SettingsService } from './settingsService';

/** Registers Set/Clear API Key, Test Connection and Open Settings. */
export function registerSettingsCommands(context: vscode.ExtensionContext, settings: SettingsService, runner: ModelRunner, log: vscode.LogOutputChannel, network: () => NetworkSettings = () => ({})): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('switchboard.openSettings', () =>
      vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${context.extension.id}`),
    ),

    vscode.commands.registerCommand('switchboard.setApiKey', async (modelIdArg?: string, keyArg?: string) => {
      const ids = Object.keys(settings.settings.models);
      const modelId = modelIdArg ?? (await vscode.window.showQuickPick(
        ids.map((id) => ({ label: id, description: settings.settings.models[id].endpoint, detail: settings.hasStoredKey(id) ? 'has a stored key (it will be replaced)' : undefined })),
        { title: 'Switchboard: Set API Key', placeHolder: 'The model whose key to store' },
      ))?.label;
      if (!modelId) return false;
      if (!ids.includes(modelId)) {
        void vscode.window.showErrorMessage(`Switchboard: there is no model "${modelId}" in switchboard.models.`);
        return false;
      }
      const key = keyArg ?? (await vscode.window.showInputBox({
        title: `Switchboard: API key for "${modelId}"`,
        prompt: 'Stored in VS Code\'s secret storage; it wins over the model\'s keyEnv variable. It is never shown or logged.',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() === '' ? 'The key cannot be empty' : /\s/.test(v.trim()) ? 'A key has no spaces' : undefined),
      }));
      if (!key) return false;
      await settings.storeKey(modelId, key.trim());
      void vscode.window.showInformationMessage(`Switchboard: the key for "${modelId}" is stored.`);
      return true;
    }),

    vscode.commands.registerCommand('switchboard.clearApiKey', async (modelIdArg?: string) => {
      const stored = settings.storedKeyIds();
      if (!modelIdArg && stored.length === 0) {
        void vscode.window.showInformationMessage('Switchboard: no API key is stored.');
        return false;
      }
      const modelId = modelIdArg ?? (await vscode.window.showQuickPick(stored, { title: 'Switchboard: Clear API Key', placeHolder: 'The model whose stored key to delete' }));
      if (!modelId || !settings.hasStoredKey(modelId)) return false;
      await settings.clearKey(modelId);
      void vscode.window.showInformationMessage(`Switchboard: the stored key for "${modelId}" is deleted.`);
      return true;
    }),

    vscode.commands.registerCommand('switchboard.testConnection', async (options?: { silent?: boolean }): Promise<ConnectionReport[]> => {
      const models = Object.values(settings.settings.models);
      if (models.length === 0) {
        void vscode.window.showErrorMessage('Switchboard: no usable model is configured.', 'Open Settings').then((c) => c && vscode.commands.executeCommand('switchboard.openSettings'));
        return [];
      }
      const reports = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Switchboard: testing connections', cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          const sub = token.onCancellationRequested(() => abort.abort());
          const out: ConnectionReport[] = [];
          try {
            for (const m of models) {
              if (abort.signal.aborted) break;
              progress.report({ message: m.id, increment: 100 / models.length });
              try {
                // Through the runner: the check's own spend is recorded like any other request, under category probe.
                const r = await checkConnection(m, { runner, resolveKey: settings.resolveKey, network: network(), signal: abort.signal, includeUsageMemory: defaultIncludeUsageMemory });
                out.push(r);
                log.info(`connection check ${m.id}: ${r.ok ? 'reachable' : `${r.error?.kind}: ${r.error?.message}`}; first token ${r.ttftMs ?? '-'} ms; usage ${r.usageArrived ? `${r.usage?.totalTokens} tokens (category probe)` : 'none'}; stream_options ${r.streamOptionsDropped ? 'dropped' : 'kept'}; ${describeRoute(r.route)}`);
              } catch {
                break; // cancelled
              }
            }
          } finally {
            sub.dispose();
          }
          return out;
        },
      );
      if (reports.length && !options?.silent) {
        const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: formatReports(reports) });
        await vscode.window.showTextDocument(doc, { preview: true });
        const bad = reports.filter((r) => !r.ok).length;
        void vscode.window.showInformationMessage(bad ? `Switchboard: ${bad} of ${reports.length} models failed the check.` : `Switchboard: all ${reports.length} models answered.`);
      }
      return reports;
    }),
  );
}
