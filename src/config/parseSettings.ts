// Pure: turns raw `switchboard.*` settings into validated models, chains and purposes plus a list of problems.
// Never throws: a broken setting costs the piece it breaks, names its path, and says how to fix it.
import { parseChains, parsePurposes } from './parseChains';
import { parseModel } from './parseModel';
import { parseToolSettings, type RawToolSettings } from './parseTools';
import { parseSummarize } from './parseSummarize';
import {
  STATUS_BAR_PERIODS, describe, isRecord,
  type ModelSettings, type ParsedSettings, type Purpose, type Report, type SettingsProblem, type StatusBarPeriod,
} from './settingsTypes';

export * from './settingsTypes';
export { DEFAULT_CHAINS } from './parseChains';
export { looksLikeKey } from './parseModel';

export interface RawSettings extends RawToolSettings {
  models?: unknown;
  chains?: unknown;
  purposes?: unknown;
  budgetDaily?: unknown;
  budgetMonthly?: unknown;
  statusBarPeriod?: unknown;
  keepFailedRequests?: unknown;
  summarize?: { confirmAboveUsd?: unknown; parallel?: unknown; prompt?: unknown };
}

export const DEFAULT_MODELS: Record<string, Omit<ModelSettings, 'id'>> = {
  local: { endpoint: 'http://127.0.0.1:8080', model: 'local' },
};
export { DEFAULT_MAX_STEPS } from './parseTools';
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/;

/**
 * @param raw  the values as `getConfiguration('switchboard')` returns them (unknown: settings.json is hand-edited)
 * @param env  where `keyEnv` names are looked up, to warn about unset variables
 * @param secretModelIds  models that have a key in secret storage (no warning for their unset keyEnv)
 */
export function parseSettings(raw: RawSettings, env: Record<string, string | undefined> = {}, secretModelIds: ReadonlySet<string> = new Set()): ParsedSettings {
  const problems: SettingsProblem[] = [];
  const problem: Report = (severity, path, message, fix) => {
    problems.push({ severity, path, message, fix });
  };

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

  // ---- chains and purposes
  const chains = parseChains(raw.chains, models, problem);
  const purposes = parsePurposes(raw.purposes, chains, problem);

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

  const { tools, safety, compaction, delegate } = parseToolSettings(raw, problem);

  let keepFailedRequests = true;
  if (raw.keepFailedRequests !== undefined && raw.keepFailedRequests !== null) {
    if (typeof raw.keepFailedRequests === 'boolean') keepFailedRequests = raw.keepFailedRequests;
    else problem('error', 'switchboard.log.keepFailedRequests', `must be true or false, but is ${describe(raw.keepFailedRequests)}`, 'Use true (keep prompts in replay records) or false; true is used meanwhile.');
  }

  const summarize = parseSummarize(raw.summarize ?? {}, problem);

  return { models, chains, purposes, budget, statusBarPeriod, tools, safety, compaction, delegate, keepFailedRequests, summarize, problems };
}

function parseBudget(v: unknown, path: string, problem: Report): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    problem('error', path, `must be a number of US dollars, 0 or more, but is ${describe(v)}`, 'Use 0 to turn the budget off; the budget is off meanwhile.');
    return 0;
  }
  return v;
}

/** Resolves a purpose's chain to model configs (in order). */
export function chainFor(parsed: ParsedSettings, purpose: Purpose): ModelSettings[] {
  return (parsed.chains[parsed.purposes[purpose]] ?? []).map((id) => parsed.models[id]).filter((m): m is ModelSettings => m !== undefined);
}

/** One line per problem, for the log and the chat view's header. */
export function formatProblem(p: SettingsProblem): string {
  return `${p.path}: ${p.message}. ${p.fix}`;
}
