/**
 * The usage ledger: records, money in nano-dollars, totals per period, formatting for the status bar, tooltip
 * and export, and the shared append-only log. Pure Node: no `vscode`.
 */
export {
  MAX_ID_LENGTH,
  MAX_NAME_LENGTH,
  USAGE_RECORD_VERSION,
  parseRecord,
  recordFromUsage,
  serializeRecord,
  unknownUsageRecord,
  type CostSource,
  type RecordMeta,
  type UnknownUsage,
  type UsageRecord,
} from './record';
export { NANOS_PER_USD, formatUsd, groupDigits, nanosToDecimal, usdToNanos } from './money';
export {
  USAGE_PERIODS,
  localDayKey,
  localMonthKey,
  periodLabel,
  recentDayKeys,
  startOfLocalDay,
  startOfLocalMonth,
  startOfNextLocalDay,
  type UsagePeriod,
} from './period';
export {
  BY_DAY_DAYS,
  UsageAccumulator,
  addRecord,
  emptyTotals,
  knownCostRequests,
  summarize,
  type DayTotals,
  type PeriodTotals,
  type Totals,
  type UsageSummary,
} from './totals';
export { STATUS_BUSY_ICON, STATUS_ICON, compactCount, formatCost, formatTokens, statusBarText } from './format';
export { MAX_TABLE_ROWS, escapeMarkdown, totalsTable, usageTooltipMarkdown, type TooltipLink } from './tooltip';
export { CSV_COLUMNS, csvField, toCsv, toJson } from './export';
export { DEFAULT_POLL_MS, DEFAULT_STALE_PARTIAL_MS, LedgerFile, MAX_LINE_BYTES, type LedgerFileOptions } from './ledgerFile';
export { UsageLedger, type LedgerChange, type UsageLedgerOptions } from './ledger';
export { usageReportMarkdown } from './report';
