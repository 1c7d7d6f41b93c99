/**
 * From a ModelConfig and a conversation to the exact HTTP request: URL, headers, JSON body.
 * Configuration problems are found here, before any byte goes on the wire.
 */
import { BrokerError } from './brokerError';
import type { ChatMessage, ChatOptions, KeyResolver, ModelConfig } from './types';

/** Body fields the broker sets for every request: `extraBody` cannot replace them. */
export const RESERVED_BODY_FIELDS: ReadonlySet<string> = new Set(['model', 'messages', 'stream', 'stream_options', 'tools', 'tool_choice']);

/** The default key source: the environment variable a model's `keyEnv` names. */
export function envKeyResolver(env: Record<string, string | undefined> = process.env): KeyResolver {
  return (model) => {
    if (model.keyEnv === undefined || model.keyEnv === '') return undefined;
    const key = env[model.keyEnv];
    if (key === undefined || key.trim() === '') {
      throw new BrokerError(
        'config',
        `the environment variable ${model.keyEnv} (the API key for model "${model.id}") is ${key === undefined ? 'not set' : 'empty'}`,
        { modelId: model.id, code: 'missing_key' },
      );
    }
    return key;
  };
}

/** A request ready to send, plus the secrets that must never be logged. */
export interface BuiltRequest {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** Values to redact from every log line, replay record and error message. */
  secrets: string[];
}

/**
 * The chat-completions URL for an endpoint: used as is when it already ends in `/chat/completions`,
 * `/chat/completions` appended to a `/v1` base, `/v1/chat/completions` appended otherwise.
 */
export function chatCompletionsUrl(endpoint: string): string {
  const trimmed = endpoint.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new BrokerError('config', `the endpoint "${trimmed}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BrokerError('config', `the endpoint "${trimmed}" must start with http:// or https://`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (/\/chat\/completions$/.test(path)) url.pathname = path;
  else if (/\/v\d+$/.test(path)) url.pathname = `${path}/chat/completions`;
  else url.pathname = `${path}/v1/chat/completions`;
  return url.toString();
}

/** Builds the request for one attempt. Throws a `config` BrokerError for an unusable configuration. */
export function buildRequest(
  model: ModelConfig,
  messages: ChatMessage[],
  opts: ChatOptions,
  withStreamOptions: boolean,
): BuiltRequest {
  if (typeof model.endpoint !== 'string' || model.endpoint.trim() === '') {
    throw new BrokerError('config', `model "${model.id}" has no endpoint`, { modelId: model.id });
  }
  if (typeof model.model !== 'string' || model.model.trim() === '') {
    throw new BrokerError('config', `model "${model.id}" has no model name`, { modelId: model.id });
  }
  let url: string;
  try {
    url = chatCompletionsUrl(model.endpoint);
  } catch (e) {
    if (e instanceof BrokerError) e.modelId = model.id;
    throw e;
  }

  const secrets: string[] = [];
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
  for (const [name, value] of Object.entries(model.headers ?? {})) {
    if (typeof value !== 'string') continue;
    headers[name.toLowerCase()] = value;
    if (value !== '') secrets.push(value);
  }
  let key: string | undefined;
  try {
    key = (opts.resolveKey ?? envKeyResolver(opts.env ?? process.env))(model)?.trim();
  } catch (e) {
    if (e instanceof BrokerError) {
      e.modelId ??= model.id;
      throw e;
    }
    throw new BrokerError('config', `the API key for model "${model.id}" could not be read: ${(e as Error)?.message ?? String(e)}`, { modelId: model.id, code: 'key_unavailable' });
  }
  if (key) {
    headers.authorization = `Bearer ${key}`;
    secrets.push(key);
  }

  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(model.extraBody ?? {})) if (!RESERVED_BODY_FIELDS.has(k)) body[k] = v;
  Object.assign(body, {
    model: model.model,
    messages,
    stream: true,
  });
  if (!('temperature' in body) || model.temperature !== undefined) body.temperature = model.temperature ?? 0.2;
  const maxTokens = opts.maxTokens ?? model.maxTokens;
  if (maxTokens !== undefined) body.max_tokens = maxTokens;
  if (opts.tools && opts.tools.length > 0) body.tools = opts.tools;
  if (opts.toolChoice !== undefined && opts.tools && opts.tools.length > 0) body.tool_choice = opts.toolChoice;
  if (withStreamOptions) body.stream_options = { include_usage: true };
  return { url, headers, body, secrets };
}
