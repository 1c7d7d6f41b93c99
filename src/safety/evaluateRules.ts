/**
 * Allow and deny rules, where deny always wins. A rule is a command prefix in words (`git status`,
 * `npm test`) or a `/regex/flags`; it is matched against every sub-command (after wrappers and
 * assignments are removed). A command runs without asking only when every sub-command matches an allow rule,
 * none matches a deny rule, the parser read all of it, and the classifier does not call it destructive.
 */
import { classifyCommand } from './classify';
import { listSubCommands } from './subcommands';
import type { Classification, ClassifyOptions } from './types';

export interface CommandRules {
  allow: string[];
  deny: string[];
}

export interface SubCommandMatch {
  command: string;
  allowedBy?: string;
  deniedBy?: string;
}

export interface RuleEvaluation {
  /** True only when the whole command may run without asking. */
  autoApprove: boolean;
  /** One line: why it may or may not run without asking. */
  reason: string;
  classification: Classification;
  subCommands: SubCommandMatch[];
  /** The first deny rule that matched, if any. */
  deniedBy?: string;
  /** A prefix for an "Always allow <prefix>" button: the first sub-command that no allow rule covers. */
  suggestedPrefix?: string;
  /** Rules that could not be read (a bad regex); they match nothing. */
  invalidRules: string[];
}

type Matcher = { rule: string; test: (words: string[]) => boolean };

function compile(rules: unknown, invalid: string[]): Matcher[] {
  if (!Array.isArray(rules)) return [];
  const out: Matcher[] = [];
  for (const rule of rules) {
    if (typeof rule !== 'string' || !rule.trim()) {
      invalid.push(String(rule));
      continue;
    }
    const re = /^\/(.+)\/([a-z]*)$/s.exec(rule.trim());
    if (re) {
      try {
        const regex = new RegExp(re[1]!, re[2]!.replace(/[gy]/g, ''));
        out.push({ rule, test: (words) => regex.test(words.join(' ')) });
      } catch {
        invalid.push(rule);
      }
      continue;
    }
    const prefix = rule.trim().split(/\s+/);
    out.push({ rule, test: (words) => prefix.length <= words.length && prefix.every((p, i) => p === words[i]) });
  }
  return out;
}

/** Tools whose first operand is a subcommand (`git log`), and those whose second is too (`npm run build`). */
const SUBCOMMAND_TOOLS = /^(git|npm|pnpm|yarn|bun|cargo|go|docker|podman|kubectl|helm|terraform|tofu|pulumi|aws|gcloud|az|gh|dotnet|poetry|uv|pip|pip3|brew|apt|apt-get|systemctl|deno|make|mvn|gradle|npx)$/;
const SCRIPT_RUNNERS = /^(run|run-script|exec|x)$/;

/** `git log --oneline -5` -> `git log`; `npm run build -- --watch` -> `npm run build`; `ls -la` -> `ls`. */
export function suggestPrefix(words: string[]): string | undefined {
  const name = words[0];
  if (!name) return undefined;
  const out = [name];
  if (SUBCOMMAND_TOOLS.test(name.replace(/^.*\//, ''))) {
    const sub = words.slice(1).find((w) => !w.startsWith('-'));
    if (sub && /^[\w:.@/-]+$/.test(sub)) {
      out.push(sub);
      const next = words[words.indexOf(sub) + 1];
      if (SCRIPT_RUNNERS.test(sub) && next && !next.startsWith('-') && /^[\w:.@/-]+$/.test(next)) out.push(next);
    }
  }
  return out.join(' ');
}

/** Applies allow/deny rules to `command`. Never throws; bad rules are listed in `invalidRules`. */
export function evaluateRules(command: string, rules: CommandRules, options: ClassifyOptions = {}): RuleEvaluation {
  const invalidRules: string[] = [];
  const allow = compile(rules?.allow, invalidRules);
  const deny = compile(rules?.deny, invalidRules);
  const classification = classifyCommand(command, options);
  const listed = typeof command === 'string' ? listSubCommands(command, options?.shell ?? 'bash') : { commands: [], complete: false };
  const subCommands: SubCommandMatch[] = listed.commands.map((words) => ({
    command: words.join(' '),
    allowedBy: allow.find((m) => m.test(words))?.rule,
    deniedBy: deny.find((m) => m.test(words))?.rule,
  }));
  const deniedBy = subCommands.find((s) => s.deniedBy)?.deniedBy;
  const uncovered = listed.commands.find((_, i) => !subCommands[i]!.allowedBy);
  const suggestedPrefix = uncovered ? suggestPrefix(uncovered) : undefined;
  const base = { classification, subCommands, deniedBy, suggestedPrefix, invalidRules };
  if (deniedBy) return { ...base, autoApprove: false, reason: `denied by the rule "${deniedBy}"` };
  if (classification.verdict === 'destructive') return { ...base, autoApprove: false, reason: `destructive: ${classification.reasons[0] ?? 'no reason given'}` };
  if (!listed.complete) return { ...base, autoApprove: false, reason: 'the command could not be read completely' };
  if (subCommands.length === 0) return { ...base, autoApprove: false, reason: 'no command found' };
  if (uncovered) return { ...base, autoApprove: false, reason: `no allow rule covers "${uncovered.join(' ')}"` };
  return { ...base, autoApprove: true, reason: `allowed by ${[...new Set(subCommands.map((s) => `"${s.allowedBy}"`))].join(', ')}` };
}
