/**
 * Which endpoint+model pairs refused `stream_options` (Mistral answers 422 `extra_forbidden`, some gateways
 * 400). Remembered for the life of the process so we ask once, not on every request.
 */
export class IncludeUsageMemory {
  private readonly refused = new Set<string>();

  private static key(url: string, model: string): string {
    return `${url}\u0000${model}`;
  }

  /** True when this endpoint+model refused `stream_options` before. */
  refuses(url: string, model: string): boolean {
    return this.refused.has(IncludeUsageMemory.key(url, model));
  }

  /** Records that this endpoint+model refused `stream_options`. */
  remember(url: string, model: string): void {
    this.refused.add(IncludeUsageMemory.key(url, model));
  }

  /** Forgets everything (tests; a settings change). */
  clear(): void {
    this.refused.clear();
  }
}

/** The process-wide memory used when ChatOptions.includeUsageMemory is not given. */
export const defaultIncludeUsageMemory = new IncludeUsageMemory();
