/**
 * The broker: streams chat completions from any OpenAI-compatible endpoint, with usage, cost, tool calls,
 * classified errors and fallback chains. The only entry other layers use. Pure Node (undici): no `vscode`.
 */
export type {
  BrokerEvent,
  BrokerLogEntry,
  BrokerLogSink,
  ChatMessage,
  ChatOptions,
  ChatResult,
  KeyResolver,
  ModelConfig,
  NetworkSettings,
  ReplayRecord,
  ToolCall,
  ToolSpec,
  Usage,
} from './types';
export { BrokerError, isBrokerError, type BrokerErrorKind } from './brokerError';
export { oneLine } from './classifyError';
export { chatStream } from './chatStream';
export { chat } from './chat';
export { chatStreamWithFallback } from './chatStreamWithFallback';
export { RESERVED_BODY_FIELDS, chatCompletionsUrl, envKeyResolver } from './buildRequest';
export { CooldownRegistry, MAX_COOLDOWN_MS, defaultCooldowns } from './cooldownRegistry';
export { IncludeUsageMemory, defaultIncludeUsageMemory } from './includeUsageMemory';
export { parseDurationMs, retryAfterMsFromHeaders } from './retryHints';
export { priceCost } from './usage';
export { withoutPrompts } from './diagnostics';
export { routeFor, closeRoutes, type RouteInfo } from './network';
export { bareHost, isPrivateAddress, isLoopbackHost } from './addresses';
