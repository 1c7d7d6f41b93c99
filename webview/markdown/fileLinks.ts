// Links to files in the user's workspace: `[foo.ts](src/foo.ts#L10)`, and `src/foo.ts:10` written in inline
// code or in text. The webview only recognises the shape and asks the host, which opens the file only when it
// resolves inside a workspace folder (src/vscode/workspaceFiles.ts).

export interface FileTarget {
  path: string;
  /** 1-based line, when the link names one. */
  line?: number;
}

/** Host-like names with a port that look like `file.ext:line` (`example.com:443`) are not files. */
const NOT_FILE_EXTENSIONS = new Set(['com', 'org', 'net', 'io', 'dev', 'app', 'ai', 'co', 'edu', 'gov', 'local', 'localhost', 'internal', 'lan']);

/**
 * The file a link destination points to: a relative or absolute path without a scheme (`src/a.ts`,
 * `./a.ts#L10`, `/abs/a.ts:3`), with an optional `#L10`, `#L10-L20`, `#L10C4` or `:10` line. Undefined for
 * anything else (URLs, bare fragments, protocol-relative `//host`).
 */
export function fileLinkTarget(url: string): FileTarget | undefined {
  const trimmed = url.trim();
  if (!trimmed || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(trimmed) || /^[#?]/.test(trimmed) || trimmed.startsWith('//')) return undefined;
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return undefined;
  let rest = trimmed;
  let line: number | undefined;
  const fragment = /#L(\d+)(?:C\d+)?(?:-L?\d+(?:C\d+)?)?$/.exec(rest);
  if (fragment) {
    line = Number(fragment[1]);
    rest = rest.slice(0, fragment.index);
  } else {
    const suffix = /:(\d+)(?::\d+)?$/.exec(rest);
    if (suffix) {
      line = Number(suffix[1]);
      rest = rest.slice(0, suffix.index);
    }
  }
  rest = rest.replace(/[?#].*$/, '');
  let path: string;
  try {
    path = decodeURIComponent(rest);
  } catch {
    path = rest;
  }
  // Only path-like text: a colon, backslash or shell/URL metacharacter means this is not a file we open.
  if (!path || path.endsWith('/') || /[\u0000-\u001f:\\<>"|?*]/.test(path)) return undefined;
  return line && line > 0 ? { path, line } : { path };
}

/** `path.ext:line` or `path.ext:line:column`, where the path has an extension that is not a host's. */
const FILE_REF = /(?<![\w./-])((?:\.{1,2}\/|\/)?(?:[\w@+-][\w.@+-]*\/)*[\w@+-][\w.@+-]*\.([A-Za-z][A-Za-z0-9]{0,9})):(\d+)(?::\d+)?(?![\w/])/g;

/** Every `file.ext:line` reference in `text`, with where it starts and ends. */
export function findFileRefs(text: string): { start: number; end: number; target: FileTarget }[] {
  if (!text.includes(':')) return [];
  const out: { start: number; end: number; target: FileTarget }[] = [];
  for (const m of text.matchAll(FILE_REF)) {
    if (NOT_FILE_EXTENSIONS.has(m[2].toLowerCase())) continue;
    const line = Number(m[3]);
    if (!(line > 0)) continue;
    out.push({ start: m.index!, end: m.index! + m[0].length, target: { path: m[1], line } });
  }
  return out;
}

/** The whole of an inline code span as a file reference (`src/foo.ts:10`), or undefined. */
export function codeFileRef(code: string): FileTarget | undefined {
  const trimmed = code.trim();
  const refs = findFileRefs(trimmed);
  return refs.length === 1 && refs[0].start === 0 && refs[0].end === trimmed.length ? refs[0].target : undefined;
}
