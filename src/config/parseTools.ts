// Pure: the tool and safety settings. The command rules are read from the user's own settings only (the
// reader passes the global value): a repository's `.vscode/settings.json` is written by whoever wrote the
// repository, and must not be able to allow a command.
import { describe, isRecord, type Report, type ToolsSettings } from './settingsTypes';

export const TOOL_NAMES = ['read_file', 'list_files', 'search_text', 'write_file', 'edit_file', 'run_command'] as const;
export const DEFAULT_AUTO_APPROVE = ['read_file', 'list_files', 'search_text'];
export const DEFAULT_MAX_STEPS = 10;
export const DEFAULT_AUTO_APPROVE_BUDGET = 0.5;


export interface RawToolSettings {
  toolsMaxSteps?: unknown;
  toolsEnabled?: unknown;
  toolsAutoApprove?: unknown;
  toolsAutoApproveBudget?: unknown;
  toolsCommandRules?: unknown;
  safetyLlmProbe?: unknown;
  compactionThreshold?: unknown;
  delegateEnabled?: unknown;
  delegateBudgetUsd?: unknown;
}

export const DEFAULT_COMPACTION_THRESHOLD = 0.8;
export const DEFAULT_DELEGATE_BUDGET = 0.25;

export function parseToolSettings(raw: RawToolSettings, problem: Report): {
  tools: ToolsSettings;
  safety: { llmProbe: boolean };
  compaction: { threshold: number };
  delegate: { enabled: boolean; budgetUsd: number };
} {
  const number = (v: unknown, path: string, fallback: number, ok: (n: number) => boolean, rule: string): number => {
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'number' && Number.isFinite(v) && ok(v)) return v;
    problem('error', path, `must be ${rule}, but is ${describe(v)}`, `${fallback} is used meanwhile.`);
    return fallback;
  };
  const bool = (v: unknown, path: string, fallback: boolean): boolean => {
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'boolean') return v;
    problem('error', path, `must be true or false, but is ${describe(v)}`, `${fallback} is used meanwhile.`);
    return fallback;
  };

  let maxSteps = DEFAULT_MAX_STEPS;
  if (raw.toolsMaxSteps !== undefined && raw.toolsMaxSteps !== null) {
    const n = raw.toolsMaxSteps;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 100) maxSteps = n;
    else problem('error', 'switchboard.tools.maxSteps', `must be a whole number from 1 to 100, but is ${describe(n)}`, `${DEFAULT_MAX_STEPS} is used meanwhile.`);
  }

  let autoApprove = [...DEFAULT_AUTO_APPROVE];
  if (raw.toolsAutoApprove !== undefined && raw.toolsAutoApprove !== null) {
    if (!Array.isArray(raw.toolsAutoApprove)) {
      problem('error', 'switchboard.tools.autoApprove', `must be a list of tool names, but is ${describe(raw.toolsAutoApprove)}`, `Write it as ${JSON.stringify(DEFAULT_AUTO_APPROVE)}; the read-only tools are used meanwhile.`);
    } else {
      autoApprove = [];
      raw.toolsAutoApprove.forEach((name, i) => {
        if (typeof name === 'string' && (TOOL_NAMES as readonly string[]).includes(name)) autoApprove.push(name);
        else problem('warning', `switchboard.tools.autoApprove[${i}]`, `${describe(name)} is not a tool name and is ignored`, `Use any of: ${TOOL_NAMES.join(', ')}.`);
      });
    }
  }

  let autoApproveBudgetUsd = DEFAULT_AUTO_APPROVE_BUDGET;
  if (raw.toolsAutoApproveBudget !== undefined && raw.toolsAutoApproveBudget !== null) {
    const b = raw.toolsAutoApproveBudget;
    if (typeof b === 'number' && Number.isFinite(b) && b >= 0) autoApproveBudgetUsd = b;
    else problem('error', 'switchboard.tools.autoApproveBudget', `must be a number of US dollars, 0 or more, but is ${describe(b)}`, `${DEFAULT_AUTO_APPROVE_BUDGET} is used meanwhile.`);
  }

  const rules = { allow: [] as string[], deny: [] as string[] };
  const r = raw.toolsCommandRules;
  if (r !== undefined && r !== null) {
    if (!isRecord(r)) {
      problem('error', 'switchboard.tools.commandRules', `must be an object { "allow": [...], "deny": [...] }, but is ${describe(r)}`, 'No rules are used meanwhile: every command asks.');
    } else {
      for (const kind of ['allow', 'deny'] as const) {
        const list = r[kind];
        if (list === undefined) continue;
        if (!Array.isArray(list)) {
          problem('error', `switchboard.tools.commandRules.${kind}`, `must be a list of command prefixes, but is ${describe(list)}`, 'Write it as ["git status", "npm test"].');
          continue;
        }
        list.forEach((rule, i) => {
          if (typeof rule === 'string' && rule.trim()) rules[kind].push(rule.trim());
          else problem('warning', `switchboard.tools.commandRules.${kind}[${i}]`, `${describe(rule)} is not a command prefix and is ignored`, 'Use a command prefix such as "npm test", or /regex/.');
        });
      }
    }
  }

  return {
    tools: { maxSteps, enabled: bool(raw.toolsEnabled, 'switchboard.tools.enabled', true), autoApprove, autoApproveBudgetUsd, rules },
    safety: { llmProbe: bool(raw.safetyLlmProbe, 'switchboard.safety.llmProbe', true) },
    compaction: { threshold: number(raw.compactionThreshold, 'switchboard.compaction.threshold', DEFAULT_COMPACTION_THRESHOLD, (n) => n >= 0.1 && n <= 0.99, 'a share of the context window from 0.1 to 0.99') },
    delegate: {
      enabled: bool(raw.delegateEnabled, 'switchboard.delegate.enabled', true),
      budgetUsd: number(raw.delegateBudgetUsd, 'switchboard.delegate.budgetUsd', DEFAULT_DELEGATE_BUDGET, (n) => n >= 0, 'a number of US dollars, 0 or more'),
    },
  };
}
