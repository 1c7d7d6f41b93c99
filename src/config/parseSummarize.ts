// Pure: the `switchboard.summarize.*` settings. A bad value is named with its path and replaced by the default.
import { describe, type Report, type SummarizeSettings } from './settingsTypes';

export const DEFAULT_CONFIRM_ABOVE_USD = 0.1;
export const MAX_PARALLEL = 16;

export function parseSummarize(raw: { confirmAboveUsd?: unknown; parallel?: unknown; prompt?: unknown }, problem: Report): SummarizeSettings {
  const out: SummarizeSettings = { confirmAboveUsd: DEFAULT_CONFIRM_ABOVE_USD, parallel: null, prompt: '' };
  const c = raw.confirmAboveUsd;
  if (c !== undefined && c !== null) {
    if (typeof c === 'number' && Number.isFinite(c) && c >= 0) out.confirmAboveUsd = c;
    else problem('error', 'switchboard.summarize.confirmAboveUsd', `must be a number of US dollars, 0 or more, but is ${describe(c)}`, `Use 0 to be asked before every priced summary; ${DEFAULT_CONFIRM_ABOVE_USD} is used meanwhile.`);
  }
  const p = raw.parallel;
  if (p !== undefined && p !== null) {
    if (typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= MAX_PARALLEL) out.parallel = p;
    else problem('error', 'switchboard.summarize.parallel', `must be a whole number from 1 to ${MAX_PARALLEL}, or null, but is ${describe(p)}`, 'Use null to pick by endpoint (1 for loopback, 4 for remote), which is used meanwhile.');
  }
  const t = raw.prompt;
  if (t !== undefined && t !== null) {
    if (typeof t === 'string') out.prompt = t;
    else problem('error', 'switchboard.summarize.prompt', `must be text, but is ${describe(t)}`, 'Write the instruction as a string; the built-in one is used meanwhile.');
  }
  return out;
}
