// Pure: turns raw `switchboard.*` settings into validated models and chains plus a list of problems.
// Never throws: a broken setting costs the piece it breaks, names its path, and says how to fix it.
import type { ModelConfig } from '../broker';
import { parseTls } from './parseTlsSettings';

/** A configured model: the broker's config plus display-only fields. */
export interface ModelSettings extends ModelConfig {
  /** The model's context window in tokens, when the user states it (shown, and used to warn before sending). */
  contextTokens?: number;
}

export const PURPOSES = ['chat', 'summarize', 'probe'] as const;
export type Purpose = (typeof PURPOSES)[number];

export type StatusBarPeriod = 'session' | 'today' | 'month' | 'all';
export const STATUS_BAR_PERIODS: readonly StatusBarPeriod[] = ['session', 'today', 'month', 'all'];

export interface SettingsProblem {
  severity: 'error' | 'warning';
  /** The setting path, e.g. `switchboard.models.gpt4.endpoint`. */
  path: string;
  /** What is wrong, in plain words. */
  message: string;
  /** What to do about it. */
  fix: string;
}

export interface ParsedSettings {
  models: Record<string, ModelSettings>;
  /** Each purpose's chain as model ids (only ids that exist in `models`). */
  chains: Record<Purpose, string[]>;
  budget: { daily: number; monthly: number };
  statusBarPeriod: StatusBarPeriod;
  /** `switchboard.log.keepFailedRequests`: replay records keep the prompts (default true). */
  keepFailedRequests: boolean;
  problems: SettingsProblem[];
}

export interface RawSettings {
  models?: unknown;
  chains?: unknown;
  budgetDaily?: unknown;
  budgetMonthly?: unknown;
  statusBarPeriod?: unknown;
  keepFailedRequests?: unknown;
}

export const DEFAULT_MODELS: Record<string, Omit<ModelSettings, 'id'>> = {
  local: { endpoint: 'http://127.0.0.1:8080', model: 'local' },
};
export const DEFAULT_CHAINS: Record<Purpose, string[]> = { chat: ['local'], summarize: ['local'], probe: ['local'] };

const MODEL_FIELDS = new Set([
  'endpoint', 'model', 'keyEnv', 'headers', 'temperature', 'maxTokens', 'contextTokens', 'timeoutMs', 'idleTimeoutMs', 'includeUsage', 'price',
  'caFile', 'allowInsecureTls', 'maxAnswerChars',
]);
const PRICE_FIELDS = new Set(['inputPerMTok', 'outputPerMTok', 'cachedInputPerMTok']);
const INCLUDE_USAGE = new Set(['auto', 'always', 'never']);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// RFC 7230 token characters: anything else would make undici refuse the request later.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  if (typeof v === 'object') return 'an object';
  return String(v);
}

/**
 * @param raw  the values as `getConfiguration('switchboard')` returns them (unknown: settings.json is hand-edited)
 * @param env  where `keyEnv` names are looked up, to warn about unset variables
 * @param secretModelIds  models that have a key in secret storage (no warning for their unset keyEnv)
 */
export function parseSettings(raw: RawSettings, env: Record<string, string | undefined> = {}, secretModelIds: ReadonlySet<string> = new Set()): ParsedSettings {
  const problems: SettingsProblem[] = [];
  const problem = (severity: SettingsProblem['severity'], path: string, message: string, fix: string) => problems.push({ severity, path, message, fix });

  // ---- models
  const models: Record<string, ModelSettings> = {};
  let rawModels = raw.models;
  if (rawModels === undefined || rawModels === null) rawModels = DEFAULT_MODELS;
  if (!isRecord(rawModels)) {
    problem('error', 'switchboard.models', `must be an object of models keyed by id, but is ${describe(rawModels)}`,
      'Write it as { "my-model": { "endpoint": "http://127.0.0.1:8080", "model": "my-model" } }.');
    rawModels = {};
  }
  const seenLower = new Map<string, string>();
  for (const [id, value] of Object.entries(rawModels as Record<string, unknown>)) {
    const path = `switchboard.models.${id}`;
    if (!MODEL_ID.test(id)) {
      problem('error', path, `"${id}" is not a usable model id`, 'Use letters, digits and . _ - : @ / (starting with a letter or digit).');
      continue;
    }
    const lower = id.toLowerCase();
    if (seenLower.has(lower)) {
      problem('error', path, `duplicates the id "${seenLower.get(lower)}" (ids are compared without case)`, 'Give each model a distinct id; this one is ignored.');
      continue;
    }
    seenLower.set(lower, id);
    const m = parseModel(id, value, path, env, secretModelIds.has(id), problem);
    if (m) models[id] = m;
  }

  // ---- chains
  const chains = { ...DEFAULT_CHAINS } as Record<Purpose, string[]>;
  let rawChains = raw.chains;
  if (rawChains === undefined || rawChains === null) rawChains = {};
  if (!isRecord(rawChains)) {
    problem('error', 'switchboard.chains', `must be an object mapping a purpose to a list of model ids, but is ${describe(rawChains)}`,
      'Write it as { "chat": ["local"], "summarize": ["local"], "probe": ["local"] }.');
    rawChains = {};
  }
  for (const key of Object.keys(rawChains as object)) {
    if (!(PURPOSES as readonly string[]).includes(key)) {
      problem('warning', `switchboard.chains.${key}`, `"${key}" is not a purpose Switchboard uses, so this chain is ignored`, `Use one of: ${PURPOSES.join(', ')}.`);
    }
  }
  for (const purpose of PURPOSES) {
    const path = `switchboard.chains.${purpose}`;
    const given = (rawChains as Record<string, unknown>)[purpose];
    const list = given === undefined ? DEFAULT_CHAINS[purpose] : given;
    if (!Array.isArray(list)) {
      problem('error', path, `must be a list of model ids, but is ${describe(list)}`, `Write it as ["${Object.keys(models)[0] ?? 'local'}"].`);
      chains[purpose] = [];
      continue;
    }
    const ids: string[] = [];
    list.forEach((entry, i) => {
      if (typeof entry !== 'string') {
        problem('error', `${path}[${i}]`, `must be a model id (a string), but is ${describe(entry)}`, 'Put the id of a model from switchboard.models here.');
      } else if (!models[entry]) {
        const known = Object.keys(models);
        problem('error', `${path}[${i}]`, `names the model "${entry}", which is not configured${given === undefined ? ' (this is the default chain)' : ''}`,
          known.length ? `Use one of: ${known.join(', ')}, or add "${entry}" to switchboard.models.` : `Add "${entry}" to switchboard.models.`);
      } else if (ids.includes(entry)) {
        problem('warning', `${path}[${i}]`, `lists "${entry}" twice; the repeat is ignored`, 'Remove the repeated entry.');
      } else {
        ids.push(entry);
      }
    });
    if (ids.length === 0) {
      problem('error', path, `has no usable model, so ${purpose} requests will fail`, 'List at least one configured model id.');
    }
    chains[purpose] = ids;
  }

  // ---- budgets and display
  const budget = {
    daily: parseBudget(raw.budgetDaily, 'switchboard.budget.daily', problem),
    monthly: parseBudget(raw.budgetMonthly, 'switchboard.budget.monthly', problem),
  };
  let statusBarPeriod: StatusBarPeriod = 'today';
  if (raw.statusBarPeriod !== undefined) {
    if (typeof raw.statusBarPeriod === 'string' && (STATUS_BAR_PERIODS as readonly string[]).includes(raw.statusBarPeriod)) {
      statusBarPeriod = raw.statusBarPeriod as StatusBarPeriod;
    } else {
      problem('error', 'switchboard.statusBar.period', `must be one of ${STATUS_BAR_PERIODS.join(', ')}, but is ${describe(raw.statusBarPeriod)}`, 'Pick one of the listed periods; "today" is used meanwhile.');
    }
  }

  let keepFailedRequests = true;
  if (raw.keepFailedRequests !== undefined && raw.keepFailedRequests !== null) {
    if (typeof raw.keepFailedRequests === 'boolean') keepFailedRequests = raw.keepFailedRequests;
    else problem('error', 'switchboard.log.keepFailedRequests', `must be true or false, but is ${describe(raw.keepFailedRequests)}`, 'Use true (keep prompts in replay records) or false; true is used meanwhile.');
  }

  return { models, chains, budget, statusBarPeriod, keepFailedRequests, problems };
}

export type Report = (severity: SettingsProblem['severity'], path: string, message: string, fix: string) => void;

function parseBudget(v: unknown, path: string, problem: Report): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    problem('error', path, `must be a number of US dollars, 0 or more, but is ${describe(v)}`, 'Use 0 to turn the budget off; the budget is off meanwhile.');
    return 0;
  }
  return v;
}

function parseModel(id: string, value: unknown, path: string, env: Record<string, string | undefined>, hasSecret: boolean, problem: Report): ModelSettings | undefined {
  if (!isRecord(value)) {
    problem('error', path, `must be an object with at least "endpoint" and "model", but is ${describe(value)}`,
      'Write it as { "endpoint": "http://127.0.0.1:8080", "model": "name-the-server-knows" }.');
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!MODEL_FIELDS.has(key)) {
      problem('warning', `${path}.${key}`, `"${key}" is not a model setting and is ignored`, `Known fields: ${[...MODEL_FIELDS].join(', ')}.`);
    }
  }

  // Required: without a usable endpoint or model name the model cannot be used at all.
  const endpoint = value.endpoint;
  let endpointOk = false;
  if (typeof endpoint !== 'string' || endpoint.trim() === '') {
    problem('error', `${path}.endpoint`, `is missing or empty, so the model "${id}" cannot be used`, 'Set the server address, e.g. "http://127.0.0.1:8080" or "https://openrouter.ai/api/v1".');
  } else {
    let url: URL | undefined;
    try {
      url = new URL(endpoint.trim());
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      problem('error', `${path}.endpoint`, `${describe(endpoint)} is not an http:// or https:// URL, so the model "${id}" cannot be used`, 'Write the full address with its scheme, e.g. "http://127.0.0.1:11434/v1".');
    } else if (url.username || url.password) {
      problem('error', `${path}.endpoint`, 'contains a user name or password; credentials in a URL end up in logs', 'Remove them from the URL and name the key\'s environment variable in "keyEnv".');
    } else {
      endpointOk = true;
    }
  }
  const modelName = value.model;
  if (typeof modelName !== 'string' || modelName.trim() === '') {
    problem('error', `${path}.model`, `is missing or empty, so the model "${id}" cannot be used`, 'Set the model name the server expects, e.g. "llama3.1:8b" or "openai/gpt-4o-mini".');
  }
  if (!endpointOk || typeof modelName !== 'string' || modelName.trim() === '') return undefined;

  const m: ModelSettings = { id, endpoint: (endpoint as string).trim(), model: modelName.trim() };

  if (value.keyEnv !== undefined) {
    const k = value.keyEnv;
    if (typeof k !== 'string' || !ENV_NAME.test(k)) {
      problem('error', `${path}.keyEnv`, `must be the NAME of an environment variable (like OPENROUTER_API_KEY), but is ${typeof k === 'string' && k.length > 20 ? 'a long value that looks like a key itself' : describe(k)}`,
        `Put the key in an environment variable and write its name here, never the key itself; until then "${id}" cannot be used.`);
      // Sending the request without the intended key (or with a pasted key as a header) would be worse than not sending it.
      return undefined;
    } else {
      m.keyEnv = k;
      if (!hasSecret && (env[k] === undefined || env[k] === '')) {
        problem('warning', `${path}.keyEnv`, `the environment variable ${k} is not set, so requests to "${id}" will fail until it is`,
          `Set ${k} in the environment VS Code starts from, or store a key with "Switchboard: Set API Key...".`);
      }
    }
  }

  if (value.headers !== undefined) {
    if (!isRecord(value.headers)) {
      problem('error', `${path}.headers`, `must be an object of header names to string values, but is ${describe(value.headers)}`, 'Write it as { "HTTP-Referer": "https://example.com" }.');
    } else {
      const headers: Record<string, string> = {};
      for (const [name, v] of Object.entries(value.headers)) {
        if (!HEADER_NAME.test(name)) {
          problem('error', `${path}.headers.${name}`, `"${name}" is not a valid HTTP header name`, 'Use letters, digits and dashes.');
        } else if (typeof v !== 'string') {
          problem('error', `${path}.headers.${name}`, `must be a string, but is ${describe(v)}`, 'Quote the value.');
        } else if (/[\r\n]/.test(v)) {
          problem('error', `${path}.headers.${name}`, 'contains a line break', 'Remove the line break.');
        } else {
          headers[name] = v;
        }
      }
      if (Object.keys(headers).length) m.headers = headers;
    }
  }

  const num = (field: 'temperature' | 'maxTokens' | 'contextTokens' | 'timeoutMs' | 'idleTimeoutMs' | 'maxAnswerChars', check: (n: number) => boolean, rule: string, example: string) => {
    const v = value[field];
    if (v === undefined) return;
    if (typeof v === 'number' && Number.isFinite(v) && check(v)) m[field] = v;
    else problem('error', `${path}.${field}`, `must be ${rule}, but is ${describe(v)}`, `For example ${example}; the default is used meanwhile.`);
  };
  num('temperature', (n) => n >= 0 && n <= 2, 'a number from 0 to 2', '0.2');
  num('maxTokens', (n) => Number.isInteger(n) && n > 0, 'a whole number above 0', '4096');
  num('contextTokens', (n) => Number.isInteger(n) && n > 0, 'a whole number above 0', '131072');
  num('timeoutMs', (n) => Number.isInteger(n) && n > 0, 'a whole number of milliseconds above 0', '60000');
  num('idleTimeoutMs', (n) => Number.isInteger(n) && n > 0, 'a whole number of milliseconds above 0', '60000');
  num('maxAnswerChars', (n) => Number.isInteger(n) && n >= 1000, 'a whole number of characters, 1000 or more', '4000000');
  parseTls(value, m, path, problem, describe);

  if (value.includeUsage !== undefined) {
    if (typeof value.includeUsage === 'string' && INCLUDE_USAGE.has(value.includeUsage)) m.includeUsage = value.includeUsage as ModelSettings['includeUsage'];
    else problem('error', `${path}.includeUsage`, `must be "auto", "always" or "never", but is ${describe(value.includeUsage)}`, '"auto" asks for usage and stops asking if the server refuses.');
  }

  if (value.price !== undefined) {
    const p = value.price;
    if (!isRecord(p)) {
      problem('error', `${path}.price`, `must be an object { "inputPerMTok": 0.15, "outputPerMTok": 0.6 }, but is ${describe(p)}`, 'Prices are USD per million tokens. Without a price the cost shows as unknown.');
    } else {
      let ok = true;
      for (const key of Object.keys(p)) {
        if (!PRICE_FIELDS.has(key)) problem('warning', `${path}.price.${key}`, `"${key}" is not a price field and is ignored`, `Known fields: ${[...PRICE_FIELDS].join(', ')}.`);
      }
      for (const key of ['inputPerMTok', 'outputPerMTok', 'cachedInputPerMTok'] as const) {
        const v = p[key];
        if (v === undefined && key === 'cachedInputPerMTok') continue;
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
          ok = false;
          problem('error', `${path}.price.${key}`, v === undefined ? 'is missing' : `must be a price in USD per million tokens, 0 or more, but is ${describe(v)}`,
            'Give both inputPerMTok and outputPerMTok; until then the cost of this model shows as unknown.');
        }
      }
      if (ok) {
        m.price = { inputPerMTok: p.inputPerMTok as number, outputPerMTok: p.outputPerMTok as number };
        if (p.cachedInputPerMTok !== undefined) m.price.cachedInputPerMTok = p.cachedInputPerMTok as number;
      }
    }
  }
  return m;
}

/** Resolves a purpose's chain to model configs (in order). */
export function chainFor(parsed: ParsedSettings, purpose: Purpose): ModelSettings[] {
  return parsed.chains[purpose].map((id) => parsed.models[id]).filter((m): m is ModelSettings => m !== undefined);
}

/** One line per problem, for the log and the chat view's header. */
export function formatProblem(p: SettingsProblem): string {
  return `${p.path}: ${p.message}. ${p.fix}`;
}
