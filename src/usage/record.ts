/**
 * One line of the usage log: what a single model attempt used and cost. Plain data, safe to serialize, and
 * parsed back strictly so a damaged line can never poison the totals.
 */
import { randomUUID } from 'node:crypto';
import type { Usage } from '../broker';
import { usdToNanos } from './money';

/** The record format version written by this code. */
export const USAGE_RECORD_VERSION = 1;

/** Longest model id, model name and category kept (in code points), so a line stays well under 4 KB. */
export const MAX_NAME_LENGTH = 100;
/** Longest record id and session id kept (in code points). */
export const MAX_ID_LENGTH = 64;

/** Where a cost came from: the server's own figure, the configured price, or nowhere. */
export type CostSource = Usage['costSource'];

/** One model attempt, as stored in the usage log. */
export interface UsageRecord {
  v: typeof USAGE_RECORD_VERSION;
  /** Unique per record (a random UUID unless given). */
  id: string;
  /** Epoch milliseconds when the attempt ended. */
  time: number;
  /** The VS Code window that wrote it; "session" totals are this window's records. */
  sessionId: string;
  /** The model's id in settings (usage is attributed to it). */
  modelId: string;
  /** The model the server says answered. */
  model: string;
  /** What the request was for: "chat", "summarize", "probe"... */
  category: string;
  /** False for an attempt that reported no usage: it still counts as a request, with unknown tokens and cost. */
  usageKnown: boolean;
  promptTokens: number;
  completionTokens: number;
  /** As the server reported it (may include reasoning tokens). */
  totalTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  /** Integer nano-dollars; null when unknown (never 0 for unknown). */
  costNanos: number | null;
  costSource: CostSource;
  /** The conversation the request belonged to (chat, compaction, delegated subtasks), when there was one. */
  conversationId?: string;
}

/** Who wrote a record and when. */
export interface RecordMeta {
  sessionId: string;
  /** Epoch milliseconds. */
  time: number;
  /** Default: a random UUID. */
  id?: string;
  /** The conversation the request belonged to. */
  conversationId?: string;
}

/** An attempt that ended without reporting usage. */
export interface UnknownUsage {
  usageKnown: false;
  modelId: string;
  /** The model the server named, if any; default the model id. */
  model?: string;
  category: string;
}

function clip(s: unknown, max: number): string {
  const str = typeof s === 'string' ? s : String(s ?? '');
  // By code points, so a surrogate pair is never cut in half.
  const points = Array.from(str);
  return points.length > max ? points.slice(0, max).join('') : str;
}

function when(time: number): number {
  return Number.isFinite(time) && time > 0 ? Math.round(time) : 0;
}

function count(n: number | undefined): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.min(Math.round(n), Number.MAX_SAFE_INTEGER) : 0;
}

/** The fields every record has: identity, time, window, and what was asked of which model. */
function recordHead(meta: RecordMeta, modelId: string, model: string, category: string) {
  return {
    v: USAGE_RECORD_VERSION,
    id: clip(meta.id ?? randomUUID(), MAX_ID_LENGTH),
    time: when(meta.time),
    sessionId: clip(meta.sessionId, MAX_ID_LENGTH),
    modelId: clip(modelId, MAX_NAME_LENGTH),
    model: clip(model, MAX_NAME_LENGTH),
    category: clip(category, MAX_NAME_LENGTH),
    ...(meta.conversationId ? { conversationId: clip(meta.conversationId, MAX_ID_LENGTH) } : {}),
  } as const;
}

/**
 * A record for an attempt that reported usage. A cost that is missing, not a sane amount, or labelled with an
 * unknown source is stored as unknown: a doubtful 0 must never read as "free".
 */
export function recordFromUsage(usage: Usage, meta: RecordMeta): UsageRecord {
  const costNanos = usage.cost === null || usage.costSource === 'unknown' ? undefined : usdToNanos(usage.cost);
  return {
    ...recordHead(meta, usage.modelId, usage.model, usage.category),
    usageKnown: true,
    promptTokens: count(usage.promptTokens),
    completionTokens: count(usage.completionTokens),
    totalTokens: count(usage.totalTokens),
    cachedTokens: count(usage.cachedTokens),
    reasoningTokens: count(usage.reasoningTokens),
    costNanos: costNanos ?? null,
    costSource: costNanos === undefined ? 'unknown' : usage.costSource,
  };
}

/** A record for an attempt that reported no usage, so the request count stays right. */
export function unknownUsageRecord(attempt: Omit<UnknownUsage, 'usageKnown'>, meta: RecordMeta): UsageRecord {
  return {
    ...recordHead(meta, attempt.modelId, attempt.model ?? attempt.modelId, attempt.category),
    usageKnown: false,
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    cachedTokens: 0,
    reasoningTokens: 0,
    costNanos: null,
    costSource: 'unknown',
  };
}

/** One JSON line (without the newline). `v` comes first: the reader relies on it to find records in a torn line. */
export function serializeRecord(record: UsageRecord): string {
  const ordered: UsageRecord = {
    v: record.v,
    id: record.id,
    time: record.time,
    sessionId: record.sessionId,
    modelId: record.modelId,
    model: record.model,
    category: record.category,
    usageKnown: record.usageKnown,
    promptTokens: record.promptTokens,
    completionTokens: record.completionTokens,
    totalTokens: record.totalTokens,
    cachedTokens: record.cachedTokens,
    reasoningTokens: record.reasoningTokens,
    costNanos: record.costNanos,
    costSource: record.costSource,
  };
  if (record.conversationId) ordered.conversationId = record.conversationId;
  return JSON.stringify(ordered);
}

/** The text every serialized record starts with. */
export const RECORD_PREFIX = `{"v":${USAGE_RECORD_VERSION},`;

const COUNT_FIELDS = ['promptTokens', 'completionTokens', 'totalTokens', 'cachedTokens', 'reasoningTokens'] as const;

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isText(v: unknown, max: number, allowEmpty: boolean): v is string {
  // Code points never outnumber UTF-16 units: count them only when the quick bound is not enough.
  return typeof v === 'string' && (allowEmpty || v.length > 0) && (v.length <= max || Array.from(v).length <= max);
}

/**
 * Parses one log line strictly: anything malformed (bad JSON, wrong version, a missing or ill-typed field,
 * an inconsistent cost) gives undefined. Never throws. Unknown extra fields are dropped.
 */
export function parseRecord(line: string): UsageRecord | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  if (r.v !== USAGE_RECORD_VERSION) return undefined;
  if (!isText(r.id, MAX_ID_LENGTH, false) || !isText(r.sessionId, MAX_ID_LENGTH, true)) return undefined;
  if (!isText(r.modelId, MAX_NAME_LENGTH, true) || !isText(r.model, MAX_NAME_LENGTH, true) || !isText(r.category, MAX_NAME_LENGTH, true)) {
    return undefined;
  }
  if (!isCount(r.time)) return undefined;
  if (typeof r.usageKnown !== 'boolean') return undefined;
  for (const f of COUNT_FIELDS) if (!isCount(r[f])) return undefined;
  if (r.costNanos !== null && !isCount(r.costNanos)) return undefined;
  if (r.costSource !== 'provider' && r.costSource !== 'price' && r.costSource !== 'unknown') return undefined;
  // A null cost is unknown whatever the source says; a record claiming otherwise was not written by us.
  if (r.costNanos === null && r.costSource !== 'unknown') return undefined;
  if (r.costNanos !== null && r.costSource === 'unknown') return undefined;
  if (!r.usageKnown && (r.costNanos !== null || COUNT_FIELDS.some((f) => r[f] !== 0))) return undefined;
  return {
    v: USAGE_RECORD_VERSION,
    id: r.id,
    time: r.time,
    sessionId: r.sessionId,
    modelId: r.modelId,
    model: r.model,
    category: r.category,
    usageKnown: r.usageKnown,
    promptTokens: r.promptTokens as number,
    completionTokens: r.completionTokens as number,
    totalTokens: r.totalTokens as number,
    cachedTokens: r.cachedTokens as number,
    reasoningTokens: r.reasoningTokens as number,
    costNanos: r.costNanos,
    costSource: r.costSource,
    ...(isText(r.conversationId, MAX_ID_LENGTH, false) ? { conversationId: r.conversationId } : {}),
  };
}
