/** Shared helpers for the usage tests: usage objects, records and temporary log folders. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Usage } from '../../../src/broker';
import { recordFromUsage, type UsageRecord } from '../../../src/usage/record';

/** A plausible Usage; override what the test is about. */
export function usage(over: Partial<Usage> = {}): Usage {
  return {
    promptTokens: 100,
    completionTokens: 20,
    totalTokens: 120,
    cost: 0.001,
    costSource: 'provider',
    modelId: 'mini',
    model: 'openai/gpt-4o-mini',
    category: 'chat',
    ...over,
  };
}

let seq = 0;

/** A record made through recordFromUsage, with a predictable id. */
export function record(over: Partial<Usage> = {}, meta: { time?: number; sessionId?: string; id?: string } = {}): UsageRecord {
  return recordFromUsage(usage(over), { time: meta.time ?? 1_700_000_000_000, sessionId: meta.sessionId ?? 'window-a', id: meta.id ?? `r${++seq}` });
}

/** A fresh temporary folder and a function that removes it. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-usage-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Resolves when `predicate` holds, polling every few ms; rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
