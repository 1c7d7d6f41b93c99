// Pure: the shapes settings parse into, shared by the parsers and their users.
import type { ModelConfig } from '../broker';

/** A configured model: the broker's config plus fields only the runner uses. */
export interface ModelSettings extends ModelConfig {
  /** The model's context window in tokens, when the user states it (used to estimate before sending). */
  contextTokens?: number;
  /** False for a model without tool support: no tools are offered when it answers chat. */
  tools?: boolean;
}

/** What Switchboard calls a model for; each has its own chain and usage category. */
export const PURPOSES = ['chat', 'summarize', 'probe', 'memory_summarize', 'delegate'] as const;
export type Purpose = (typeof PURPOSES)[number];

export type StatusBarPeriod = 'session' | 'today' | 'month' | 'all';
export const STATUS_BAR_PERIODS: readonly StatusBarPeriod[] = ['session', 'today', 'month', 'all'];

/** `switchboard.summarize.*`. */
export interface SummarizeSettings {
  /** Ask before a summary whose estimated cost is above this many US dollars. */
  confirmAboveUsd: number;
  /** Part requests at once; null: 1 for a loopback endpoint, 4 for a remote one. */
  parallel: number | null;
  /** The instruction sent with every summary request; empty: the built-in one. */
  prompt: string;
}

export interface SettingsProblem {
  severity: 'error' | 'warning';
  /** The setting path, e.g. `switchboard.models.gpt4.endpoint`. */
  path: string;
  /** What is wrong, in plain words. */
  message: string;
  /** What to do about it. */
  fix: string;
}

/** `switchboard.tools.*`: the step limit, whether tools are offered, and what runs without asking. */
export interface ToolsSettings {
  maxSteps: number;
  enabled: boolean;
  autoApprove: string[];
  autoApproveBudgetUsd: number;
  /** The user's own command rules (never a folder's). */
  rules: { allow: string[]; deny: string[] };
}

export type Report = (severity: SettingsProblem['severity'], path: string, message: string, fix: string) => void;

export interface ParsedSettings {
  models: Record<string, ModelSettings>;
  /** Every named chain as model ids (only ids that exist in `models`), the purposes' and the user's own. */
  chains: Record<string, string[]>;
  /** For each purpose, the name of the chain it runs on (always a key of `chains`). */
  purposes: Record<Purpose, string>;
  budget: { daily: number; monthly: number };
  statusBarPeriod: StatusBarPeriod;
  tools: ToolsSettings;
  safety: { llmProbe: boolean };
  /** `switchboard.compaction.threshold`: compact before a request past this share of the context window. */
  compaction: { threshold: number };
  /** `switchboard.delegate.*`: the delegate_task tool and each subtask's budget. */
  delegate: { enabled: boolean; budgetUsd: number };
  /** `switchboard.log.keepFailedRequests`: replay records keep the prompts (default true). */
  keepFailedRequests: boolean;
  /** `switchboard.summarize.*`. */
  summarize: SummarizeSettings;
  problems: SettingsProblem[];
}

export { isRecord } from '../common/guards';

/** A short description of a value for a message. Never used for values that may be secrets. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  if (typeof v === 'object') return 'an object';
  return String(v);
}
