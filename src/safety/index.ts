/**
 * The safety layer (no vscode): a shell-command classifier on a real parser, allow/deny rules where deny
 * always wins, and the probe question for commands the classifier is unsure about.
 */
export { classifyCommand } from './classify';
export { initSafety, isSafetyReady } from './parser';
export { evaluateRules, suggestPrefix, type CommandRules, type RuleEvaluation, type SubCommandMatch } from './evaluateRules';
export { listSubCommands, type SubCommands } from './subcommands';
export {
  SafetyProbe, probeQuestion, parseProbeAnswer, PROBE_MAX_TOKENS, PROBE_TIMEOUT_MS,
  type ProbeAsk, type ProbeAskOptions, type ProbeQuestion, type ProbeReply, type ProbeResult, type ProbeAnswer,
} from './probe';
export type { Classification, ClassifyOptions, Shell, Verdict } from './types';
