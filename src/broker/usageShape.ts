/** The shape of one attempt's usage (its own file, so errors and events can share it without a cycle). */

/** Token counts and cost of one model attempt. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
  /** As reported by the server; never recomputed (some include reasoning tokens). */
  totalTokens: number;
  cachedTokens?: number;
  reasoningTokens?: number;
  /** USD; null when unknown (never 0 for unknown). */
  cost: number | null;
  costSource: 'provider' | 'price' | 'unknown';
  modelId: string;
  /** The model the server says answered (may differ from the requested one). */
  model: string;
  category: string;
}
