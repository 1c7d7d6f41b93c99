// Builds parsed settings for tests that need a model runner without going through settings.json.
import type { ModelSettings, ParsedSettings } from '../../src/config/settingsTypes';

export function settingsWith(models: ModelSettings[], chains: Record<string, string[]> = { chat: models.map((m) => m.id) }, purposes: Partial<ParsedSettings['purposes']> = {}): ParsedSettings {
  return {
    models: Object.fromEntries(models.map((m) => [m.id, m])),
    chains,
    purposes: { chat: 'chat', summarize: 'chat', probe: 'chat', memory_summarize: 'chat', delegate: 'chat', ...purposes },
    budget: { daily: 0, monthly: 0 },
    statusBarPeriod: 'today',
    tools: { maxSteps: 10, enabled: true, autoApprove: ['read_file', 'list_files', 'search_text'], autoApproveBudgetUsd: 0.5, rules: { allow: [], deny: [] } },
    safety: { llmProbe: true },
    compaction: { threshold: 0.8 },
    delegate: { enabled: true, budgetUsd: 0.25 },
    keepFailedRequests: true,
    summarize: { confirmAboveUsd: 0.1, parallel: null, prompt: '' },
    problems: [],
  };
}
