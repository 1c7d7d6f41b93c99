/** Shared tools for the broker tests: run a stream to its end and describe what happened. */
import { strict as assert } from 'node:assert';
import { BrokerError, type BrokerEvent, type ModelConfig, type Usage } from '../../../src/broker';
import type { ExpectedError } from '../../fixtures/providers';

/** What a stream produced: every event, and the error it ended with (if any). */
export interface Outcome {
  events: BrokerEvent[];
  error?: BrokerError;
}

/** Iterates to the end, collecting events and the thrown BrokerError. Anything else thrown fails the test. */
export async function collect(stream: AsyncIterable<BrokerEvent>): Promise<Outcome> {
  const events: BrokerEvent[] = [];
  try {
    for await (const e of stream) events.push(e);
  } catch (e) {
    if (!(e instanceof BrokerError)) throw new assert.AssertionError({ message: `expected a BrokerError, got ${String((e as Error)?.stack ?? e)}` });
    return { events, error: e };
  }
  return { events };
}

/** The comparable part of an error (message checked separately, it is prose). */
export function errorFacts(e: BrokerError): Record<string, unknown> {
  return {
    kind: e.kind,
    status: e.status,
    code: e.code,
    retryable: e.retryable,
    retryAfterMs: e.retryAfterMs,
    partialText: e.partialText,
    usage: e.usage,
  };
}

/** Asserts an error matches the expectation; fields not given must be absent. */
export function assertError(actual: BrokerError | undefined, expected: ExpectedError, defaultStatus: number | undefined, context: string): void {
  assert.ok(actual, `${context}: expected a ${expected.kind} error, the stream succeeded`);
  assert.deepStrictEqual(
    errorFacts(actual),
    {
      kind: expected.kind,
      status: expected.status ?? defaultStatus,
      code: expected.code,
      retryable: expected.retryable,
      retryAfterMs: expected.retryAfterMs,
      partialText: expected.partialText,
      usage: expected.usage as Usage | undefined,
    },
    `${context}: error facts (message: ${actual.message})`,
  );
  if (expected.messageIncludes) assert.ok(actual.message.includes(expected.messageIncludes), `${context}: message "${actual.message}" should include "${expected.messageIncludes}"`);
  assertOneLine(actual);
}

/** Every error message is one readable line: no newlines, no JSON dumps, no HTML. */
export function assertOneLine(e: BrokerError): void {
  assert.ok(!/[\r\n]/.test(e.message), `message has a line break: ${JSON.stringify(e.message)}`);
  assert.ok(e.message.length <= 400, `message too long (${e.message.length})`);
  assert.ok(!/<html|<body|^\s*\{"/i.test(e.message), `message looks like a raw body: ${e.message}`);
}

/** A model config pointing at a test server. */
export function modelAt(url: string, extra: Partial<ModelConfig> = {}): ModelConfig {
  return { id: 'm1', endpoint: url, model: 'test-model', includeUsage: 'never', ...extra };
}

export const SSE_HEADERS = { 'content-type': 'text/event-stream' };

/** One OpenAI-style SSE body with the given text deltas, a finish and [DONE]. */
export function sseBody(deltas: string[], opts: { finish?: string; usage?: Record<string, unknown> } = {}): string {
  const lines = deltas.map((d) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: d }, finish_reason: null }] })}\n\n`);
  lines.push(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: opts.finish ?? 'stop' }] })}\n\n`);
  if (opts.usage) lines.push(`data: ${JSON.stringify({ choices: [], usage: opts.usage })}\n\n`);
  lines.push('data: [DONE]\n\n');
  return lines.join('');
}
