// Pure: one entry of `switchboard.models` into a broker config. A broken field costs that field (or, for
// fields that decide where a key goes, the model), names its path and says how to fix it.
import { RESERVED_BODY_FIELDS } from '../broker';
import { parseTls } from './parseTlsSettings';
import { describe, isRecord, type ModelSettings, type Report } from './settingsTypes';

export const MODEL_FIELDS = new Set([
  'endpoint', 'model', 'keyEnv', 'headers', 'temperature', 'maxTokens', 'contextTokens', 'timeoutMs', 'idleTimeoutMs', 'includeUsage', 'price', 'extraBody',
  'caFile', 'allowInsecureTls', 'maxAnswerChars', 'tools',
]);
const PRICE_FIELDS = new Set(['inputPerMTok', 'outputPerMTok', 'cachedInputPerMTok']);
const INCLUDE_USAGE = new Set(['auto', 'always', 'never']);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// RFC 7230 token characters: anything else would make undici refuse the request later.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Prefixes of common providers' keys (OpenAI, Anthropic, OpenRouter, Groq, xAI, Google, Hugging Face, GitHub). */
const KEY_PREFIX = /^(sk-|sk_|pk_|rk_|gsk_|xai-|AIza|hf_|ghp_|gho_|github_pat_|r8_|nvapi-|pplx-|fw_)/;

/**
 * True for a value that is more likely a secret than an environment variable's name: a known key prefix, a
 * long run of hex digits, or a long mixed-case token with digits (variable names are short and upper case).
 */
export function looksLikeKey(value: string): boolean {
  const v = value.trim();
  if (KEY_PREFIX.test(v)) return true;
  if (/^[0-9a-fA-F]{24,}$/.test(v)) return true;
  if (v.length >= 32 && /[a-z]/.test(v) && /[0-9]/.test(v)) return true;
  if (/[^A-Za-z0-9_]/.test(v) && v.length >= 20) return true;
  return false;
}

/** `extraBody`: a JSON object merged into the request; it cannot replace what the runner controls. */
function parseExtraBody(v: unknown, path: string, problem: Report): Record<string, unknown> | undefined {
  if (!isRecord(v)) {
    problem('error', path, `must be an object of request fields, but is ${describe(v)}`, 'Write it as { "top_p": 0.9, "seed": 7 }; it is ignored meanwhile.');
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v)) {
    if (RESERVED_BODY_FIELDS.has(key)) {
      problem('error', `${path}.${key}`, `"${key}" is set by Switchboard for every request and cannot be overridden`, `Remove "${key}" from extraBody; it is ignored meanwhile.`);
      continue;
    }
    if (value === undefined || typeof value === 'function') continue;
    try {
      JSON.stringify(value);
    } catch {
      problem('error', `${path}.${key}`, 'is not a JSON value', `Remove "${key}"; it is ignored meanwhile.`);
      continue;
    }
    out[key] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

export function parseModel(id: string, value: unknown, path: string, env: Record<string, string | undefined>, hasSecret: boolean, problem: Report): ModelSettings | undefined {
  if (!isRecord(value)) {
    problem('error', path, `must be an object with at least "endpoint" and "model", but is ${describe(value)}`,
      'Write it as { "endpoint": "http://127.0.0.1:8080", "model": "name-the-server-knows" }.');
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!MODEL_FIELDS.has(key)) {
      problem('warning', `${path}.${key}`, `"${key}" is not a model setting and is ignored`, `Known fields: ${[...MODEL_FIELDS].join(', ')}.`);
    }
  }

  // Required: without a usable endpoint or model name the model cannot be used at all.
  const endpoint = value.endpoint;
  let endpointOk = false;
  if (typeof endpoint !== 'string' || endpoint.trim() === '') {
    problem('error', `${path}.endpoint`, `is missing or empty, so the model "${id}" cannot be used`, 'Set the server address, e.g. "http://127.0.0.1:8080" or "https://openrouter.ai/api/v1".');
  } else {
    let url: URL | undefined;
    try {
      url = new URL(endpoint.trim());
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      problem('error', `${path}.endpoint`, `${describe(endpoint)} is not an http:// or https:// URL, so the model "${id}" cannot be used`, 'Write the full address with its scheme, e.g. "http://127.0.0.1:11434/v1".');
    } else if (url.username || url.password) {
      problem('error', `${path}.endpoint`, 'contains a user name or password; credentials in a URL end up in logs', 'Remove them from the URL and name the key\'s environment variable in "keyEnv".');
    } else {
      endpointOk = true;
    }
  }
  const modelName = value.model;
  if (typeof modelName !== 'string' || modelName.trim() === '') {
    problem('error', `${path}.model`, `is missing or empty, so the model "${id}" cannot be used`, 'Set the model name the server expects, e.g. "llama3.1:8b" or "openai/gpt-4o-mini".');
  }
  if (!endpointOk || typeof modelName !== 'string' || modelName.trim() === '') return undefined;

  const m: ModelSettings = { id, endpoint: (endpoint as string).trim(), model: modelName.trim() };

  if (value.keyEnv !== undefined) {
    const k = value.keyEnv;
    // The value is never echoed: a key pasted here by mistake must not reach the log or a notification.
    if (typeof k === 'string' && looksLikeKey(k)) {
      problem('error', `${path}.keyEnv`, 'this looks like a key, not a variable name',
        `Remove the key from settings (and rotate it if this file is shared), put it in an environment variable and write that variable's NAME here, or store it with "Switchboard: Set API Key..."; until then "${id}" cannot be used.`);
      return undefined;
    }
    if (typeof k !== 'string' || !ENV_NAME.test(k)) {
      problem('error', `${path}.keyEnv`, `must be the NAME of an environment variable (like OPENROUTER_API_KEY), but is ${typeof k === 'string' ? 'not a valid variable name' : describe(k)}`,
        `Put the key in an environment variable and write its name here, never the key itself; until then "${id}" cannot be used.`);
      // Sending the request without the intended key (or with a pasted key as a header) would be worse than not sending it.
      return undefined;
    }
    m.keyEnv = k;
    if (!hasSecret && (env[k] === undefined || env[k] === '')) {
      problem('warning', `${path}.keyEnv`, `the environment variable ${k} is not set, so requests to "${id}" will fail until it is`,
        `Set ${k} in the environment VS Code starts from, or store a key with "Switchboard: Set API Key...".`);
    }
  }

  if (value.headers !== undefined) {
    if (!isRecord(value.headers)) {
      problem('error', `${path}.headers`, `must be an object of header names to string values, but is ${describe(value.headers)}`, 'Write it as { "HTTP-Referer": "https://example.com" }.');
    } else {
      const headers: Record<string, string> = {};
      for (const [name, v] of Object.entries(value.headers)) {
        if (!HEADER_NAME.test(name)) {
          problem('error', `${path}.headers.${name}`, `"${name}" is not a valid HTTP header name`, 'Use letters, digits and dashes.');
        } else if (typeof v !== 'string') {
          problem('error', `${path}.headers.${name}`, `must be a string, but is ${describe(v)}`, 'Quote the value.');
        } else if (/[\r\n]/.test(v)) {
          problem('error', `${path}.headers.${name}`, 'contains a line break', 'Remove the line break.');
        } else {
          headers[name] = v;
        }
      }
      if (Object.keys(headers).length) m.headers = headers;
    }
  }

  const num = (field: 'temperature' | 'maxTokens' | 'contextTokens' | 'timeoutMs' | 'idleTimeoutMs' | 'maxAnswerChars', check: (n: number) => boolean, rule: string, example: string) => {
    const v = value[field];
    if (v === undefined) return;
    if (typeof v === 'number' && Number.isFinite(v) && check(v)) m[field] = v;
    else problem('error', `${path}.${field}`, `must be ${rule}, but is ${describe(v)}`, `For example ${example}; the default is used meanwhile.`);
  };
  num('temperature', (n) => n >= 0 && n <= 2, 'a number from 0 to 2', '0.2');
  num('maxTokens', (n) => Number.isInteger(n) && n > 0, 'a whole number above 0', '4096');
  num('contextTokens', (n) => Number.isInteger(n) && n > 0, 'a whole number above 0', '131072');
  num('timeoutMs', (n) => Number.isInteger(n) && n > 0, 'a whole number of milliseconds above 0', '60000');
  num('idleTimeoutMs', (n) => Number.isInteger(n) && n > 0, 'a whole number of milliseconds above 0', '60000');
  num('maxAnswerChars', (n) => Number.isInteger(n) && n >= 1000, 'a whole number of characters, 1000 or more', '4000000');
  parseTls(value, m, path, problem, describe);

  if (value.includeUsage !== undefined) {
    if (typeof value.includeUsage === 'string' && INCLUDE_USAGE.has(value.includeUsage)) m.includeUsage = value.includeUsage as ModelSettings['includeUsage'];
    else problem('error', `${path}.includeUsage`, `must be "auto", "always" or "never", but is ${describe(value.includeUsage)}`, '"auto" asks for usage and stops asking if the server refuses.');
  }

  if (value.price !== undefined) {
    const p = value.price;
    if (!isRecord(p)) {
      problem('error', `${path}.price`, `must be an object { "inputPerMTok": 0.15, "outputPerMTok": 0.6 }, but is ${describe(p)}`, 'Prices are USD per million tokens. Without a price the cost shows as unknown.');
    } else {
      let ok = true;
      for (const key of Object.keys(p)) {
        if (!PRICE_FIELDS.has(key)) problem('warning', `${path}.price.${key}`, `"${key}" is not a price field and is ignored`, `Known fields: ${[...PRICE_FIELDS].join(', ')}.`);
      }
      for (const key of ['inputPerMTok', 'outputPerMTok', 'cachedInputPerMTok'] as const) {
        const v = p[key];
        if (v === undefined && key === 'cachedInputPerMTok') continue;
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
          ok = false;
          problem('error', `${path}.price.${key}`, v === undefined ? 'is missing' : `must be a price in USD per million tokens, 0 or more, but is ${describe(v)}`,
            'Give both inputPerMTok and outputPerMTok; until then the cost of this model shows as unknown.');
        }
      }
      if (ok) {
        m.price = { inputPerMTok: p.inputPerMTok as number, outputPerMTok: p.outputPerMTok as number };
        if (p.cachedInputPerMTok !== undefined) m.price.cachedInputPerMTok = p.cachedInputPerMTok as number;
      }
    }
  }
  if (value.tools !== undefined) {
    if (typeof value.tools === 'boolean') m.tools = value.tools;
    else problem('error', `${path}.tools`, `must be true or false, but is ${describe(value.tools)}`, 'Tools are offered meanwhile; set false for a model without tool support.');
  }
  if (value.extraBody !== undefined) {
    const extra = parseExtraBody(value.extraBody, `${path}.extraBody`, problem);
    if (extra) m.extraBody = extra;
  }
  return m;
}

