/**
 * The host <-> webview protocol. Both bundles import this file, so it holds only types, constants and
 * pure guards (no vscode, no DOM).
 *
 * The host owns the truth: the webview posts `ready` with the protocol version it was built with, the host
 * answers with a full `snapshot`; later messages carry a sequence number so a webview can tell when it missed
 * one and ask again with `ready`.
 */

/** Bumped whenever a message's shape changes incompatibly. */
export const PROTOCOL_VERSION = 1;

/** One message of the conversation as the webview renders it. */
export interface TranscriptMessage {
  id: string;
  role: 'user' | 'assistant';
  text: string;
}

/** Everything the webview needs to render from scratch. */
export interface ViewState {
  messages: TranscriptMessage[];
  /** Settings problems, one line each, shown in the view's header until fixed. */
  problems: string[];
}

export type HostToWebview =
  | { type: 'snapshot'; protocolVersion: number; seq: number; state: ViewState }
  | { type: 'focusInput'; seq: number }
  | { type: 'problems'; seq: number; problems: string[] }
  | { type: 'protocolMismatch'; seq: number; hostVersion: number; webviewVersion: number };

export type WebviewToHost =
  | { type: 'ready'; protocolVersion: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'openSettings' };

const LOG_LEVELS = new Set(['info', 'warn', 'error']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates a message that arrived from the webview. The webview runs untrusted model output, so the host
 * treats everything it posts as `unknown` until this guard accepts it.
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
      return { type: 'openSettings' };
    default:
      return undefined;
  }
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Validates a message that arrived from the host (defensive: a stale webview may meet a newer host). */
export function parseHostMessage(value: unknown): HostToWebview | undefined {
  if (!isRecord(value) || typeof value.type !== 'string' || !Number.isInteger(value.seq)) return undefined;
  switch (value.type) {
    case 'snapshot':
      return Number.isInteger(value.protocolVersion) && isRecord(value.state) && Array.isArray(value.state.messages) && isStringList(value.state.problems)
        ? (value as HostToWebview)
        : undefined;
    case 'problems':
      return isStringList(value.problems) ? (value as HostToWebview) : undefined;
    case 'focusInput':
      return value as HostToWebview;
    case 'protocolMismatch':
      return Number.isInteger(value.hostVersion) && Number.isInteger(value.webviewVersion) ? (value as HostToWebview) : undefined;
    default:
      return undefined;
  }
}
