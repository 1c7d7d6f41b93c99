/** `classifyCommand`: picks the shell's classifier and combines the findings. Never throws. */
import { BashClassifier } from './bash';
import { classifyCmd } from './cmd';
import { classifyPowerShell } from './powershell';
import { combine, unsure, type Classification, type ClassifyOptions, type Finding, type Shell } from './types';

const MAX_LENGTH = 20_000;

function findingsFor(text: string, shell: Shell, options: ClassifyOptions, depth: number): Finding[] {
  if (shell === 'powershell') return classifyPowerShell(text, options, depth, findingsFor);
  if (shell === 'cmd') return classifyCmd(text, options, depth, findingsFor);
  return bash.classify(text, options, depth);
}

const bash = new BashClassifier(findingsFor);

/**
 * Says whether a shell command can destroy something: `destructive`, `safe`, or `unsure` when it cannot tell
 * (an unknown command, text the parser cannot read, or a parser not loaded yet). Synchronous; never throws.
 */
export function classifyCommand(command: string, options: ClassifyOptions = {}): Classification {
  try {
    if (typeof command !== 'string') return { verdict: 'unsure', reasons: ['the command is not text'] };
    if (command.length > MAX_LENGTH) return { verdict: 'unsure', reasons: [`the command is longer than ${MAX_LENGTH} characters`] };
    if (command.includes('\0')) return { verdict: 'unsure', reasons: ['the command contains a NUL character'] };
    const shell: Shell = options?.shell ?? 'bash';
    return combine(findingsFor(command, shell, options ?? {}, 0));
  } catch (err) {
    return combine([unsure(`could not classify: ${err instanceof Error ? err.message : String(err)}`)]);
  }
}
