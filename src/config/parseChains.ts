// Pure: `switchboard.chains` (named lists of model ids) and `switchboard.purposes` (which chain each purpose
// runs on). A purpose without a mapping uses a chain of its own name when one exists, else the `chat` chain.
import { PURPOSES, describe, isRecord, type Purpose, type Report } from './settingsTypes';

export const DEFAULT_CHAINS: Record<string, string[]> = { chat: ['local'] };
const CHAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/;

/** Validates every named chain; the `chat` chain always exists (the default when not given). */
export function parseChains(rawChains: unknown, models: Record<string, unknown>, problem: Report): Record<string, string[]> {
  if (rawChains === undefined || rawChains === null) rawChains = {};
  if (!isRecord(rawChains)) {
    problem('error', 'switchboard.chains', `must be an object mapping a chain name to a list of model ids, but is ${describe(rawChains)}`,
      'Write it as { "chat": ["local"], "cheap": ["mini"] }.');
    rawChains = {};
  }
  const given = rawChains as Record<string, unknown>;
  const names = [...new Set(['chat', ...Object.keys(given)])];
  const chains: Record<string, string[]> = {};
  for (const name of names) {
    const path = `switchboard.chains.${name}`;
    if (!CHAIN_NAME.test(name)) {
      problem('error', path, `"${name}" is not a usable chain name`, 'Use letters, digits and . _ - : @ / (starting with a letter or digit).');
      continue;
    }
    const isDefault = given[name] === undefined;
    const list = isDefault ? DEFAULT_CHAINS[name] : given[name];
    if (!Array.isArray(list)) {
      problem('error', path, `must be a list of model ids, but is ${describe(list)}`, `Write it as ["${Object.keys(models)[0] ?? 'local'}"].`);
      chains[name] = [];
      continue;
    }
    const ids: string[] = [];
    list.forEach((entry, i) => {
      if (typeof entry !== 'string') {
        problem('error', `${path}[${i}]`, `must be a model id (a string), but is ${describe(entry)}`, 'Put the id of a model from switchboard.models here.');
      } else if (!models[entry]) {
        const known = Object.keys(models);
        problem('error', `${path}[${i}]`, `names the model "${entry}", which is not configured${isDefault ? ' (this is the default chain)' : ''}`,
          known.length ? `Use one of: ${known.join(', ')}, or add "${entry}" to switchboard.models.` : `Add "${entry}" to switchboard.models.`);
      } else if (ids.includes(entry)) {
        problem('warning', `${path}[${i}]`, `lists "${entry}" twice; the repeat is ignored`, 'Remove the repeated entry.');
      } else {
        ids.push(entry);
      }
    });
    if (ids.length === 0) {
      problem('error', path, `has no usable model, so requests on the "${name}" chain will fail`, 'List at least one configured model id.');
    }
    chains[name] = ids;
  }
  return chains;
}

/** Maps each purpose to a chain name that exists in `chains`. */
export function parsePurposes(raw: unknown, chains: Record<string, string[]>, problem: Report): Record<Purpose, string> {
  const out = {} as Record<Purpose, string>;
  for (const p of PURPOSES) out[p] = chains[p] ? p : 'chat';
  if (raw === undefined || raw === null) return out;
  if (!isRecord(raw)) {
    problem('error', 'switchboard.purposes', `must be an object mapping a purpose to a chain name, but is ${describe(raw)}`,
      'Write it as { "probe": "cheap", "delegate": "strong" }.');
    return out;
  }
  for (const [key, value] of Object.entries(raw)) {
    const path = `switchboard.purposes.${key}`;
    if (!(PURPOSES as readonly string[]).includes(key)) {
      problem('warning', path, `"${key}" is not a purpose Switchboard uses, so it is ignored`, `Use one of: ${PURPOSES.join(', ')}.`);
      continue;
    }
    const purpose = key as Purpose;
    if (typeof value !== 'string') {
      problem('error', path, `must be the name of a chain (a string), but is ${describe(value)}`, `Use one of: ${Object.keys(chains).join(', ')}; "${out[purpose]}" is used meanwhile.`);
    } else if (!chains[value]) {
      problem('error', path, `names the chain "${value}", which is not in switchboard.chains`, `Add "${value}" to switchboard.chains or use one of: ${Object.keys(chains).join(', ')}; "${out[purpose]}" is used meanwhile.`);
    } else {
      out[purpose] = value;
    }
  }
  return out;
}
