import * as vscode from 'vscode';
import type { SwitchboardApi } from '../../src/extension';
import type { AssistantMessage } from '../../src/protocol/transcript';

export const EXTENSION_ID = 'switchboard.switchboard';

/** Activates the extension under test (idempotent) and returns its test API. */
export async function activateSwitchboard(): Promise<SwitchboardApi> {
  const ext = vscode.extensions.getExtension<SwitchboardApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this extension host`);
  return ext.activate();
}

/** Resolves with the first value of an event, or rejects after `ms`. */
export function nextEvent<T>(event: vscode.Event<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    const sub = event((value) => {
      clearTimeout(timer);
      sub.dispose();
      resolve(value);
    });
  });
}

/** The session's message at `index` as an answer (throws when it is not one). */
export function answerAt(api: SwitchboardApi, index: number): AssistantMessage {
  const m = api.session.messages[index];
  if (!m || m.role !== 'assistant') throw new Error(`message ${index} is not an answer: ${JSON.stringify(m)}`);
  return m;
}

/** Polls until `ok()` holds, or rejects naming `what` after `ms`. */
export async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
