/**
 * Shell words to values: what a word means once the shell has removed quotes and escapes, when that is known
 * without running anything. A word with an expansion or a substitution in it is `literal: false`; its `text`
 * is then the source as written.
 */
import type { Node } from './parser';

export interface Word {
  /** The value after quote removal, or the source text when not literal. */
  text: string;
  literal: boolean;
  /** Written with ANSI-C quoting (`$'\x72m'`). */
  ansiC: boolean;
  /** Contains an expansion used to hide text: `$IFS`, `${x@P}`, `${!x}`. */
  obfuscated: boolean;
}

const DYNAMIC = new Set(['simple_expansion', 'expansion', 'command_substitution', 'process_substitution', 'arithmetic_expansion']);

export function literalWord(text: string): Word {
  return { text, literal: true, ansiC: false, obfuscated: false };
}

/** Removes backslash escapes of an unquoted word (a backslash-newline disappears). */
function unescapeBare(s: string): string {
  return s.replace(/\\(\n|.)/g, (_m, c: string) => (c === '\n' ? '' : c));
}

/** Inside double quotes only `\$`, `` \` ``, `\"`, `\\` and backslash-newline are escapes. */
function unescapeDouble(s: string): string {
  return s.replace(/\\([$`"\\\n])/g, (_m, c: string) => (c === '\n' ? '' : c));
}

/** Decodes `$'...'` (the escapes bash documents; unknown ones stay as written). */
export function decodeAnsiC(body: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)/g, (m, e: string) => {
    if (e[0] === 'x' || e[0] === 'u' || e[0] === 'U') {
      const cp = parseInt(e.slice(1), 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff);
    if (e[0] === 'c') return String.fromCharCode(e.charCodeAt(1) & 0x1f);
    return simple[e] ?? m;
  });
}

function isObfuscatingExpansion(node: Node): boolean {
  const t = node.text;
  if (/^\$\{?IFS\b/.test(t)) return true;
  if (node.type === 'expansion') return /^\$\{!/.test(t) || /@[A-Za-z]\}$/.test(t);
  return false;
}

function hasObfuscation(node: Node): boolean {
  if ((node.type === 'simple_expansion' || node.type === 'expansion') && isObfuscatingExpansion(node)) return true;
  for (const c of node.namedChildren) if (c && hasObfuscation(c)) return true;
  return false;
}

function hasDynamic(node: Node): boolean {
  if (DYNAMIC.has(node.type)) return true;
  for (const c of node.namedChildren) if (c && hasDynamic(c)) return true;
  return false;
}

/** The value of one word node. */
export function wordOf(node: Node): Word {
  const obfuscated = hasObfuscation(node);
  switch (node.type) {
    case 'word':
    case 'number':
      return { text: unescapeBare(node.text), literal: true, ansiC: false, obfuscated };
    case 'raw_string':
      return { text: node.text.slice(1, -1), literal: true, ansiC: false, obfuscated };
    case 'ansi_c_string':
      return { text: decodeAnsiC(node.text.slice(2, -1)), literal: true, ansiC: true, obfuscated };
    case 'string':
    case 'translated_string': {
      if (hasDynamic(node)) return { text: node.text, literal: false, ansiC: false, obfuscated };
      const inner = node.type === 'string' ? node.text.slice(1, -1) : node.text.slice(2, -1);
      return { text: unescapeDouble(inner), literal: true, ansiC: false, obfuscated };
    }
    case 'concatenation': {
      const parts = node.namedChildren.filter((c): c is Node => c !== null).map(wordOf);
      // A gap between named children is literal punctuation the grammar did not name (e.g. `{}`).
      const literal = parts.every((p) => p.literal) && parts.length > 0;
      return {
        text: literal && joinedLength(node) ? parts.map((p) => p.text).join('') : node.text,
        literal: literal && joinedLength(node),
        ansiC: parts.some((p) => p.ansiC),
        obfuscated,
      };
    }
    default:
      return { text: node.text, literal: false, ansiC: false, obfuscated };
  }
}

/** True when the named children of a concatenation cover its whole source (no unnamed pieces). */
function joinedLength(node: Node): boolean {
  let covered = 0;
  for (const c of node.namedChildren) if (c) covered += c.endIndex - c.startIndex;
  return covered === node.endIndex - node.startIndex;
}
