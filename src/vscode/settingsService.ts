import * as vscode from 'vscode';
import { BrokerError } from '../broker';
import { Emitter } from '../common/event';
import { envKeyResolver, type KeyResolver, type ModelConfig } from '../broker';
import { formatProblem, parseSettings, type ParsedSettings, type SettingsProblem } from '../config/parseSettings';
import { StoredKeyOrigins, endpointOrigin } from '../config/keyOrigins';

const SECRET_PREFIX = 'switchboard.apiKey.';
const SECRET_IDS_KEY = 'switchboard.secretModelIds';
const SECRET_ORIGINS_KEY = 'switchboard.secretOrigins';

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
  private readonly origins: StoredKeyOrigins;
  /** (model, origin) pairs the user was already asked about in this window. */
  private readonly asked = new Set<string>();
  private current: ParsedSettings;
  private lastNotified = '';

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {
    this.origins = new StoredKeyOrigins(context.globalState.get<Record<string, string>>(SECRET_ORIGINS_KEY, {}));
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
    this.adoptUnboundKeys();
  }

  get settings(): ParsedSettings {
    return this.current;
  }

  /**
   * Where each request's key comes from: a stored key wins over `keyEnv`, and is sent only to the endpoint
   * origin it was stored for. When a model's endpoint moved to another origin the key is withheld (the
   * request fails with a `config` error saying why) and the user is asked, once, whether to send it there.
   */
  readonly resolveKey: KeyResolver = (model: ModelConfig) => {
    const stored = this.secrets.get(model.id);
    if (!stored) return envKeyResolver(this.env)(model);
    const check = this.origins.check(model.id, model.endpoint);
    if (check.ok) return stored;
    this.askOrigin(model.id, check.bound, check.origin);
    throw new BrokerError('config', `the stored API key of "${model.id}" was stored for ${check.bound}, but the endpoint is now ${check.origin}: it is not sent there until you confirm the new address`, {
      modelId: model.id, code: 'key_origin_changed',
    });
  };

  hasStoredKey(modelId: string): boolean {
    return this.secrets.has(modelId);
  }

  async storeKey(modelId: string, key: string): Promise<void> {
    const endpoint = this.current.models[modelId]?.endpoint;
    await this.context.secrets.store(SECRET_PREFIX + modelId, key);
    this.secrets.set(modelId, key);
    if (endpoint) this.origins.bind(modelId, endpointOrigin(endpoint));
    await this.saveSecretIds();
    this.log.info(`a key was stored for model "${modelId}"`);
    this.refresh();
  }

  async clearKey(modelId: string): Promise<void> {
    await this.context.secrets.delete(SECRET_PREFIX + modelId);
    this.secrets.delete(modelId);
    this.origins.forget(modelId);
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
    await this.context.globalState.update(SECRET_ORIGINS_KEY, this.origins.toJSON());
  }

  /** Binds keys stored before origins were recorded to their model's endpoint of today. */
  private adoptUnboundKeys(): void {
    let changed = false;
    for (const id of this.secrets.keys()) {
      const endpoint = this.current.models[id]?.endpoint;
      if (endpoint && this.origins.bound(id) === undefined) {
        this.origins.bind(id, endpointOrigin(endpoint));
        changed = true;
      }
    }
    if (changed) void this.saveSecretIds();
  }

  /** Asks (once per model and origin in this window) whether a stored key may go to a model's new origin. */
  private askOrigin(modelId: string, bound: string, origin: string): void {
    const key = `${modelId}\n${origin}`;
    if (this.asked.has(key)) return;
    this.asked.add(key);
    this.log.warn(`the endpoint of "${modelId}" moved from ${bound} to ${origin}; its stored key is withheld until confirmed`);
    const send = `Send Key to ${origin}`;
    void vscode.window
      .showWarningMessage(`Switchboard: the endpoint of model "${modelId}" changed from ${bound} to ${origin}. Send its stored API key to ${origin}?`, send, 'Keep Withheld')
      .then(async (choice) => {
        if (choice !== send || !this.secrets.has(modelId)) return;
        this.origins.bind(modelId, origin);
        await this.saveSecretIds();
        this.log.info(`the stored key of "${modelId}" may now be sent to ${origin}`);
      });
  }

  /** Asks about every stored key whose model's endpoint moved (on start and after each settings change). */
  private checkOrigins(): void {
    for (const id of this.secrets.keys()) {
      const endpoint = this.current.models[id]?.endpoint;
      if (!endpoint) continue;
      const check = this.origins.check(id, endpoint);
      if (!check.ok) this.askOrigin(id, check.bound, check.origin);
    }
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
        purposes: userOnly('purposes'),
        toolsMaxSteps: c.get('tools.maxSteps'),
        toolsEnabled: c.get('tools.enabled'),
        toolsAutoApprove: c.get('tools.autoApprove'),
        toolsAutoApproveBudget: c.get('tools.autoApproveBudget'),
        // The user's own rules only: a folder's settings must not be able to allow a command.
        toolsCommandRules: userOnly('tools.commandRules'),
        safetyLlmProbe: c.get('safety.llmProbe'),
        compactionThreshold: c.get('compaction.threshold'),
        delegateEnabled: c.get('delegate.enabled'),
        delegateBudgetUsd: c.get('delegate.budgetUsd'),
        budgetDaily: c.get('budget.daily'),
        budgetMonthly: c.get('budget.monthly'),
        statusBarPeriod: c.get('statusBar.period'),
        keepFailedRequests: c.get('log.keepFailedRequests'),
        summarize: { confirmAboveUsd: c.get('summarize.confirmAboveUsd'), parallel: c.get('summarize.parallel'), prompt: c.get('summarize.prompt') },
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
    this.checkOrigins();
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
