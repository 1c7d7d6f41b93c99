/**
 * What one parsed stream chunk means. Guards every step: `choices` may be `[]` or absent, a choice may
 * have no `delta`, content may be a string or Mistral's typed parts, reasoning comes under three names.
 */
import { BrokerError } from './brokerError';
import { detailsFromJson, type ErrorDetails } from './classifyError';
import type { ResponseState } from './responseState';
import type { BrokerEvent } from './types';
import { isUsageObject } from './usage';

/** Receives the events a chunk produces, in order. */
export type Emit = (event: BrokerEvent) => void;

/** Effect flags returned by interpretChunk (the template fast path needs to know a chunk was "just text"). */
export const EFFECT_TEXT = 1;
export const EFFECT_REASONING = 2;
/** Anything else: tool calls, usage, finish reason, several events. */
export const EFFECT_OTHER = 4;

/** Thrown by interpretChunk for an error the server reported inside the stream. */
export class StreamReportedError extends Error {
  constructor(readonly details: ErrorDetails, readonly where: string) {
    super(details.message ?? 'stream error');
  }
}

/** Anthropic Messages API event types: a sign the endpoint URL points at the wrong API. */
const ANTHROPIC_TYPES = new Set(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);

export function anthropicShapeError(): BrokerError {
  return new BrokerError(
    'shape',
    "the endpoint answered with Anthropic Messages events (message_start), not OpenAI chat completion chunks: use the provider's OpenAI-compatible URL",
    { code: 'anthropic_stream' },
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reasoning text from one delta, counted once: `reasoning_content`, else `reasoning`, else `reasoning_details`. */
function reasoningOf(delta: Record<string, unknown>): string {
  const rc = delta.reasoning_content;
  if (typeof rc === 'string' && rc !== '') return rc;
  const r = delta.reasoning;
  if (typeof r === 'string' && r !== '') return r;
  const details = delta.reasoning_details;
  if (Array.isArray(details)) {
    let out = '';
    for (const d of details) {
      if (!isObject(d)) continue;
      if (typeof d.text === 'string') out += d.text;
      else if (typeof d.summary === 'string') out += d.summary;
    }
    return out;
  }
  return '';
}

/**
 * Applies one chunk to the response state and emits its text and reasoning events.
 * Throws StreamReportedError for an in-stream error, BrokerError('shape') for a chunk of the wrong kind.
 * Returns EFFECT_* flags.
 */
export function interpretChunk(chunk: unknown, state: ResponseState, emit: Emit): number {
  if (!isObject(chunk)) {
    throw new BrokerError('shape', `the server sent a stream event that is not a JSON object (${Array.isArray(chunk) ? 'an array' : typeof chunk === 'object' ? 'null' : typeof chunk})`, { code: 'bad_chunk' });
  }
  if (chunk.error !== undefined && chunk.error !== null && chunk.error !== false) {
    throw new StreamReportedError(detailsFromJson(chunk), 'in the stream');
  }
  if (typeof chunk.type === 'string' && ANTHROPIC_TYPES.has(chunk.type)) throw anthropicShapeError();

  let effects = 0;
  if (typeof chunk.model === 'string' && chunk.model !== '') state.model = chunk.model;

  if (chunk.usage !== undefined && chunk.usage !== null) {
    if (isUsageObject(chunk.usage)) {
      state.rawUsage = chunk.usage;
      effects |= EFFECT_OTHER;
    }
  } else if (isObject(chunk.x_groq) && isUsageObject(chunk.x_groq.usage)) {
    state.rawUsage = chunk.x_groq.usage;
    effects |= EFFECT_OTHER;
  }

  const choices = chunk.choices;
  if (!Array.isArray(choices) || choices.length === 0) return effects;
  // We ask for one completion; a server that streams several (`n` > 1) sends each choice with its `index`,
  // often one per chunk: the answer is choice 0 alone, never the choices interleaved.
  const choice = answerChoice(choices, state);
  if (choice === undefined) return effects;
  const delta = isObject(choice.delta) ? choice.delta : isObject(choice.message) ? choice.message : undefined;

  if (delta !== undefined) {
    const reasoning = reasoningOf(delta);
    const content = delta.content;
    if (reasoning !== '') {
      state.produced = true;
      state.chars += reasoning.length;
      emit({ kind: 'reasoning', text: reasoning });
      effects |= EFFECT_REASONING;
    }
    if (typeof content === 'string') {
      if (content !== '') {
        state.produced = true;
        state.chars += content.length;
        state.text += content;
        emit({ kind: 'text', text: content });
        effects |= effects & EFFECT_REASONING ? EFFECT_OTHER : EFFECT_TEXT;
      }
    } else if (Array.isArray(content)) {
      effects |= contentParts(content, state, emit);
    }
    const toolCalls = delta.tool_calls;
    if (Array.isArray(toolCalls) && toolCalls.length > 0) {
      for (const tc of toolCalls) {
        state.tools.add(tc);
        const args = isObject(tc) && isObject(tc.function) ? tc.function.arguments : undefined;
        if (typeof args === 'string') state.chars += args.length;
      }
      state.produced = true;
      effects |= EFFECT_OTHER;
    }
  }

  const finish = choice.finish_reason;
  if (typeof finish === 'string' && finish !== '') {
    if (finish === 'error') throw new StreamReportedError({ code: 'finish_reason_error' }, 'with finish_reason "error"');
    state.finishReason = finish;
    effects |= EFFECT_OTHER;
  }
  return effects;
}

/**
 * The choice that makes the answer: index 0 (a choice without an index counts as 0). A server that numbers
 * its only choice otherwise is followed at the index it used first.
 */
function answerChoice(choices: unknown[], state: ResponseState): Record<string, unknown> | undefined {
  const indexOf = (c: Record<string, unknown>): unknown => (c.index === undefined || c.index === null ? 0 : c.index);
  if (state.choiceIndex === undefined) {
    const objects = choices.filter(isObject);
    const chosen = objects.find((c) => indexOf(c) === 0) ?? objects[0];
    if (chosen !== undefined) state.choiceIndex = indexOf(chosen);
    return chosen;
  }
  for (const c of choices) if (isObject(c) && indexOf(c) === state.choiceIndex) return c;
  return undefined;
}

/** Mistral's typed content parts: `{type:"text", text}` and `{type:"thinking", thinking:[{type:"text", text}]}`. */
function contentParts(parts: unknown[], state: ResponseState, emit: Emit): number {
  let effects = 0;
  for (const part of parts) {
    if (!isObject(part)) continue;
    if (part.type === 'thinking') {
      let text = '';
      const inner = part.thinking;
      if (typeof inner === 'string') text = inner;
      else if (Array.isArray(inner)) for (const p of inner) if (isObject(p) && typeof p.text === 'string') text += p.text;
      if (text !== '') {
        state.produced = true;
        state.chars += text.length;
        emit({ kind: 'reasoning', text });
        effects |= EFFECT_OTHER;
      }
    } else if (typeof part.text === 'string' && part.text !== '' && (part.type === 'text' || part.type === undefined)) {
      state.produced = true;
      state.chars += part.text.length;
      state.text += part.text;
      emit({ kind: 'text', text: part.text });
      effects |= EFFECT_OTHER;
    }
  }
  return effects;
}
