/**
 * The bash parser: tree-sitter-bash through web-tree-sitter (WebAssembly). Loading the two .wasm files is
 * asynchronous and happens once (`initSafety`); parsing afterwards is synchronous. Until then `parseBash`
 * returns `undefined` and the classifier answers `unsure`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Node, Parser as ParserType, Tree } from 'web-tree-sitter';

// `require`, not `import`: the bundler then takes the package's CommonJS build; its ES module build reads
// `import.meta.url`, which does not exist in the CommonJS extension bundle.
const { Language, Parser } = require('web-tree-sitter') as typeof import('web-tree-sitter');

export type { Node };

export const RUNTIME_WASM = 'web-tree-sitter.wasm';
export const BASH_WASM = 'tree-sitter-bash.wasm';

let parser: ParserType | undefined;
let loading: Promise<void> | undefined;

/** Where the .wasm files may be: beside the bundle (dist/), else in the installed packages. */
function findWasm(file: string, pkg: string, dir: string | undefined): string {
  if (dir) return join(dir, file);
  const beside = join(__dirname, file);
  if (existsSync(beside)) return beside;
  return require.resolve(`${pkg}/${file}`);
}

/**
 * Loads the parser once; later calls return the same promise. `wasmDir` overrides where the two files are
 * looked for. A failed load can be retried by calling again.
 */
export function initSafety(options: { wasmDir?: string } = {}): Promise<void> {
  if (parser) return Promise.resolve();
  loading ??= (async () => {
    const runtime = readFileSync(findWasm(RUNTIME_WASM, 'web-tree-sitter', options.wasmDir));
    await Parser.init({ wasmBinary: runtime });
    const bash = await Language.load(new Uint8Array(readFileSync(findWasm(BASH_WASM, 'tree-sitter-bash', options.wasmDir))));
    const p = new Parser();
    p.setLanguage(bash);
    parser = p;
  })().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

export function isSafetyReady(): boolean {
  return parser !== undefined;
}

/** Parses with the loaded grammar; `undefined` before `initSafety` has finished. The caller deletes the tree. */
export function parseBash(text: string): Tree | undefined {
  return parser?.parse(text) ?? undefined;
}
