import * as vscode from 'vscode';
import { ChatViewProvider } from './vscode/chatViewProvider';
import { createCostStatusBar } from './vscode/statusBar';
import { SettingsService } from './vscode/settingsService';
import { registerSettingsCommands } from './vscode/settingsCommands';
import { formatProblem } from './config/parseSettings';
import { PROTOCOL_VERSION } from './protocol/messages';

/** What activate() returns: used by the integration tests, and by nobody else. */
export interface SwitchboardApi {
  readonly log: vscode.LogOutputChannel;
  readonly chatView: ChatViewProvider;
  readonly settings: SettingsService;
  readonly protocolVersion: number;
}

/** The one composition root: every long-lived object is created here and handed to context.subscriptions. */
export async function activate(context: vscode.ExtensionContext): Promise<SwitchboardApi> {
  const log = vscode.window.createOutputChannel('Switchboard', { log: true });
  context.subscriptions.push(log);
  log.info(`Switchboard ${context.extension.packageJSON.version} activated in VS Code ${vscode.version}`);

  const settings = new SettingsService(context, log);
  const chatView = new ChatViewProvider(context.extensionUri, log);
  const showProblems = () => chatView.setProblems(settings.settings.problems.map(formatProblem));
  context.subscriptions.push(
    settings,
    settings.onDidChange(showProblems),
    chatView,
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, chatView, {
      webviewOptions: { retainContextWhenHidden: false },
    }),
    vscode.commands.registerCommand('switchboard.openChat', () => chatView.reveal()),
    vscode.commands.registerCommand('switchboard.showLog', () => log.show(true)),
    createCostStatusBar(),
  );
  registerSettingsCommands(context, settings, log);
  await settings.init();
  showProblems();

  return { log, chatView, settings, protocolVersion: PROTOCOL_VERSION };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
