// Scripted model answers for the loopback servers: a streamed text answer, a tool-call step, any chunks.
import { DONE, sse } from '../fixtures/providers/build';
import type { ScriptedResponse } from './sseServer';

/** An SSE response of these chunks, then [DONE]. */
export const streamOf = (...chunks: object[]): ScriptedResponse => ({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: sse(...chunks, DONE) });

/** A text answer with its usage (and cost, when given). */
export const textAnswer = (text: string, cost?: number, promptTokens = 40) => streamOf(
  { choices: [{ index: 0, delta: { content: text } }] },
  { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
  { choices: [], usage: { prompt_tokens: promptTokens, completion_tokens: 20, total_tokens: promptTokens + 20, ...(cost === undefined ? {} : { cost }) } },
);

/** A step that calls one tool (with usage, and its cost when given). */
export const toolCallStep = (id: string, name: string, args: object, cost?: number) => streamOf(
  { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: JSON.stringify(args) } }] } }] },
  { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
  { choices: [], usage: { prompt_tokens: 30, completion_tokens: 10, total_tokens: 40, ...(cost === undefined ? {} : { cost }) } },
);
