/**
 * Short texts for totals: a cost that never shows "$0" for something unknown, compact token counts, and the
 * status-bar label.
 */
import { formatUsd } from './money';
import { knownCostRequests, type Totals } from './totals';

/**
 * The cost of a set of requests: "$0.0123" when every cost is known, "$0.41 + unknown" when some are not,
 * "unknown" when none is. "$0.00" only when known costs truly add up to zero (or there are no requests).
 */
export function formatCost(totals: Totals): string {
  if (totals.unknownCostRequests === 0) return formatUsd(totals.knownCostNanos);
  if (knownCostRequests(totals) === 0) return 'unknown';
  return `${formatUsd(totals.knownCostNanos)} + unknown`;
}

/**
 * One answer's (or card's) cost: "$0.0123", "$0.41 + unknown" when part of it is unknown, "cost unknown" when
 * all of it is. Never "$0" for something unknown.
 */
export function formatAnswerCost(knownNanos: number, partUnknown: boolean): string {
  if (!partUnknown) return formatUsd(knownNanos);
  return knownNanos > 0 ? `${formatUsd(knownNanos)} + unknown` : 'cost unknown';
}

const SCALES: [number, string][] = [
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** A compact count: 950 → "950", 12_345 → "12.3k", 123_456 → "123k", 1_234_567 → "1.2M". */
export function compactCount(n: number): string {
  if (n < 1000) return String(Math.round(n));
  for (let i = SCALES.length - 1; i >= 0; i--) {
    const [size, suffix] = SCALES[i];
    const next = SCALES[i - 1]?.[0];
    if (next !== undefined && n >= next) continue;
    const scaled = n / size;
    const text = scaled < 100 ? scaled.toFixed(1) : scaled.toFixed(0);
    // 999_960 would round to "1000k": move up a unit instead.
    if (Number(text) >= 1000 && next !== undefined) return compactCount(next);
    return `${text.replace(/\.0$/, '')}${suffix}`;
  }
  return String(n);
}

/** A token count for a label: "12.3k tok". */
export function formatTokens(n: number): string {
  return `${compactCount(n)} tok`;
}

/** The status-bar icon, and the one shown while a request streams. */
export const STATUS_ICON = '$(pulse)';
export const STATUS_BUSY_ICON = '$(loading~spin)';

/**
 * The status-bar label for a period's totals: "$(pulse) $0.0123", "$(pulse) $0.41 + unknown", or the token
 * count ("$(pulse) 12.3k tok") when every cost is unknown, since a dollar figure would be a guess. No requests
 * read "$0.00"; requests that reported neither cost nor tokens read "unknown".
 */
export function statusBarText(totals: Totals, options: { busy?: boolean } = {}): string {
  const icon = options.busy ? STATUS_BUSY_ICON : STATUS_ICON;
  if (totals.requests === 0 || knownCostRequests(totals) > 0) return `${icon} ${formatCost(totals)}`;
  if (totals.requestsWithoutUsage === totals.requests) return `${icon} unknown`;
  return `${icon} ${formatTokens(totals.totalTokens)}`;
}
