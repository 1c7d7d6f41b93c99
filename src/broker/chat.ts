import { chatStream } from './chatStream';
import type { ChatMessage, ChatOptions, ChatResult, ModelConfig } from './types';

/**
 * The whole answer at once: a buffering wrapper over chatStream (the same `stream: true` request), for
 * callers that do not render as they go (summaries, probes). Throws BrokerError like chatStream.
 */
export async function chat(model: ModelConfig, messages: ChatMessage[], opts: ChatOptions = {}): Promise<ChatResult> {
  const result: ChatResult = { text: '', reasoning: '', toolCalls: [], usage: null, finishReason: null, model: null, modelId: model.id };
  for await (const e of chatStream(model, messages, opts)) {
    switch (e.kind) {
      case 'text':
        result.text += e.text;
        break;
      case 'reasoning':
        result.reasoning += e.text;
        break;
      case 'tool_call':
        result.toolCalls.push({ id: e.id, name: e.name, arguments: e.arguments });
        break;
      case 'usage':
        result.usage = e.usage;
        break;
      case 'done':
        result.finishReason = e.finishReason;
        result.model = e.model;
        result.modelId = e.modelId;
        break;
      case 'fallback':
        break;
    }
  }
  return result;
}
