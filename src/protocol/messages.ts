/**
 * The host <-> webview protocol. Both bundles import this file, so it holds only types, constants and
 * pure guards (no vscode, no DOM).
 *
 * The host owns the truth: the webview posts `ready` with the protocol version it was built with, the host
 * answers with a full `snapshot`; later messages carry a sequence number. Streamed answers arrive as
 * numbered `delta`s per message: a webview that sees a gap (it was hidden, a message was lost) posts `ready`
 * again and gets a fresh snapshot.
 */

/** Bumped whenever a message's shape changes incompatibly. */
export const PROTOCOL_VERSION = 3;

export type {
  AnswerInfo, AnswerPart, AnswerState, AssistantMessage, ErrorAction, NoticePart, ReasoningPart, TextPart, ToolCallPart, ToolCallState,
  TranscriptMessage, UserMessage,
} from './transcript';
import { isRecord } from '../common/guards';
import { isTranscriptMessage, type TranscriptMessage } from './transcript';

export interface ConversationSummary {
  id: string;
  title: string;
  updated: number;
}

/** A chain the user can pick in the view's header. */
export interface ChainChoice {
  id: string;
  label: string;
}

/** Everything the webview needs to render from scratch. */
export interface ViewState {
  conversationId: string;
  messages: TranscriptMessage[];
  /** Settings problems, one line each, shown in the view's header until fixed. */
  problems: string[];
  /** True while an answer streams. */
  busy: boolean;
  conversations: ConversationSummary[];
  chains: ChainChoice[];
  selectedChain: string;
  /** The unsent draft and the transcript's scroll position, kept by the host so they survive a reload. */
  draft: string;
  /** When the webview saved that draft (the webview's clock): the newer of the host's and the webview's own draft wins. */
  draftAt: number;
  scrollTop: number | null;
}

export type HostToWebview =
  | { type: 'snapshot'; protocolVersion: number; seq: number; state: ViewState }
  | { type: 'focusInput'; seq: number }
  /** Text to add to the draft (e.g. "Add Selection to Chat"). */
  | { type: 'attach'; seq: number; text: string }
  | { type: 'problems'; seq: number; problems: string[] }
  /** The chain picker changed (settings edited, another chain chosen): the transcript is not re-sent. */
  | { type: 'header'; seq: number; chains: ChainChoice[]; selectedChain: string }
  /** Adds a message, or replaces it (its parts include every delta up to its `deltas` count). */
  | { type: 'upsert'; seq: number; message: TranscriptMessage; busy: boolean }
  /** Appends to a streaming answer's `step` (see appendDelta); `index` must equal the message's `deltas` count. */
  | { type: 'delta'; seq: number; messageId: string; index: number; step: number; text: string; reasoning: string }
  | { type: 'conversations'; seq: number; conversations: ConversationSummary[] }
  | { type: 'imageLoaded'; seq: number; requestId: number; dataUrl?: string; error?: string }
  | { type: 'protocolMismatch'; seq: number; hostVersion: number; webviewVersion: number }
  /** The host stored the draft the webview saved at `at`. */
  | { type: 'uiSaved'; seq: number; at: number };

export type WebviewToHost =
  | { type: 'ready'; protocolVersion: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'openSettings' }
  | { type: 'showLog' }
  | { type: 'send'; text: string }
  | { type: 'stop' }
  | { type: 'retry' }
  | { type: 'newChat' }
  | { type: 'openConversation'; id: string }
  | { type: 'selectChain'; id: string }
  | { type: 'openLink'; href: string }
  /** A workspace file link from an answer (`src/a.ts#L10`, `src/a.ts:10`); the host opens it only inside the workspace. */
  | { type: 'openFile'; path: string; line?: number }
  | { type: 'loadImage'; requestId: number; src: string }
  | { type: 'copy'; text: string }
  | { type: 'insert'; text: string }
  /** A button on a pending tool call's card. */
  | { type: 'toolDecision'; callId: string; decision: 'approve' | 'reject' | 'alwaysAllow' | 'runInTerminal'; confirmed?: boolean; reason?: string }
  /** Undo on a compaction's card. */
  | { type: 'undoCompaction'; id: string }
  /** "Open Diff" on an edit's card: VS Code's diff editor with the proposed change. */
  | { type: 'showDiff'; messageId: string; callId: string }
  /** The draft and scroll position, sent (debounced) as they change; `at` is when the webview saved them. */
  | { type: 'uiState'; draft: string; scrollTop: number; at: number };

const LOG_LEVELS = new Set(['info', 'warn', 'error']);
/** Generous bounds: a message is typed by a person, a code block may be long, a URL is short. */
const MAX_TEXT = 1_000_000;
const MAX_URL = 8_192;


const isString = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/**
 * Validates a message that arrived from the webview. The webview renders untrusted model output, so the
 * host treats everything it posts as `unknown` until this guard accepts it; only known fields are kept.
 */
export function parseWebviewMessage(value: unknown): WebviewToHost | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') return undefined;
  switch (value.type) {
    case 'ready':
      return Number.isInteger(value.protocolVersion) ? { type: 'ready', protocolVersion: value.protocolVersion as number } : undefined;
    case 'log':
      return typeof value.level === 'string' && LOG_LEVELS.has(value.level) && typeof value.message === 'string'
        ? { type: 'log', level: value.level as 'info' | 'warn' | 'error', message: value.message.slice(0, 2000) }
        : undefined;
    case 'openSettings':
    case 'showLog':
    case 'stop':
    case 'retry':
    case 'newChat':
      return { type: value.type };
    case 'send':
      return isString(value.text, MAX_TEXT) && value.text.trim() !== '' ? { type: 'send', text: value.text } : undefined;
    case 'undoCompaction':
    case 'openConversation':
    case 'selectChain':
      return isString(value.id, 200) ? { type: value.type, id: value.id } : undefined;
    case 'openLink':
      return isString(value.href, MAX_URL) ? { type: 'openLink', href: value.href } : undefined;
    case 'openFile':
      if (!isString(value.path, MAX_URL) || value.path === '') return undefined;
      if (value.line === undefined) return { type: 'openFile', path: value.path };
      return Number.isInteger(value.line) && (value.line as number) > 0 && (value.line as number) <= 10_000_000 ? { type: 'openFile', path: value.path, line: value.line as number } : undefined;
    case 'loadImage':
      return Number.isInteger(value.requestId) && isString(value.src, MAX_URL) ? { type: 'loadImage', requestId: value.requestId as number, src: value.src } : undefined;
    case 'copy':
    case 'insert':
      return isString(value.text, MAX_TEXT) ? { type: value.type, text: value.text } : undefined;
    case 'toolDecision': {
      const decisions = ['approve', 'reject', 'alwaysAllow', 'runInTerminal'];
      if (!isString(value.callId, 200) || typeof value.decision !== 'string' || !decisions.includes(value.decision)) return undefined;
      const out: WebviewToHost = { type: 'toolDecision', callId: value.callId, decision: value.decision as 'approve' };
      if (value.confirmed === true) out.confirmed = true;
      if (isString(value.reason, 2000) && value.reason.trim()) out.reason = value.reason.trim();
      return out;
    }
    case 'showDiff':
      return isString(value.messageId, 200) && isString(value.callId, 200) ? { type: 'showDiff', messageId: value.messageId, callId: value.callId } : undefined;
    case 'uiState':
      return isString(value.draft, MAX_TEXT) && typeof value.scrollTop === 'number' && Number.isFinite(value.scrollTop) && typeof value.at === 'number' && Number.isFinite(value.at)
        ? { type: 'uiState', draft: value.draft, scrollTop: Math.max(0, value.scrollTop), at: value.at }
        : undefined;
    default:
      return undefined;
  }
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Validates a message that arrived from the host (defensive: a stale webview may meet a newer host). */
export function parseHostMessage(value: unknown): HostToWebview | undefined {
  if (!isRecord(value) || typeof value.type !== 'string' || !Number.isInteger(value.seq)) return undefined;
  switch (value.type) {
    case 'snapshot': {
      const s = value.state;
      return Number.isInteger(value.protocolVersion) && isRecord(s) && Array.isArray(s.messages) && s.messages.every(isTranscriptMessage)
        && isStringList(s.problems) && Array.isArray(s.conversations) && Array.isArray(s.chains)
        ? (value as HostToWebview)
        : undefined;
    }
    case 'focusInput':
      return value as HostToWebview;
    case 'attach':
      return typeof value.text === 'string' ? (value as HostToWebview) : undefined;
    case 'problems':
      return isStringList(value.problems) ? (value as HostToWebview) : undefined;
    case 'header':
      return Array.isArray(value.chains) && typeof value.selectedChain === 'string' ? (value as HostToWebview) : undefined;
    case 'upsert':
      return isTranscriptMessage(value.message) && typeof value.busy === 'boolean' ? (value as HostToWebview) : undefined;
    case 'delta':
      return typeof value.messageId === 'string' && Number.isInteger(value.index) && Number.isInteger(value.step) && typeof value.text === 'string' && typeof value.reasoning === 'string'
        ? (value as HostToWebview)
        : undefined;
    case 'conversations':
      return Array.isArray(value.conversations) ? (value as HostToWebview) : undefined;
    case 'imageLoaded':
      return Number.isInteger(value.requestId) ? (value as HostToWebview) : undefined;
    case 'uiSaved':
      return typeof value.at === 'number' ? (value as HostToWebview) : undefined;
    case 'protocolMismatch':
      return Number.isInteger(value.hostVersion) && Number.isInteger(value.webviewVersion) ? (value as HostToWebview) : undefined;
    default:
      return undefined;
  }
}
