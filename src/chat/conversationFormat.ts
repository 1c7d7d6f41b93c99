// Pure: the stored shape of a conversation, with its version, and the migration of older stored shapes.
// A conversation saved by any earlier release opens after an upgrade with nothing lost.
import { isRecord } from '../common/guards';
import { emptyInfo, type AnswerInfo, type AnswerPart, type AssistantMessage, type ErrorAction, type TranscriptMessage } from '../protocol/transcript';

export const CONVERSATION_VERSION = 2;

/** A stored conversation. */
export interface Conversation {
  version: typeof CONVERSATION_VERSION;
  id: string;
  title: string;
  created: number;
  updated: number;
  messages: TranscriptMessage[];
}

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/**
 * Reads a stored conversation of any version; undefined when it is not one at all. Version 1 (no `version`
 * field) kept each message as `{ role, text, reasoning, state, info?, error?, deltas }`; its answers become a
 * reasoning part and a text part of step 0.
 */
export function migrateConversation(raw: unknown): Conversation | undefined {
  if (!isRecord(raw) || typeof raw.id !== 'string' || !Array.isArray(raw.messages)) return undefined;
  const created = num(raw.created, 0);
  const base = { version: CONVERSATION_VERSION, id: raw.id, title: str(raw.title, 'Chat'), created, updated: num(raw.updated, created) } as const;
  if (raw.version === CONVERSATION_VERSION) return { ...base, messages: raw.messages as TranscriptMessage[] };
  if (raw.version !== undefined) return undefined; // a newer release's format: leave it untouched
  const messages: TranscriptMessage[] = [];
  for (const m of raw.messages) {
    if (!isRecord(m) || typeof m.id !== 'string') continue;
    if (m.role === 'user') messages.push({ id: m.id, role: 'user', text: str(m.text) });
    else if (m.role === 'assistant') messages.push(migrateAnswer(m));
  }
  return { ...base, messages };
}

function migrateAnswer(m: Record<string, unknown>): AssistantMessage {
  const parts: AnswerPart[] = [];
  if (str(m.reasoning)) parts.push({ kind: 'reasoning', step: 0, text: str(m.reasoning) });
  if (str(m.text)) parts.push({ kind: 'text', step: 0, text: str(m.text) });
  const state = m.state === 'done' || m.state === 'stopped' || m.state === 'error' ? m.state : 'stopped';
  const info: AnswerInfo = isRecord(m.info) ? { ...emptyInfo(), ...(m.info as Partial<AnswerInfo>), steps: 1 } : { ...emptyInfo(), costUnknown: true, steps: 1 };
  const answer: AssistantMessage = { id: m.id as string, role: 'assistant', parts, state, info, deltas: num(m.deltas, 0) };
  if (isRecord(m.error) && typeof m.error.message === 'string') {
    const actions = Array.isArray(m.error.actions) ? m.error.actions.filter((a): a is ErrorAction => a === 'openSettings' || a === 'retry' || a === 'showLog') : ['showLog' as const];
    answer.error = { kind: str(m.error.kind, 'internal'), message: m.error.message, actions };
  }
  return answer;
}

/** Answers left streaming by a crash or a closed window are shown as stopped, not as forever busy. */
export function repairInterrupted(c: Conversation): Conversation {
  for (const m of c.messages) {
    if (m.role === 'compaction' && m.state === 'running') {
      m.state = 'failed';
      m.error = 'interrupted when the window closed';
    }
    if (m.role !== 'assistant' || m.state !== 'streaming') continue;
    m.state = 'stopped';
    for (const p of m.parts) {
      if (p.kind === 'toolCall' && !p.result) {
        p.state = 'rejected';
        p.outcome = 'not run: the window closed before a decision';
      }
    }
  }
  return c;
}
