// Builds the production bundles and packages them into a VSIX with @vscode/vsce, then checks that the
// package holds only the allow-listed files and stays under 1 MB.
//
//   node scripts/package.mjs [--out file.vsix]
import { execFileSync } from 'node:child_process';
import { statSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const pkg = require(`${root}/package.json`);
const outArg = process.argv.indexOf('--out');
const out = resolve(root, outArg > 0 ? process.argv[outArg + 1] : `.cache/vsix/${pkg.name}-${pkg.version}.vsix`);
const vsce = resolve(root, 'node_modules/@vscode/vsce/vsce');

const ALLOWED = [/^dist\/extension\.js$/, /^dist\/webview\.js$/, /^dist\/(web-tree-sitter|tree-sitter-bash)\.wasm$/, /^media\/[^/]+$/, /^package\.json$/, /^README\.md$/, /^LICENSE(\.txt)?$/, /^CHANGELOG\.md$/];
const MAX_BYTES = 1024 * 1024;

execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'inherit' });

const listed = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' })
  .split('\n').map((l) => l.trim()).filter(Boolean);
const stray = listed.filter((f) => !ALLOWED.some((re) => re.test(f)));
if (stray.length) {
  console.error(`package: files outside the allow-list would ship:\n  ${stray.join('\n  ')}`);
  process.exit(1);
}
for (const required of ['dist/extension.js', 'dist/webview.js', 'dist/web-tree-sitter.wasm', 'dist/tree-sitter-bash.wasm', 'package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
  if (!listed.includes(required)) {
    console.error(`package: ${required} is missing from the package`);
    process.exit(1);
  }
}

mkdirSync(dirname(out), { recursive: true });
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--out', out], {
  cwd: root, stdio: ['ignore', 'inherit', 'inherit'],
});
const size = statSync(out).size;
if (size >= MAX_BYTES) {
  console.error(`package: ${out} is ${(size / 1024).toFixed(0)} KB, over the 1 MB budget`);
  process.exit(1);
}
console.log(`package: ${listed.length} files, ${(size / 1024).toFixed(1)} KB -> ${out}`);
