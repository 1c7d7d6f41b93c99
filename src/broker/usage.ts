/**
 * Usage and cost from whatever `usage` object a server sent. Counts are taken as reported: never summed
 * across chunks (Perplexity and vLLM send cumulative counts) and `total_tokens` never recomputed (xAI's
 * includes reasoning tokens).
 */
import type { ModelConfig, Usage } from './types';

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

function field(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null ? (obj as Record<string, unknown>)[key] : undefined;
}

/** True when `raw` looks like a usage object worth keeping (has at least one token count or a cost). */
export function isUsageObject(raw: unknown): raw is Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const u = raw as Record<string, unknown>;
  return num(u.prompt_tokens) !== undefined || num(u.completion_tokens) !== undefined || num(u.total_tokens) !== undefined || num(u.cost) !== undefined;
}

/** Converts a raw usage object into a Usage, pricing it as well as we can. */
export function toUsage(raw: Record<string, unknown>, model: ModelConfig, responseModel: string | null, category: string): Usage {
  const promptTokens = num(raw.prompt_tokens) ?? 0;
  const completionTokens = num(raw.completion_tokens) ?? 0;
  // Only when the server left it out do we add the two up: a reported total is never second-guessed.
  const totalTokens = num(raw.total_tokens) ?? promptTokens + completionTokens;
  const cachedTokens = num(field(raw.prompt_tokens_details, 'cached_tokens')) ?? num(raw.prompt_cache_hit_tokens) ?? num(raw.cached_tokens);
  const reasoningTokens = num(field(raw.completion_tokens_details, 'reasoning_tokens')) ?? num(raw.reasoning_tokens);

  const usage: Usage = {
    promptTokens,
    completionTokens,
    totalTokens,
    cost: null,
    costSource: 'unknown',
    modelId: model.id,
    model: responseModel ?? model.model,
    category,
  };
  if (cachedTokens !== undefined) usage.cachedTokens = cachedTokens;
  if (reasoningTokens !== undefined) usage.reasoningTokens = reasoningTokens;

  const providerCost = num(raw.cost);
  if (providerCost !== undefined) {
    usage.cost = providerCost;
    usage.costSource = 'provider';
  } else if (model.price && num(model.price.inputPerMTok) !== undefined && num(model.price.outputPerMTok) !== undefined) {
    usage.cost = priceCost(model.price, promptTokens, completionTokens, cachedTokens ?? 0);
    usage.costSource = 'price';
  }
  return usage;
}

/** USD for the given counts; cached prompt tokens at the cached price when one is configured. */
export function priceCost(
  price: NonNullable<ModelConfig['price']>,
  promptTokens: number,
  completionTokens: number,
  cachedTokens: number,
): number {
  const cached = Math.min(cachedTokens, promptTokens);
  const cachedPrice = num(price.cachedInputPerMTok) ?? price.inputPerMTok;
  return ((promptTokens - cached) * price.inputPerMTok + cached * cachedPrice + completionTokens * price.outputPerMTok) / 1_000_000;
}
