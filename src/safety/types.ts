/** Shared shapes of the safety layer (no vscode, no I/O). */

export type Verdict = 'safe' | 'destructive' | 'unsure';
export type Shell = 'bash' | 'zsh' | 'powershell' | 'cmd';

export interface Classification {
  verdict: Verdict;
  /** Why, one short phrase per finding; empty only for a safe command with nothing to say. */
  reasons: string[];
}

export interface ClassifyOptions {
  shell?: Shell;
  /** The folder the command runs in; relative paths are resolved against it. */
  cwd?: string;
  /** Writes inside these folders (and /tmp) are not "outside the workspace". */
  workspaceRoots?: string[];
}

/** One verdict about one part of a command. */
export interface Finding {
  verdict: Verdict;
  reason: string;
}

export const destructive = (reason: string): Finding => ({ verdict: 'destructive', reason });
export const unsure = (reason: string): Finding => ({ verdict: 'unsure', reason });
export const safe = (reason: string): Finding => ({ verdict: 'safe', reason });

const RANK: Record<Verdict, number> = { safe: 0, unsure: 1, destructive: 2 };

/** The worst verdict wins; reasons of the winning class come first, duplicates dropped. */
export function combine(findings: Finding[]): Classification {
  let verdict: Verdict = 'safe';
  for (const f of findings) if (RANK[f.verdict] > RANK[verdict]) verdict = f.verdict;
  const reasons: string[] = [];
  for (const f of findings) if (f.verdict === verdict && !reasons.includes(f.reason)) reasons.push(f.reason);
  return { verdict, reasons };
}
