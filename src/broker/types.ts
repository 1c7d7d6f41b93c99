/**
 * The broker's public data shapes. Everything here is plain data: no I/O, no `vscode`.
 * Other layers import these through `./index`.
 */
import type { Dispatcher } from 'undici';
import type { BrokerError } from './brokerError';
import type { CooldownRegistry } from './cooldownRegistry';
import type { IncludeUsageMemory } from './includeUsageMemory';
import type { Usage } from './usageShape';

export type { Usage } from './usageShape';

/** One configured model: where it lives, how to authenticate, and how to price it. */
export interface ModelConfig {
  /** The model's key in settings; usage is attributed to it. */
  id: string;
  /** "http://127.0.0.1:8080", "https://host/api/v1", or a full ".../chat/completions" URL. */
  endpoint: string;
  /** Sent as body.model. */
  model: string;
  /** NAME of the environment variable holding the key; sent as "Authorization: Bearer <key>". */
  keyEnv?: string;
  /** Extra request headers. Their values are treated as secrets and never logged. */
  headers?: Record<string, string>;
  /** Sampling temperature; default 0.2. */
  temperature?: number;
  maxTokens?: number;
  /** Until response headers arrive; default 60000. */
  timeoutMs?: number;
  /** Longest time between two completed events with data (comments and partial bytes do not count); default 60000. */
  idleTimeoutMs?: number;
  /** Whether to ask for `stream_options.include_usage`; default 'auto' (ask, and stop asking if refused). */
  includeUsage?: 'auto' | 'always' | 'never';
  /** USD per 1M tokens, used when the server does not report a cost itself. */
  price?: { inputPerMTok: number; outputPerMTok: number; cachedInputPerMTok?: number };
  /** Merged into the request body (`top_p`, `seed`, provider routing...); never replaces RESERVED_BODY_FIELDS. */
  extraBody?: Record<string, unknown>;
  /** A PEM bundle of CAs to trust (added to Node's roots and NODE_EXTRA_CA_CERTS); absolute or `~/...`. */
  caFile?: string;
  /** Skip certificate checks; honoured only for loopback and private addresses. */
  allowInsecureTls?: boolean;
  /** An answer (text, reasoning and tool-call arguments) longer than this ends as `shape`/`answer_too_large`; default 4,000,000. */
  maxAnswerChars?: number;
}

/** VS Code's `http.*` proxy settings, as the broker needs them. */
export interface NetworkSettings {
  /** `http.proxy`: wins over HTTPS_PROXY/HTTP_PROXY. */
  proxy?: string;
  /** `http.noProxy`: hosts that go direct (NO_PROXY's syntax). */
  noProxy?: string[];
  /** `http.proxyStrictSSL`: false stops certificate checks for connections through the proxy. */
  proxyStrictSSL?: boolean;
  /** `http.proxyAuthorization`: sent to the proxy as Proxy-Authorization. */
  proxyAuthorization?: string;
}

/**
 * The API key to send for a model (as "Authorization: Bearer <key>"), or undefined to send none. May throw a
 * `config` BrokerError (a missing variable, a stored key bound to another origin): no request is sent then.
 */
export type KeyResolver = (model: ModelConfig) => string | undefined;

/** A chat message in the OpenAI wire shape; extra fields are passed through untouched. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null | unknown[];
  name?: string;
  tool_call_id?: string;
  tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
  [extra: string]: unknown;
}

/** An OpenAI function tool. */
export interface ToolSpec {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

/** What a request reports to the optional log sink. */
export type BrokerLogEntry =
  | {
      type: 'request';
      /** One human-readable line, already redacted. */
      line: string;
      modelId: string;
      url: string;
      status: number | null;
      /** Milliseconds from sending the request to the response headers; null when none arrived. */
      ttfbMs: number | null;
      durationMs: number;
      promptTokens: number | null;
      completionTokens: number | null;
      totalTokens: number | null;
      /** `x-ratelimit-*`, `retry-after*` response headers. */
      rateLimit: Record<string, string>;
      outcome: 'ok' | BrokerError['kind'];
      /** The proxy the request went through (without credentials), or null for a direct connection. */
      proxy?: string | null;
    }
  | { type: 'replay'; record: ReplayRecord };

/** Enough to reproduce an http/api/decode/shape failure offline. Redacted before it leaves the broker. */
export interface ReplayRecord {
  modelId: string;
  kind: BrokerError['kind'];
  message: string;
  url: string;
  /** The JSON request body that was sent. */
  requestBody: unknown;
  status: number | null;
  responseHeaders: Record<string, string>;
  /** The first 4 KB of the response body, decoded as UTF-8. */
  bodyHead: string;
  time: string;
  /** False when the prompts were left out (`switchboard.log.keepFailedRequests` off). */
  promptsKept?: boolean;
}

/** Receives log entries; must not throw (exceptions are swallowed). */
export type BrokerLogSink = (entry: BrokerLogEntry) => void;

/** Per-call options. Every I/O dependency can be injected here. */
export interface ChatOptions {
  /** OpenAI function tools; the field is left out of the body when empty. */
  tools?: ToolSpec[];
  toolChoice?: unknown;
  maxTokens?: number;
  timeoutMs?: number;
  idleTimeoutMs?: number;
  /** Echoed into usage; default "chat". */
  category?: string;
  signal?: AbortSignal;
  /** Where each model's key comes from; default: the variable named by `keyEnv`, looked up in `env`. */
  resolveKey?: KeyResolver;
  /** keyEnv look-ups without a resolver, and HTTPS_PROXY/HTTP_PROXY/NO_PROXY/NODE_EXTRA_CA_CERTS; default process.env. */
  env?: Record<string, string | undefined>;
  /** VS Code's proxy settings (`http.proxy`, `http.noProxy`, `http.proxyStrictSSL`, `http.proxyAuthorization`). */
  network?: NetworkSettings;
  /** Overrides the model's maxAnswerChars. */
  maxAnswerChars?: number;
  /** The undici dispatcher to send through; default one chosen by proxy and CA settings (see network.ts). */
  dispatcher?: Dispatcher;
  /** Receives one entry per HTTP request, plus replay records for http/api/decode/shape failures. */
  log?: BrokerLogSink;
  /** Remembers endpoints that refuse `stream_options`; default a process-wide instance. */
  includeUsageMemory?: IncludeUsageMemory;
  /** Cooldowns used by chatStreamWithFallback; default a process-wide instance. */
  cooldowns?: CooldownRegistry;
  /** Wall clock in ms (for HTTP-date retry hints); default Date.now. */
  now?: () => number;
}

/** What a chat stream yields, in order. */
export type BrokerEvent =
  | { kind: 'text'; text: string }
  | { kind: 'reasoning'; text: string }
  | { kind: 'tool_call'; id: string; name: string; arguments: string }
  | { kind: 'usage'; usage: Usage }
  | { kind: 'fallback'; from: string; to: string; error: BrokerError }
  | { kind: 'done'; finishReason: string | null; model: string | null; modelId: string };

/** A completed tool call. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** The buffered result of chat(). */
export interface ChatResult {
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  usage: Usage | null;
  finishReason: string | null;
  model: string | null;
  modelId: string;
}
