import { strict as assert } from 'node:assert';
import { excludeMatcher, globProblem, matchGlob } from '../../../src/chat/tools/glob';

suite('glob matching for list_files and files.exclude', () => {
  test('* and ? stay within one path segment; ** crosses folders, including none', () => {
    assert.ok(matchGlob('*.ts', 'a.ts'));
    assert.ok(!matchGlob('*.ts', 'src/a.ts'));
    assert.ok(matchGlob('**/*.ts', 'a.ts'));
    assert.ok(matchGlob('**/*.ts', 'src/deep/a.ts'));
    assert.ok(!matchGlob('**/*.ts', 'src/a.tsx'));
    assert.ok(matchGlob('src/**', 'src/a/b.json'));
    assert.ok(!matchGlob('src/**', 'lib/a.json'));
    assert.ok(matchGlob('src/**/test/*.ts', 'src/test/a.ts'));
    assert.ok(matchGlob('src/**/test/*.ts', 'src/x/y/test/a.ts'));
    assert.ok(matchGlob('?.md', 'a.md'));
    assert.ok(!matchGlob('?.md', 'ab.md'));
  });

  test('braces give alternatives (nested too) and brackets give classes, negated with ! or ^', () => {
    assert.ok(matchGlob('*.{json,md}', 'a.md'));
    assert.ok(matchGlob('*.{json,md}', 'b.json'));
    assert.ok(!matchGlob('*.{json,md}', 'c.ts'));
    assert.ok(matchGlob('{src,test/{unit,e2e}}/*.ts', 'test/e2e/x.ts'));
    assert.ok(matchGlob('file[0-9].txt', 'file7.txt'));
    assert.ok(!matchGlob('file[!0-9].txt', 'file7.txt'));
    assert.ok(matchGlob('file[^0-9].txt', 'filex.txt'));
  });

  test('regular-expression characters in a glob are literal, and Windows separators count as /', () => {
    assert.ok(matchGlob('a+b(1).txt', 'a+b(1).txt'));
    assert.ok(!matchGlob('a.txt', 'abtxt'));
    assert.ok(matchGlob('src\\*.ts', 'src/a.ts'));
    assert.ok(matchGlob('./src/*.ts', 'src/a.ts'));
  });

  test('an unbalanced brace or bracket is a problem in words', () => {
    assert.match(globProblem('*.{ts') ?? '', /"\{" without its "\}"/);
    assert.match(globProblem('file[0-9.txt') ?? '', /"\[" without its "\]"/);
    assert.equal(globProblem('**/*.ts'), undefined);
  });

  test('files.exclude: enabled patterns exclude the path and everything below a matching folder; false ones do not', () => {
    const excluded = excludeMatcher({ '**/.DS_Store': true, '**/node_modules': true, 'build/**': true, '**/*.log': false, 'bad{': true });
    assert.ok(excluded('node_modules/x/index.js'));
    assert.ok(excluded('packages/a/node_modules/y.js'));
    assert.ok(excluded('sub/.DS_Store'));
    assert.ok(excluded('build/out.js'));
    assert.ok(!excluded('debug.log'));
    assert.ok(!excluded('src/node_modules_helper.ts'));
    assert.ok(!excludeMatcher(undefined)('anything'));
  });
});
