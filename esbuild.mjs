// Build script: one shared base, two bundles (the Node extension host and the browser webview),
// plus a transpile-only pass that mirrors src/, test/ and bench/ into out/ for mocha and benchmarks.
//
//   node esbuild.mjs               development build (source maps)
//   node esbuild.mjs --production  minified, no source maps (what the VSIX ships)
//   node esbuild.mjs --watch       rebuild on change, with problem-matcher friendly output
//   node esbuild.mjs --tests       also transpile tests into out/
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, statSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const tests = args.has('--tests');

/** Shared by both bundles: same TypeScript handling, same define, same logging. */
const base = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  target: 'es2022',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
};

/** Prints the lines VS Code's `$esbuild-watch` problem matcher looks for. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of [...result.errors, ...result.warnings]) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const extension = {
  ...base,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  platform: 'node',
  format: 'cjs',
  external: ['vscode'],
  plugins: watch ? [problemMatcher] : [],
};

/**
 * The browser build of decode-named-character-reference (used by the markdown parser) decodes `&name;` by
 * assigning innerHTML; the webview takes its table-based build instead, so no text from a model is ever
 * parsed as HTML.
 */
const entityTable = {
  name: 'entity-table',
  setup(build) {
    const path = createRequire(import.meta.url).resolve('decode-named-character-reference');
    build.onResolve({ filter: /^decode-named-character-reference$/ }, () => ({ path }));
  },
};

const webview = {
  ...base,
  entryPoints: ['webview/main.ts'],
  outfile: 'dist/webview.js',
  platform: 'browser',
  format: 'iife',
  plugins: watch ? [entityTable, problemMatcher] : [entityTable],
};

function listTs(dir) {
  const out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listTs(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Tests and the pure layers they load are transpiled file by file (no bundling) into out/. */
const testFiles = () => ({
  entryPoints: [...listTs('src'), ...listTs('test'), ...listTs('bench'), ...listTs('webview')],
  outdir: 'out',
  outbase: '.',
  bundle: false,
  platform: 'node',
  format: 'cjs',
  target: 'es2022',
  sourcemap: 'inline',
  logLevel: 'warning',
});

/**
 * The safety layer's shell parser is WebAssembly loaded at activation (src/safety/parser.ts looks beside
 * dist/extension.js first): the runtime from web-tree-sitter and the grammar from tree-sitter-bash.
 */
function copyParserWasm() {
  const require = createRequire(import.meta.url);
  mkdirSync('dist', { recursive: true });
  for (const [pkg, file] of [['web-tree-sitter', 'web-tree-sitter.wasm'], ['tree-sitter-bash', 'tree-sitter-bash.wasm']]) {
    copyFileSync(require.resolve(`${pkg}/${file}`), join('dist', file));
  }
}

copyParserWasm();
if (watch) {
  const contexts = await Promise.all([esbuild.context(extension), esbuild.context(webview)]);
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all([esbuild.build(extension), esbuild.build(webview)]);
  if (tests) {
    rmSync('out', { recursive: true, force: true });
    await esbuild.build(testFiles());
  }
  const size = (f) => `${relative('.', f)} ${(statSync(f).size / 1024).toFixed(1)} KB`;
  console.log(`built ${size('dist/extension.js')}, ${size('dist/webview.js')}${tests ? ', tests in out/' : ''}`);
}
