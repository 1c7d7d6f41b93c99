import * as vscode from 'vscode';
import { Emitter } from '../common/event';
import type { ModelConfig } from '../broker';
import { formatProblem, parseSettings, type ParsedSettings, type SettingsProblem } from '../config/parseSettings';

const SECRET_PREFIX = 'switchboard.apiKey.';
const SECRET_IDS_KEY = 'switchboard.secretModelIds';
/** The variable name a stored key is handed to the broker under (never a real environment variable). */
const SECRET_ENV = '__SWITCHBOARD_STORED_KEY__';

/**
 * Reads `switchboard.*` settings, validates them, and re-publishes them whenever they change (no reload).
 * Models and chains are machine-scoped: only the user's own settings count, never a folder's, whatever
 * VS Code's trust state, so a cloned repository cannot send a key to another host.
 * Keys stored with "Set API Key..." live in SecretStorage; they are never logged or sent to the webview.
 */
export class SettingsService implements vscode.Disposable {
  private readonly _onDidChange = new Emitter<ParsedSettings>();
  readonly onDidChange = this._onDidChange.event;
  private readonly disposables: vscode.Disposable[] = [];
  private secrets = new Map<string, string>();
  private current: ParsedSettings;
  private lastNotified = '';

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {
    this.current = this.read();
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('switchboard')) this.refresh();
      }),
      // Another window stored or cleared a key.
      context.secrets.onDidChange((e) => {
        if (e.key.startsWith(SECRET_PREFIX)) void this.loadSecrets().then(() => this.refresh());
      }),
    );
  }

  /** Loads stored keys; call once after construction (SecretStorage is async). */
  async init(): Promise<void> {
    await this.loadSecrets();
    this.refresh();
  }

  get settings(): ParsedSettings {
    return this.current;
  }

  /**
   * The model configs and environment to hand the broker for one request: a stored key wins over `keyEnv`.
   * Each stored key travels only inside this pair, under a per-model name, straight into the request's
   * Authorization header.
   */
  requestChain(models: readonly ModelConfig[]): { chain: ModelConfig[]; env: Record<string, string | undefined> } {
    const env: Record<string, string | undefined> = { ...this.env };
    const chain = models.map((model) => {
      const stored = this.secrets.get(model.id);
      if (!stored) return model;
      const name = `${SECRET_ENV}${model.id}`;
      env[name] = stored;
      return { ...model, keyEnv: name };
    });
    return { chain, env };
  }

  /** `requestChain` for a single model. */
  requestConfig(model: ModelConfig): { model: ModelConfig; env: Record<string, string | undefined> } {
    const { chain, env } = this.requestChain([model]);
    return { model: chain[0], env };
  }

  hasStoredKey(modelId: string): boolean {
    return this.secrets.has(modelId);
  }

  async storeKey(modelId: string, key: string): Promise<void> {
    await this.context.secrets.store(SECRET_PREFIX + modelId, key);
    this.secrets.set(modelId, key);
    await this.saveSecretIds();
    this.log.info(`a key was stored for model "${modelId}"`);
    this.refresh();
  }

  async clearKey(modelId: string): Promise<void> {
    await this.context.secrets.delete(SECRET_PREFIX + modelId);
    this.secrets.delete(modelId);
    await this.saveSecretIds();
    this.log.info(`the stored key of model "${modelId}" was cleared`);
    this.refresh();
  }

  /** Ids with a stored key, for the "Clear API Key..." picker. */
  storedKeyIds(): string[] {
    return [...this.secrets.keys()];
  }

  private async loadSecrets(): Promise<void> {
    // SecretStorage cannot list its keys, so the ids (never the keys) are kept in global state.
    const ids = this.context.globalState.get<string[]>(SECRET_IDS_KEY, []);
    const next = new Map<string, string>();
    for (const id of ids) {
      const key = await this.context.secrets.get(SECRET_PREFIX + id);
      if (key) next.set(id, key);
    }
    this.secrets = next;
  }

  private async saveSecretIds(): Promise<void> {
    await this.context.globalState.update(SECRET_IDS_KEY, [...this.secrets.keys()]);
  }

  private read(): ParsedSettings {
    const c = vscode.workspace.getConfiguration('switchboard');
    // Machine-scoped: the user's value (or the default), never a workspace's.
    const userOnly = (key: string) => {
      const i = c.inspect(key);
      return i?.globalValue ?? i?.defaultValue;
    };
    return parseSettings(
      {
        models: userOnly('models'),
        chains: userOnly('chains'),
        budgetDaily: c.get('budget.daily'),
        budgetMonthly: c.get('budget.monthly'),
        statusBarPeriod: c.get('statusBar.period'),
        keepFailedRequests: c.get('log.keepFailedRequests'),
      },
      this.env,
      new Set(this.secrets.keys()),
    );
  }

  private refresh(): void {
    const next = this.read();
    this.current = next;
    // Reports each distinct set of problems once (log + one notification), not on every change event.
    this.report(next.problems);
    this._onDidChange.fire(next);
  }

  private report(problems: SettingsProblem[]): void {
    const key = problemKey(problems);
    if (key === this.lastNotified) return;
    this.lastNotified = key;
    if (problems.length === 0) {
      this.log.info('settings: no problems');
      return;
    }
    for (const p of problems) this.log[p.severity === 'error' ? 'error' : 'warn'](`settings: ${formatProblem(p)}`);
    const first = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    void vscode.window
      .showWarningMessage(`Switchboard settings: ${first.path}: ${first.message}${more}.`, 'Open Settings', 'Show Log')
      .then((choice) => {
        if (choice === 'Open Settings') void vscode.commands.executeCommand('switchboard.openSettings');
        else if (choice === 'Show Log') this.log.show(true);
      });
  }

  dispose(): void {
    this._onDidChange.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function problemKey(problems: SettingsProblem[]): string {
  return JSON.stringify(problems.map((p) => [p.severity, p.path, p.message]));
}
