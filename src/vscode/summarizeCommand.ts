// "Switchboard: Summarize Selection": the selection (or, offered, the whole file) is planned against the
// summarize chain's first model (parts, estimate), confirmed when the estimate is above the setting, then
// streamed into the chat view as a new exchange with progress in the view and in a cancellable notification.
import * as vscode from 'vscode';
import { isBrokerError } from '../broker';
import type { ChatSession } from '../chat/chatSession';
import type { ModelRunner } from '../chat/modelRunner';
import { describeEstimate, fencedBlock, lineRange, needsConfirmation, planSummary, selectionLines, SummaryPlanError, type SummaryPlan, type SummarySource } from '../chat/summarize/plan';
import { streamSummary, type SummaryRequests } from '../chat/summarize/streamSummary';
import type { ParsedSettings } from '../config/settingsTypes';
import type { AssistantMessage } from '../protocol/transcript';

export interface SummarizeDeps {
  session: ChatSession;
  runner: ModelRunner;
  settings(): ParsedSettings;
  /** Shows the chat view (the summary streams there). */
  revealChat(): Promise<void>;
  log: vscode.LogOutputChannel;
}

/** The questions the command may ask; replaceable so the integration tests can answer them. */
export interface SummarizeQuestions {
  /** Nothing is selected: summarize the whole file? */
  wholeFile(file: string, lines: number): Thenable<boolean>;
  /** The estimate is above `confirmAboveUsd` (or unknown for a remote model): send anyway? */
  confirmCost(title: string, detail: string): Thenable<boolean>;
}

const WHOLE_FILE = 'Summarize Whole File';
const SUMMARIZE = 'Summarize';

export const DEFAULT_QUESTIONS: SummarizeQuestions = {
  wholeFile: (file, lines) =>
    vscode.window.showInformationMessage(`Switchboard: nothing is selected. Summarize the whole file ${file} (${lines} lines)?`, WHOLE_FILE).then((c) => c === WHOLE_FILE),
  confirmCost: (title, detail) => vscode.window.showWarningMessage(`${title}?`, { modal: true, detail }, SUMMARIZE).then((c) => c === SUMMARIZE),
};

export class SummarizeCommand implements vscode.Disposable {
  static readonly id = 'switchboard.summarizeSelection';
  questions: SummarizeQuestions = DEFAULT_QUESTIONS;
  private readonly registration: vscode.Disposable;

  constructor(private readonly deps: SummarizeDeps) {
    this.registration = vscode.commands.registerCommand(SummarizeCommand.id, () => this.run());
  }

  /** Runs the command on the active editor; resolves with the summary's answer, or undefined when nothing was sent. */
  async run(): Promise<AssistantMessage | undefined> {
    const { session, log } = this.deps;
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('Switchboard: open a file and select what to summarize.');
      return undefined;
    }
    if (session.busy) {
      void vscode.window.showInformationMessage('Switchboard: an answer is still streaming in the chat view; stop it or let it finish, then summarize.');
      return undefined;
    }
    const source = await this.source(editor);
    if (!source) return undefined;
    const plan = this.plan(source);
    if (!plan) return undefined;
    const settings = this.deps.settings().summarize;
    const estimate = describeEstimate(plan.estimate, plan.model.id);
    log.info(`summarize: ${plan.title}: ${plan.chunks.length} part(s), ${plan.parallel} at once, ${estimate}`);
    if (needsConfirmation(plan, settings.confirmAboveUsd)) {
      const why = plan.estimate.costUsd === null ? 'The cost is unknown and the model is remote' : `That is above switchboard.summarize.confirmAboveUsd ($${settings.confirmAboveUsd})`;
      if (!(await this.questions.confirmCost(plan.title, `${capitalize(estimate)}. ${why}.`))) {
        log.info(`summarize: ${plan.title}: not sent (declined at the estimate)`);
        return undefined;
      }
    }
    await this.deps.revealChat();
    return this.stream(plan);
  }

  /** The selection, or the whole file when nothing is selected and the user agrees. */
  private async source(editor: vscode.TextEditor): Promise<SummarySource | undefined> {
    const doc = editor.document;
    const file = vscode.workspace.asRelativePath(doc.uri, false);
    const sel = editor.selection;
    if (sel.isEmpty) {
      if (!doc.getText().trim()) {
        void vscode.window.showInformationMessage(`Switchboard: ${file} is empty; there is nothing to summarize.`);
        return undefined;
      }
      // A file ending with a line break has an empty last line in VS Code's count; it is not a line of the file.
      const lines = doc.lineCount > 1 && doc.lineAt(doc.lineCount - 1).text === '' ? doc.lineCount - 1 : doc.lineCount;
      if (!(await this.questions.wholeFile(file, lines))) return undefined;
      return { file, language: doc.languageId, startLine: 1, endLine: lines, text: doc.getText() };
    }
    const text = doc.getText(sel);
    if (!text.trim()) {
      void vscode.window.showInformationMessage('Switchboard: the selection is only white space; there is nothing to summarize.');
      return undefined;
    }
    return { file, language: doc.languageId, ...selectionLines(sel.start, sel.end), text };
  }

  private plan(source: SummarySource): SummaryPlan | undefined {
    const where = `${source.file}:${lineRange(source)}`;
    try {
      const model = this.deps.runner.chain('summarize')[0];
      return planSummary(source, model, this.deps.settings().summarize);
    } catch (err) {
      const message = err instanceof SummaryPlanError || isBrokerError(err) ? err.message : String(err);
      this.deps.log.warn(`summarize: ${where}: ${message}`);
      void vscode.window.showErrorMessage(`Switchboard: cannot summarize ${where}: ${message}.`, 'Open Settings').then((c) => {
        if (c) void vscode.commands.executeCommand('switchboard.openSettings');
      });
      return undefined;
    }
  }

  /** Streams the summary into the chat; the notification shows the same progress and its Cancel stops it. */
  private stream(plan: SummaryPlan): Thenable<AssistantMessage> {
    const { runner, session } = this.deps;
    // Every request on the summarize purpose, its usage recorded under the conversation it answers in.
    const requests = (conversationId: string): SummaryRequests => ({
      complete: (messages, signal) => runner.complete('summarize', messages, { signal, conversationId }),
      stream: (messages, signal) => runner.stream('summarize', messages, { signal, conversationId }),
    });
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: plan.title, cancellable: true }, async (note, token) => {
      const cancel = token.onCancellationRequested(() => void session.stop());
      try {
        note.report({ message: plan.chunks.length > 1 ? `part 1 of ${plan.chunks.length}` : 'waiting for the model' });
        return await session.runExchange({
          title: plan.title,
          text: exchangeText(plan),
          stream: ({ signal, progress, conversationId }) =>
            streamSummary(plan, requests(conversationId), signal, (text) => {
              progress(text);
              note.report({ message: text });
            }),
        });
      } finally {
        cancel.dispose();
      }
    });
  }

  dispose(): void {
    this.registration.dispose();
  }
}

/** The user's side as the conversation keeps it: the selection itself when it fits one request, for follow-ups. */
function exchangeText(plan: SummaryPlan): string {
  const s = plan.source;
  const head = `Summarize ${s.file}:${lineRange(s)} (${s.language})`;
  if (plan.chunks.length > 1) {
    return `${head}: ${s.endLine - s.startLine + 1} lines, too long to keep in the conversation; summarized in ${plan.chunks.length} parts.`;
  }
  return `${head}.\n\n${fencedBlock(s.text, s.language)}`;
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
