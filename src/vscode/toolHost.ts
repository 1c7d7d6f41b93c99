import * as vscode from 'vscode';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { ModelRunner } from '../chat/modelRunner';
import { PendingDecisions, type UserDecision } from '../chat/tools/decisions';
import { createToolExecutor, type EditPlan } from '../chat/tools/executor';
import { excludeMatcher } from '../chat/tools/glob';
import { nodeFileSystem } from '../chat/tools/nodeFileSystem';
import { ToolCoordinator, type ToolSettings } from '../chat/tools/toolCoordinator';
import type { ToolFileSystem } from '../chat/tools/types';
import type { ParsedSettings } from '../config/settingsTypes';
import { SafetyProbe } from '../safety';
import { runSubtask } from '../chat/delegation';
import { readOnlyHook } from '../chat/tools/readOnlyHook';
import { REJECT_ALL_TOOLS } from '../chat/toolHook';
import type { AssistantMessage, SubtaskView } from '../protocol/transcript';

const PROPOSED_SCHEME = 'switchboard-proposed';

/**
 * The tools' VS Code side: the workspace folders and `files.exclude`, file reads that see unsaved editor
 * text, edits applied as a WorkspaceEdit (so Undo works), VS Code's own ripgrep, terminals, the diff editor,
 * the probe on the model runner, and "Always allow" written to the user's own settings.
 */
export function createToolHost(context: vscode.ExtensionContext, settings: () => ParsedSettings, runner: ModelRunner, log: vscode.LogOutputChannel) {
  const decisions = new PendingDecisions();
  const proposed = new Map<string, string>();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, { provideTextDocumentContent: (uri) => proposed.get(uri.toString()) ?? '' }),
  );

  // The probe: one per window, so answers are cached for the session.
  const probe = new SafetyProbe(async (q, o) => {
    const r = await runner.complete('probe', [{ role: 'system', content: q.system }, { role: 'user', content: q.user }], { maxTokens: o.maxTokens, timeoutMs: o.timeoutMs, signal: o.signal });
    return { text: r.text, modelId: r.modelId || null, cost: r.cost };
  });

  // `files.exclude` read and compiled once per folder (again after a change), not for every path a walk visits.
  const matchers = new Map<string, (relative: string) => boolean>();
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('files.exclude')) matchers.clear();
  }));
  const excludeFor = (root: string) => {
    let match = matchers.get(root);
    if (!match) {
      match = excludeMatcher(vscode.workspace.getConfiguration('files', vscode.Uri.file(root)).get<Record<string, unknown>>('exclude'));
      matchers.set(root, match);
    }
    return match;
  };

  const executor = createToolExecutor({
    roots: () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    fs: editorAwareFs(),
    exclude: (relative, root) => excludeFor(root)(relative),
    rgPath: findRipgrep(),
    applyPlan: (plan) => applyPlan(plan),
    openTerminal: (command, cwd) => {
      const terminal = vscode.window.createTerminal({ name: 'Switchboard', cwd });
      terminal.show();
      terminal.sendText(command, true);
    },
  });

  const toolSettings = (): ToolSettings => {
    const s = settings();
    const chatModel = s.models[s.chains[s.purposes.chat]?.[0] ?? ''];
    return {
      enabled: s.tools.enabled && chatModel?.tools !== false,
      autoApprove: s.tools.autoApprove,
      autoApproveBudgetUsd: s.tools.autoApproveBudgetUsd,
      rules: s.tools.rules,
      llmProbe: s.safety.llmProbe,
    };
  };

  const subtaskTools = readOnlyHook(executor, () => settings().tools.autoApprove);
  const coordinator = new ToolCoordinator({
    settings: toolSettings,
    executor,
    decisions,
    delegate: {
      enabled: () => settings().delegate.enabled,
      chain: () => settings().purposes.delegate,
      budgetUsd: () => settings().delegate.budgetUsd,
      run: async (task, context, ctx) => {
        const view = (a: AssistantMessage, stoppedAtBudget = false): SubtaskView => ({ parts: structuredClone(a.parts), info: structuredClone(a.info), state: a.state, stoppedAtBudget });
        const r = await runSubtask(task, context, {
          stream: (messages, o) => runner.stream('delegate', messages, { ...o, conversationId: ctx.conversationId }),
          tools: settings().tools.enabled ? subtaskTools : REJECT_ALL_TOOLS,
          budgetNanos: ctx.budgetNanos,
          maxSteps: settings().tools.maxSteps,
          newId: () => `sub-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
          now: Date.now,
          onUpdate: (a) => ctx.onUpdate(view(a)),
        }, ctx.signal);
        return { view: view(r.answer, r.stoppedAtBudget), text: r.text };
      },
    },
    probe: (command, signal) => probe.check(command, signal),
    addAllowRule: async (prefix) => {
      const config = vscode.workspace.getConfiguration('switchboard.tools');
      const current = config.inspect<{ allow?: string[]; deny?: string[] }>('commandRules')?.globalValue ?? {};
      const allow = [...(current.allow ?? [])];
      if (!allow.includes(prefix)) allow.push(prefix);
      // The user's own settings: never a folder's, which the repository's author controls.
      await config.update('commandRules', { ...current, allow }, vscode.ConfigurationTarget.Global);
      log.info(`tools: "${prefix}" added to the allow rules`);
    },
  });

  async function showDiff(_messageId: string, callId: string): Promise<void> {
    const p = coordinator.preparedCall(callId);
    if (!p?.proposed) {
      void vscode.window.showInformationMessage('Switchboard: this change is no longer available to compare.');
      return;
    }
    const right = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: p.proposed.absolute, query: callId });
    proposed.set(right.toString(), p.proposed.content);
    const left = existsSync(p.proposed.absolute) ? vscode.Uri.file(p.proposed.absolute) : vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: p.proposed.absolute, query: 'empty' });
    await vscode.commands.executeCommand('vscode.diff', left, right, `${vscode.workspace.asRelativePath(p.proposed.absolute)} (proposed by the model)`);
  }

  return {
    coordinator,
    decide: (callId: string, d: UserDecision) => decisions.decide(callId, d),
    showDiff,
  };
}

/** Reads see the editor's unsaved text, so a read after an edit the user has not saved is right. */
function editorAwareFs(): ToolFileSystem {
  return {
    ...nodeFileSystem,
    readFile: async (path) => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === path);
      if (doc?.isDirty) return new TextEncoder().encode(doc.getText());
      return nodeFileSystem.readFile(path);
    },
  };
}

/**
 * Applies a write or edit as one WorkspaceEdit: Undo in the editor reverts it. A file that was saved before
 * is saved again (so commands see the change); a file with unsaved changes stays unsaved.
 */
async function applyPlan(plan: EditPlan): Promise<void> {
  const uri = vscode.Uri.file(plan.path.absolute);
  const edit = new vscode.WorkspaceEdit();
  let wasDirty = false;
  if (plan.existed) {
    const doc = await vscode.workspace.openTextDocument(uri);
    wasDirty = doc.isDirty;
    edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), plan.newContent);
  } else {
    edit.createFile(uri, { ignoreIfExists: false, contents: new TextEncoder().encode(plan.newContent) });
  }
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused the edit of ${vscode.workspace.asRelativePath(uri)}`);
  if (plan.existed && !wasDirty) {
    const doc = await vscode.workspace.openTextDocument(uri);
    await doc.save();
  }
}

/** VS Code ships ripgrep; use it when it is there (a plain scan otherwise). */
function findRipgrep(): string | undefined {
  const names = process.platform === 'win32' ? ['rg.exe'] : ['rg'];
  for (const base of [join(vscode.env.appRoot, 'node_modules', '@vscode', 'ripgrep', 'bin'), join(vscode.env.appRoot, 'node_modules.asar.unpacked', '@vscode', 'ripgrep', 'bin')]) {
    for (const n of names) if (existsSync(join(base, n))) return join(base, n);
  }
  return undefined;
}
