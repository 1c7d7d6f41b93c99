import * as vscode from 'vscode';
import { join } from 'node:path';
import { closeRoutes } from './broker';
import { ChatSession } from './chat/chatSession';
import { ModelRunner } from './chat/modelRunner';
import { SUMMARY_MAX_TOKENS } from './chat/compaction';
import { fetchImageAsDataUrl } from './chat/fetchImage';
import { formatProblem } from './config/parseSettings';
import { PROTOCOL_VERSION, type ChainChoice } from './protocol/messages';
import { createBrokerLogSink } from './vscode/brokerLog';
import { NetworkSettingsReader } from './vscode/networkSettings';
import { ChatViewProvider } from './vscode/chatViewProvider';
import { FileConversationStore } from './vscode/conversationStore';
import { JsonFileStore } from './vscode/fileStore';
import { createToolHost } from './vscode/toolHost';
import { initSafety } from './safety';
import { registerSettingsCommands } from './vscode/settingsCommands';
import { SettingsService } from './vscode/settingsService';
import { SummarizeCommand } from './vscode/summarizeCommand';
import type { UsageSink } from './chat/recordUsage';
import { fencedBlock, lineRange, selectionLines } from './chat/summarize/plan';
import { UsageLedger } from './usage/ledger';
import { registerUsageCommands } from './vscode/usageCommands';
import { notifyUsageWriteFailure, UsageStatusBar } from './vscode/usageStatusBar';

/** What activate() returns: used by the integration tests, and by nobody else. */
export interface SwitchboardApi {
  readonly log: vscode.LogOutputChannel;
  readonly chatView: ChatViewProvider;
  readonly session: ChatSession;
  readonly runner: ModelRunner;
  readonly tools: ReturnType<typeof createToolHost>;
  readonly settings: SettingsService;
  readonly ledger: UsageLedger;
  readonly statusBar: UsageStatusBar;
  readonly network: NetworkSettingsReader;
  readonly summarize: SummarizeCommand;
  readonly protocolVersion: number;
}

const SELECTED_CHAIN_KEY = 'switchboard.selectedChain';
/** The chat purpose's chain, whatever its name (`switchboard.purposes.chat`). */
const CHAT_CHAIN = 'purpose:chat';

/** The one composition root: every long-lived object is created here and handed to context.subscriptions. */
export async function activate(context: vscode.ExtensionContext): Promise<SwitchboardApi> {
  const started = performance.now();
  const sinceStart = () => `${(performance.now() - started).toFixed(1)} ms`;
  const log = vscode.window.createOutputChannel('Switchboard', { log: true });
  context.subscriptions.push(log);
  log.info(`Switchboard ${context.extension.packageJSON.version} activated in VS Code ${vscode.version}`);

  const settings = new SettingsService(context, log);
  context.subscriptions.push(settings);
  const brokerLog = createBrokerLogSink(log, context.logUri, () => settings.settings.keepFailedRequests);
  const network = new NetworkSettingsReader();
  context.subscriptions.push(network, { dispose: () => void closeRoutes() });

  // Usage: one shared log for every window, in global storage. Activation does not wait for the history:
  // the status bar shows at once and fills in when it has been read.
  const ledger = UsageLedger.create({
    path: join(context.globalStorageUri.fsPath, 'usage.jsonl'),
    sessionId: vscode.env.sessionId,
    warn: (m) => log.warn(`usage: ${m}`),
    onWriteFailure: (m) => notifyUsageWriteFailure(m, log),
  });
  context.subscriptions.push(ledger);
  const statusBar = new UsageStatusBar(ledger, () => settings.settings, context.globalState);
  void ledger.load().then(() => log.info(`usage: history read, totals shown ${sinceStart()} after activation began`));
  context.subscriptions.push(statusBar, settings.onDidChange(() => statusBar.update()));
  const recordToLedger: UsageSink = (entry, extra) => {
    void ledger.record(entry, extra);
  };
  registerUsageCommands(context, ledger, log);

  // The one way to call a model, for every purpose: chains, usage categories, keys, and the spinner.
  const runner = new ModelRunner({
    settings: () => settings.settings,
    resolveKey: settings.resolveKey,
    record: recordToLedger,
    log: brokerLog,
    // The network of the moment: VS Code's http.* proxy settings and the environment's proxy variables.
    brokerOptions: () => ({ network: network.current, env: process.env }),
  });
  const spinning: (() => void)[] = [];
  context.subscriptions.push(
    runner,
    runner.onDidChangeActivity((n) => {
      while (spinning.length < n) spinning.push(statusBar.begin());
      while (spinning.length > n) spinning.pop()?.();
    }),
  );

  const selectedChain = () => {
    const id = context.workspaceState.get<string>(SELECTED_CHAIN_KEY, CHAT_CHAIN);
    const s = settings.settings;
    if (id.startsWith('model:') && !s.models[id.slice(6)]) return CHAT_CHAIN;
    if (id.startsWith('chain:') && (!s.chains[id.slice(6)] || id.slice(6) === s.purposes.chat)) return CHAT_CHAIN;
    return id;
  };
  const chainChoices = (): ChainChoice[] => {
    const s = settings.settings;
    const label = (name: string) => {
      const ids = s.chains[name] ?? [];
      return `${name === s.purposes.chat ? 'Chat chain' : `Chain ${name}`} (${ids.length ? ids.join(' → ') : 'empty'})`;
    };
    return [
      { id: CHAT_CHAIN, label: label(s.purposes.chat) },
      ...Object.keys(s.chains).filter((n) => n !== s.purposes.chat).map((n) => ({ id: `chain:${n}`, label: label(n) })),
      ...Object.keys(s.models).map((id) => ({ id: `model:${id}`, label: id })),
    ];
  };

  // Tools: the coordinator decides on each call (cards, rules, budget, the probe); the safety parser loads once.
  void initSafety({ wasmDir: join(context.extensionUri.fsPath, 'dist') }).catch((err: unknown) => {
    log.error(`safety: the shell parser could not load, so every command is "unsure": ${String(err)}`);
  });
  const tools = createToolHost(context, () => settings.settings, runner, log);

  /** The models the view's picker chose (a named chain or one model), or undefined for the chat purpose's chain. */
  const chatModels = (): string[] | undefined => {
    const sel = selectedChain();
    const s = settings.settings;
    return sel.startsWith('model:') ? [sel.slice(6)] : sel.startsWith('chain:') ? s.chains[sel.slice(6)] : undefined;
  };
  const conversationStore = () => {
    const dir = join((context.storageUri ?? context.globalStorageUri).fsPath, 'conversations');
    FileConversationStore.sweep(dir);
    return new FileConversationStore(dir, context.workspaceState, (m) => log.warn(m));
  };
  const session = new ChatSession({
    store: conversationStore(),
    // Settings are read per request: a change applies to the next request, never to one in flight.
    stream: (messages, { signal, tools, conversationId }) => runner.stream('chat', messages, { signal, tools, models: chatModels(), conversationId }),
    maxSteps: () => settings.settings.tools.maxSteps,
    tools: tools.coordinator,
    compaction: {
      threshold: () => settings.settings.compaction.threshold,
      estimate: (messages, last) => runner.estimate('chat', messages, last, { models: chatModels() }),
      summarize: async (request, signal, conversationId) => {
        const r = await runner.complete('memory_summarize', request, { signal, maxTokens: SUMMARY_MAX_TOKENS, conversationId });
        return { text: r.text, modelId: r.modelId || null, costNanos: r.costNanos, costUnknown: r.costUnknown };
      },
    },
  });

  const chatView = new ChatViewProvider({
    extensionUri: context.extensionUri,
    log,
    session,
    chainChoices,
    selectedChain,
    selectChain: (id) => void context.workspaceState.update(SELECTED_CHAIN_KEY, id),
    fetchImage: (src) => fetchImageAsDataUrl(src, { network: network.current }),
    tools: { decide: tools.decide, showDiff: tools.showDiff },
    uiStore: new JsonFileStore(join((context.storageUri ?? context.globalStorageUri).fsPath, 'chat-view.json'), (m) => log.warn(m)),
  });
  const showProblems = () => chatView.setProblems(settings.settings.problems.map(formatProblem));
  context.subscriptions.push(
    settings.onDidChange(() => {
      showProblems();
      chatView.refreshHeader();
    }),
    chatView,
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, chatView, {
      webviewOptions: { retainContextWhenHidden: false },
    }),
    vscode.commands.registerCommand('switchboard.openChat', () => chatView.reveal()),
    vscode.commands.registerCommand('switchboard.showLog', () => log.show(true)),
    vscode.commands.registerCommand('switchboard.newChat', () => session.newChat()),
    vscode.commands.registerCommand('switchboard.compactConversation', async () => {
      if (session.busy) {
        void vscode.window.showInformationMessage('Switchboard: wait for the answer to finish (or stop it), then compact.');
        return false;
      }
      const done = await session.compact();
      if (!done) void vscode.window.showInformationMessage('Switchboard: nothing was compacted (the conversation is short, or the summary failed: see its card).');
      return done;
    }),
    vscode.commands.registerCommand('switchboard.stop', () => session.stop()),
    vscode.commands.registerCommand('switchboard.addSelectionToChat', () => addSelectionToChat(chatView)),
    { dispose: () => void session.close() },
  );
  const summarize = new SummarizeCommand({ session, runner, settings: () => settings.settings, revealChat: () => chatView.reveal(), log });
  context.subscriptions.push(summarize);
  registerSettingsCommands(context, settings, runner, log, () => network.current);
  await settings.init();
  showProblems();
  log.info(`activated in ${sinceStart()}`);

  return { log, chatView, session, runner, tools, settings, ledger, statusBar, network, summarize, protocolVersion: PROTOCOL_VERSION };
}

/** "Add Selection to Chat": the selection as a fenced block with its file and line range, into the draft. */
async function addSelectionToChat(chatView: ChatViewProvider): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) {
    void vscode.window.showInformationMessage('Switchboard: select some text first.');
    return;
  }
  const doc = editor.document;
  const sel = editor.selection;
  const text = doc.getText(sel);
  const file = vscode.workspace.asRelativePath(doc.uri, false);
  await chatView.attach(`${file}:${lineRange(selectionLines(sel.start, sel.end))}\n${fencedBlock(text, doc.languageId)}\n`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
