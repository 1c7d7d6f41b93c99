/**
 * A fast path for the chunks that make up almost every stream: "the same envelope as last time, with a new
 * string in `delta.content`" (or in a reasoning field). Most servers repeat `id`, `created`, `model` and the
 * rest byte for byte within one response, so after one chunk has been fully parsed we remember the bytes
 * before and after its string literal. A later event that starts and ends with exactly those bytes, and whose
 * middle is one JSON string literal, parses to the same object with only that string changed: we can read the
 * string without JSON.parse of the whole envelope.
 *
 * Soundness: JSON is context free, so replacing one string token by another changes nothing but that value.
 * A template is only kept after a probe (the envelope with a different string) has been run through the full
 * interpreter and produced exactly one event of the same kind carrying the probe text. Anything unusual (an
 * empty string, escapes we do not take the cheap way, a different envelope) falls back to the full path.
 */
import { EFFECT_REASONING, EFFECT_TEXT, interpretChunk } from './interpretChunk';
import { ResponseState } from './responseState';
import type { BrokerEvent } from './types';

/** One learned envelope. */
interface Template {
  prefix: string;
  suffix: string;
  kind: 'text' | 'reasoning';
  /** The `model` value the envelope carries (the full path would record it). */
  model: string | null;
  hits: number;
}

/** A plain JSON string literal: no quote, backslash or control character inside. */
const PLAIN_LITERAL = /^"[^"\\\u0000-\u001f]+"$/;
const PROBE = 'p\u00e9\u2028"\\';
/** Keys whose string value can be the variable part, with the event kind the interpreter gives them. */
const SLOTS: { key: string; kind: 'text' | 'reasoning' }[] = [
  { key: '"content":', kind: 'text' },
  { key: '"reasoning_content":', kind: 'reasoning' },
  { key: '"reasoning":', kind: 'reasoning' },
];
/** Stop learning after this many templates that were never reused (an envelope that changes every chunk). */
const MAX_UNUSED = 8;

/** Per-response cache of learned envelopes. */
export class ChunkTemplates {
  private text: Template | undefined;
  private reasoning: Template | undefined;
  private unused = 0;

  /**
   * If `data` matches a learned envelope, returns the event it stands for; otherwise undefined and the
   * caller takes the full path. Never returns an event the full path would not have produced.
   */
  match(data: string, state: ResponseState): BrokerEvent | undefined {
    return this.tryTemplate(this.text, data, state) ?? this.tryTemplate(this.reasoning, data, state);
  }

  private tryTemplate(t: Template | undefined, data: string, state: ResponseState): BrokerEvent | undefined {
    if (t === undefined) return undefined;
    const p = t.prefix.length;
    const s = t.suffix.length;
    // Slice-and-compare, not startsWith/endsWith: V8 compares two flat strings with a memcmp, while
    // startsWith on the sliced strings the SSE parser hands out walks them character by character (7x slower).
    if (data.length <= p + s + 2 || data.slice(0, p) !== t.prefix || data.slice(data.length - s) !== t.suffix) return undefined;
    const middle = data.slice(p, data.length - s);
    let text: string;
    if (PLAIN_LITERAL.test(middle)) {
      text = middle.slice(1, -1);
    } else {
      let v: unknown;
      try {
        v = JSON.parse(middle);
      } catch {
        return undefined;
      }
      // An empty string may make the interpreter look at other fields; let the full path decide.
      if (typeof v !== 'string' || v === '') return undefined;
      text = v;
    }
    t.hits++;
    // The same state changes the full path makes for such a chunk.
    state.produced = true;
    state.chars += text.length;
    if (t.model !== null) state.model = t.model;
    if (t.kind === 'text') {
      state.text += text;
      return { kind: 'text', text };
    }
    return { kind: 'reasoning', text };
  }

  /**
   * Called after the full path interpreted `data` with the given effects. Learns the envelope when the chunk
   * was a single text or reasoning delta.
   */
  learn(data: string, effects: number): void {
    if (this.unused >= MAX_UNUSED) return;
    const kind = effects === EFFECT_TEXT ? 'text' : effects === EFFECT_REASONING ? 'reasoning' : undefined;
    if (kind === undefined) return;
    const current = kind === 'text' ? this.text : this.reasoning;
    if (current !== undefined && current.hits === 0) this.unused++;
    const t = this.derive(data, kind);
    if (kind === 'text') this.text = t;
    else this.reasoning = t;
  }

  private derive(data: string, kind: 'text' | 'reasoning'): Template | undefined {
    for (const slot of SLOTS) {
      if (slot.kind !== kind) continue;
      const at = data.indexOf(slot.key);
      if (at === -1 || data.indexOf(slot.key, at + 1) !== -1) continue;
      const start = at + slot.key.length;
      if (data.charCodeAt(start) !== 34 /* " */) continue;
      const end = literalEnd(data, start);
      if (end === -1) continue;
      const prefix = data.slice(0, start);
      const suffix = data.slice(end);
      const model = probe(prefix, suffix, kind);
      if (model !== false) return { prefix, suffix, kind, model, hits: 0 };
    }
    return undefined;
  }
}

/** Index just past the string literal that starts at `start` (a quote), or -1. */
function literalEnd(s: string, start: number): number {
  for (let i = start + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === 34) return i + 1;
  }
  return -1;
}

/**
 * Runs the envelope with a probe string through the full interpreter. It must give exactly one event of `kind`
 * carrying the probe; returns the model the envelope records, or false when the template is unusable.
 */
function probe(prefix: string, suffix: string, kind: 'text' | 'reasoning'): string | null | false {
  let parsed: unknown;
  try {
    parsed = JSON.parse(prefix + JSON.stringify(PROBE) + suffix);
  } catch {
    return false;
  }
  const events: BrokerEvent[] = [];
  const scratch = new ResponseState();
  let effects: number;
  try {
    effects = interpretChunk(parsed, scratch, (e) => events.push(e));
  } catch {
    return false;
  }
  const ok = effects === (kind === 'text' ? EFFECT_TEXT : EFFECT_REASONING) && events.length === 1;
  return ok && events[0]!.kind === kind && (events[0] as { text: string }).text === PROBE ? scratch.model : false;
}
