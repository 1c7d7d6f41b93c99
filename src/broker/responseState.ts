import { ToolCallAccumulator } from './toolCallAccumulator';

/** What one response has produced so far. Mutated by interpretChunk; read when the stream ends or fails. */
export class ResponseState {
  /** All text yielded so far (kept for `partialText` on failures). */
  text = '';
  /** Characters of text, reasoning and tool-call arguments so far (bounded by maxAnswerChars). */
  chars = 0;
  /** True once any text, reasoning or tool-call fragment arrived: from then on there is no fallback. */
  produced = false;
  finishReason: string | null = null;
  /** The `index` of the choice the answer is read from (0, unless the server's only choice had another). */
  choiceIndex: unknown = undefined;
  /** The model the server says answered (last non-empty value). */
  model: string | null = null;
  /** The last non-null usage object seen. */
  rawUsage: Record<string, unknown> | null = null;
  readonly tools = new ToolCallAccumulator();
}
