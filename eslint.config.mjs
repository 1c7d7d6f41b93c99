// The layers, enforced: `vscode` is imported at runtime only by the glue (src/vscode/, src/extension.ts);
// everything else may import its types but must run in plain Node. Import cycles are refused everywhere.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const GLUE = ['src/vscode/**', 'src/extension.ts', 'test/integration/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.cache/**', 'node_modules/**', 'bench/results/**', 'test/fixtures/workspace/**', 'test/fixtures/lint/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaVersion: 2022, sourceType: 'module' } },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: {
      'import-x/resolver': { node: { extensions: ['.ts', '.js', '.mjs'] } },
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', allowTypeImports: true, message: 'Only src/vscode/ and src/extension.ts may import vscode at runtime (use `import type` elsewhere).' }],
      }],
    },
  },
  {
    files: GLUE,
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
);
