// Pure: a small glob matcher for list_files, search_text's filter and `files.exclude` patterns, with VS Code's
// glob syntax: `*` and `?` within one path segment, `**` across segments, `{a,b}` alternatives and `[abc]`
// classes. Paths are relative with `/` separators; matching is case-sensitive except where told otherwise.

const cache = new Map<string, RegExp>();

/** Compiles a glob to a regular expression over a whole relative path; throws on an unbalanced `{` or `[`. */
export function globToRegExp(glob: string, ignoreCase = false): RegExp {
  const key = `${ignoreCase ? 'i' : 's'}:${glob}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const re = new RegExp(`^${translate(glob.replace(/\\/g, '/').replace(/^\.\//, ''))}$`, ignoreCase ? 'i' : '');
  if (cache.size > 500) cache.clear();
  cache.set(key, re);
  return re;
}

/** Checks a glob for syntax errors: the problem in words, or undefined when it is fine. */
export function globProblem(glob: string): string | undefined {
  try {
    globToRegExp(glob);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Whether `relative` (a path with `/` separators) matches `glob`. */
export function matchGlob(glob: string, relative: string, ignoreCase = false): boolean {
  return globToRegExp(glob, ignoreCase).test(relative);
}

/**
 * A predicate for VS Code's `files.exclude` object (`{ "**\/.git": true, "**\/dist": false }`): a path is
 * excluded when it or one of its parent folders matches an enabled pattern. Sibling conditions
 * (`{ "when": ... }`) are treated as enabled, which may hide more but never shows an excluded file.
 */
export function excludeMatcher(patterns: Record<string, unknown> | undefined): (relative: string) => boolean {
  const enabled = Object.entries(patterns ?? {})
    .filter(([glob, on]) => on !== false && on !== null && on !== undefined && globProblem(glob) === undefined)
    .map(([glob]) => globToRegExp(glob));
  if (enabled.length === 0) return () => false;
  return (relative) => {
    const parts = relative.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      if (enabled.some((re) => re.test(prefix))) return true;
    }
    return false;
  };
}

function translate(glob: string): string {
  let out = '';
  let i = 0;
  while (i < glob.length) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // `**` only means "any folders" as a whole segment; `a**b` is two stars.
      const atStart = i === 0 || glob[i - 1] === '/';
      const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
      if (atStart && atEnd) {
        if (glob[i + 2] === '/') {
          out += '(?:[^/]*/)*';
          i += 3;
        } else {
          out += '.*';
          i += 2;
        }
        continue;
      }
      out += '[^/]*';
      i += 2;
      continue;
    }
    if (c === '*') {
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '{') {
      const close = matchingBrace(glob, i);
      if (close < 0) throw new Error(`"${glob}" has a "{" without its "}"`);
      const alternatives = splitTopLevel(glob.slice(i + 1, close));
      out += `(?:${alternatives.map(translate).join('|')})`;
      i = close + 1;
      continue;
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) throw new Error(`"${glob}" has a "[" without its "]"`);
      let body = glob.slice(i + 1, close);
      if (body.startsWith('!') || body.startsWith('^')) body = `^${body.slice(1)}`;
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close + 1;
      continue;
    } else {
      out += c.replace(/[.+^$()|\\\]}]/g, '\\$&');
    }
    i++;
  }
  return out;
}

function matchingBrace(glob: string, open: number): number {
  let depth = 0;
  for (let j = open; j < glob.length; j++) {
    if (glob[j] === '{') depth++;
    else if (glob[j] === '}' && --depth === 0) return j;
  }
  return -1;
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let j = 0; j < body.length; j++) {
    if (body[j] === '{') depth++;
    else if (body[j] === '}') depth--;
    else if (body[j] === ',' && depth === 0) {
      parts.push(body.slice(start, j));
      start = j + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}
