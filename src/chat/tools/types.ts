// Pure: the shapes shared by the tools (specs, validation, confinement, running) and the coordinator that
// decides on each call. File and process access sit behind these interfaces: the extension gives VS Code's
// workspace API, tests give real files in a temporary folder.

export type ToolName = 'read_file' | 'list_files' | 'search_text' | 'write_file' | 'edit_file' | 'run_command';
export const TOOL_NAMES: readonly ToolName[] = ['read_file', 'list_files', 'search_text', 'write_file', 'edit_file', 'run_command'];
export const READ_ONLY_TOOLS: readonly ToolName[] = ['read_file', 'list_files', 'search_text'];

/** Validated arguments, one shape per tool. */
export type ToolArgs =
  | { tool: 'read_file'; path: string; startLine?: number; endLine?: number }
  | { tool: 'list_files'; glob: string }
  | { tool: 'search_text'; query: string; glob?: string }
  | { tool: 'write_file'; path: string; content: string }
  | { tool: 'edit_file'; path: string; oldText: string; newText: string }
  | { tool: 'run_command'; command: string; cwd?: string };

/** A path inside the workspace: where it really is, and how the card shows it. */
export interface WorkspacePath {
  /** Absolute path on disk (symlinks resolved for existing files). */
  absolute: string;
  /** Relative to its workspace folder, with `/` separators ("src/a.ts"); prefixed by the folder name when there are several. */
  relative: string;
  /** The workspace folder it is in (absolute). */
  root: string;
}

/** What the tools need of the file system (real files in tests; the extension adds VS Code's edits on top). */
export interface ToolFileSystem {
  /** Resolves symlinks; rejects when the path does not exist. */
  realpath(path: string): Promise<string>;
  readFile(path: string): Promise<Uint8Array>;
  stat(path: string): Promise<{ isFile: boolean; isDirectory: boolean; size: number }>;
  /** A folder's entries, not following symlinks (list_files and the plain search walk the tree with it). */
  readDirectory(path: string): Promise<Array<{ name: string; type: 'file' | 'directory' | 'symlink' | 'other' }>>;
}

/** What the tools are given for one call. */
export interface ToolContext {
  /** The workspace folders (absolute); relative paths resolve against the first, or the one they name. */
  roots: string[];
  fs: ToolFileSystem;
  /** True for a path (relative to its folder, `/` separators) the user excluded (`files.exclude`). */
  exclude?: (relative: string, root: string) => boolean;
  /** A ripgrep binary for search_text; without it a plain scan is used. */
  rgPath?: string;
  /** Stops a long walk or search. */
  signal?: AbortSignal;
}

/** What a read-only tool returns: text for the model, or an error the model can act on. */
export type ToolResult = { ok: true; output: string; truncated: boolean } | { ok: false; error: string };

/** The result text for the model is capped at this many bytes (with a note when cut). */
export const OUTPUT_CAP_BYTES = 64 * 1024;

/** A command's run: what the card shows live and what the model gets at the end. */
export interface CommandRun {
  /** Resolves when the process (and its children) ended, was killed, or timed out. */
  done: Promise<{
    exitCode: number | null;
    signal: string | null;
    timedOut: boolean;
    killed: boolean;
    output: string;
    truncated: boolean;
    /** Set when the command could not be started at all (no such cwd, no shell). */
    error?: string;
  }>;
  /** Kills the whole process tree at once. */
  kill(): void;
}
