// Pure (Node + undici): checks that a configured model answers. Lists the server's models when it has
// `GET /v1/models`, then streams a one-token chat through the model runner (purpose `connection`, recorded
// under category `probe`) and reports what it saw.
import { request, type Dispatcher } from 'undici';
import {
  BrokerError,
  IncludeUsageMemory,
  chatCompletionsUrl,
  envKeyResolver,
  isBrokerError,
  routeFor,
  type BrokerEvent,
  type ChatMessage,
  type KeyResolver,
  type ModelConfig,
  type NetworkSettings,
  type RouteInfo,
  type Usage,
} from '../broker';

/** What the check needs of the model runner: a stream for one named model. */
export interface ConnectionRunner {
  stream(purpose: 'connection', messages: ChatMessage[], opts: { models: string[]; maxTokens: number; signal?: AbortSignal; includeUsageMemory: IncludeUsageMemory }): AsyncIterable<BrokerEvent>;
}

export interface ConnectionReport {
  modelId: string;
  /** True when the one-token chat streamed to completion. */
  ok: boolean;
  error?: { kind: BrokerError['kind']; message: string; status?: number; code?: string };
  /** Request start to the first streamed token (text or reasoning), when one came. */
  ttftMs: number | null;
  /** Request start to the end of the chat (or its failure). */
  totalMs: number;
  /** Whether the server reported token usage. */
  usageArrived: boolean;
  usage?: Usage;
  /** True when the server refused `stream_options` and the request had to be repeated without it. */
  streamOptionsDropped: boolean;
  /** The model ids `GET /v1/models` listed; null when the server has no such route or it failed. */
  listedModels: string[] | null;
  /** Why the model list is missing, when it is. */
  listError?: string;
  /** Which proxy (or none) and which CA source the requests used; absent when the route could not be set up. */
  route?: RouteInfo;
}

export interface CheckOptions {
  runner: ConnectionRunner;
  /** The key for the model list request (the chat's key comes through the runner); default: `keyEnv` in process.env. */
  resolveKey?: KeyResolver;
  /** The environment (HTTPS_PROXY, NO_PROXY...) the list request and the report's route use; default process.env. */
  env?: Record<string, string | undefined>;
  /** VS Code's proxy settings. */
  network?: NetworkSettings;
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
  /** Where the check learns that the endpoint refuses `stream_options`; pass the process-wide memory to share it. */
  includeUsageMemory?: IncludeUsageMemory;
  /** How long the model list may take. */
  listTimeoutMs?: number;
}

/** `GET {base}/v1/models` for any endpoint shape the broker accepts. */
export function modelsUrl(endpoint: string): string {
  return chatCompletionsUrl(endpoint).replace(/\/chat\/completions(?=$|\?)/, '/models');
}

async function listModels(model: ModelConfig, key: string | undefined, opts: CheckOptions): Promise<{ ids: string[] | null; error?: string }> {
  const headers: Record<string, string> = { accept: 'application/json', ...(model.headers ?? {}) };
  if (key) headers.authorization = `Bearer ${key}`;
  const timeout = AbortSignal.timeout(opts.listTimeoutMs ?? 10_000);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  try {
    const url = modelsUrl(model.endpoint);
    const dispatcher = opts.dispatcher ?? routeFor(url, model, opts).dispatcher;
    const res = await request(url, { method: 'GET', headers, signal, dispatcher });
    const text = await res.body.text();
    if (res.statusCode === 404 || res.statusCode === 405) return { ids: null, error: 'the server has no /models route' };
    if (res.statusCode < 200 || res.statusCode >= 300) return { ids: null, error: `GET /models answered HTTP ${res.statusCode}` };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { ids: null, error: 'GET /models did not answer JSON' };
    }
    // OpenAI shape `{data: [{id}]}`; some servers answer a bare list, or `{models: [{name}]}` (Ollama-native).
    const list = Array.isArray(body) ? body : (body as { data?: unknown; models?: unknown })?.data ?? (body as { models?: unknown })?.models;
    if (!Array.isArray(list)) return { ids: null, error: 'GET /models answered an unexpected shape' };
    const ids = list
      .map((m) => (typeof m === 'string' ? m : typeof m?.id === 'string' ? m.id : typeof m?.name === 'string' ? m.name : undefined))
      .filter((x): x is string => typeof x === 'string');
    return { ids };
  } catch (err) {
    if (opts.signal?.aborted) throw new BrokerError('aborted', 'the connection check was cancelled', { modelId: model.id });
    return { ids: null, error: `GET /models failed: ${(err as Error)?.message ?? String(err)}` };
  }
}

/**
 * Checks one model. Never throws for a failing server (the failure is the report); throws only when
 * `signal` aborts.
 */
export async function checkConnection(model: ModelConfig, opts: CheckOptions): Promise<ConnectionReport> {
  let key: string | undefined;
  let keyOk = true;
  try {
    key = (opts.resolveKey ?? envKeyResolver())(model);
  } catch {
    keyOk = false; // the chat below reports why, as a config error, without a request
  }
  const started = performance.now();
  const report: ConnectionReport = {
    modelId: model.id, ok: false, ttftMs: null, totalMs: 0, usageArrived: false, streamOptionsDropped: false, listedModels: null,
  };
  // Skip the list when the key is unavailable: the chat below reports that as a config error without a request.
  if (keyOk) {
    const listed = await listModels(model, key, opts);
    report.listedModels = listed.ids;
    if (listed.error) report.listError = listed.error;
  }

  const memory = new IncludeUsageMemory();
  const url = chatCompletionsUrl(model.endpoint);
  if (!opts.dispatcher) {
    try {
      report.route = routeFor(url, model, opts).info;
    } catch {
      // An unusable caFile: the chat below reports it.
    }
  }
  const chatStarted = performance.now();
  try {
    for await (const event of opts.runner.stream('connection', [{ role: 'user', content: 'Reply with the single word: ok' }], {
      models: [model.id], signal: opts.signal, maxTokens: 1, includeUsageMemory: memory,
    })) {
      if ((event.kind === 'text' || event.kind === 'reasoning' || event.kind === 'tool_call') && report.ttftMs === null) {
        report.ttftMs = Math.round(performance.now() - chatStarted);
      } else if (event.kind === 'usage') {
        report.usageArrived = true;
        report.usage = event.usage;
      } else if (event.kind === 'done') {
        report.ok = true;
      }
    }
  } catch (err) {
    if (isBrokerError(err)) {
      if (err.kind === 'aborted') throw err;
      report.error = { kind: err.kind, message: err.message, status: err.status, code: err.code };
      if (err.usage) {
        report.usageArrived = true;
        report.usage = err.usage;
      }
    } else {
      report.error = { kind: 'shape', message: (err as Error)?.message ?? String(err) };
    }
  }
  report.streamOptionsDropped = memory.refuses(url, model.model);
  if (report.streamOptionsDropped) opts.includeUsageMemory?.remember(url, model.model);
  report.totalMs = Math.round(performance.now() - started);
  return report;
}

/** A markdown report of several checks, for a preview or the log. */
export function formatReports(reports: ConnectionReport[]): string {
  const lines = ['# Switchboard connection check', '', '| model | result | first token | usage | stream_options | server lists | network |', '|---|---|---|---|---|---|---|'];
  for (const r of reports) {
    const result = r.ok ? 'reachable' : `${r.error?.kind ?? 'failed'}${r.error?.status ? ` ${r.error.status}` : ''}: ${escapeCell(r.error?.message ?? '')}`;
    const listed = r.listedModels === null ? (r.listError ? `(${escapeCell(r.listError)})` : '(not checked)') : r.listedModels.length ? escapeCell(r.listedModels.slice(0, 8).join(', ') + (r.listedModels.length > 8 ? `, … (${r.listedModels.length})` : '')) : '(none)';
    lines.push(`| ${escapeCell(r.modelId)} | ${result} | ${r.ttftMs === null ? '—' : `${r.ttftMs} ms`} | ${r.usageArrived ? 'yes' : 'no'} | ${r.streamOptionsDropped ? 'refused, dropped' : 'accepted'} | ${listed} | ${escapeCell(describeRoute(r.route))} |`);
  }
  return lines.join('\n') + '\n';
}

/** "proxy http://proxy:3128 (http.proxy); CAs: caFile", "direct; CAs: system", plus unverified certificates. */
export function describeRoute(route: RouteInfo | undefined): string {
  if (!route) return '—';
  const via = route.proxy ? `proxy ${route.proxy} (${route.proxySource})` : 'no proxy';
  const ca = route.ca === 'system' ? 'system CAs' : `CAs: ${route.ca}`;
  return `${via}; ${ca}${route.insecure ? `; certificates not verified (${route.insecure})` : ''}`;
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
}
