import { strict as assert } from 'node:assert';
import { MAX_WRITE_BYTES, toolSpecs, validateToolArgs } from '../../../src/chat/tools/toolSpecs';
import { TOOL_NAMES } from '../../../src/chat/tools/types';

function error(name: string, args: Record<string, unknown>): string {
  const r = validateToolArgs(name, args);
  assert.ok(!r.ok, `expected ${name} ${JSON.stringify(args).slice(0, 80)} to be refused`);
  return r.error;
}

suite('tool specs offered to the model', () => {
  test('each of the six tools has a description and an object schema naming its required fields, no others allowed', () => {
    const specs = toolSpecs();
    assert.deepEqual(specs.map((s) => s.function.name), [...TOOL_NAMES]);
    const byName = Object.fromEntries(specs.map((s) => [s.function.name, s.function]));
    assert.deepEqual(byName.read_file.parameters?.required, ['path']);
    assert.deepEqual(Object.keys(byName.read_file.parameters?.properties as object), ['path', 'startLine', 'endLine']);
    assert.deepEqual(byName.edit_file.parameters?.required, ['path', 'oldText', 'newText']);
    assert.deepEqual(byName.run_command.parameters?.required, ['command']);
    for (const s of specs) {
      assert.ok((s.function.description ?? '').length > 20, `${s.function.name} has a description`);
      assert.equal(s.function.parameters?.additionalProperties, false);
    }
    assert.equal((byName.read_file.parameters?.properties as Record<string, { type: string }>).startLine.type, 'integer');
  });

  test('a subset can be offered, in the same stable order', () => {
    assert.deepEqual(toolSpecs(['search_text', 'read_file']).map((s) => s.function.name), ['read_file', 'search_text']);
  });
});

suite('validating the arguments of a tool call', () => {
  test('valid arguments come back typed with their tool; null optional fields count as left out', () => {
    assert.deepEqual(validateToolArgs('read_file', { path: 'a.ts', startLine: 2, endLine: 5 }), { ok: true, args: { tool: 'read_file', path: 'a.ts', startLine: 2, endLine: 5 } });
    assert.deepEqual(validateToolArgs('read_file', { path: 'a.ts', startLine: null }), { ok: true, args: { tool: 'read_file', path: 'a.ts' } });
    assert.deepEqual(validateToolArgs('edit_file', { path: 'a', oldText: 'x', newText: '' }), { ok: true, args: { tool: 'edit_file', path: 'a', oldText: 'x', newText: '' } });
    assert.deepEqual(validateToolArgs('write_file', { path: 'a', content: '' }), { ok: true, args: { tool: 'write_file', path: 'a', content: '' } });
    assert.deepEqual(validateToolArgs('run_command', { command: 'ls', cwd: 'src' }), { ok: true, args: { tool: 'run_command', command: 'ls', cwd: 'src' } });
  });

  test('an unknown tool names the tools there are', () => {
    assert.match(error('delete_file', {}), /no tool named "delete_file": use one of read_file, list_files/);
  });

  test('missing and unknown fields say what the tool takes', () => {
    assert.match(error('read_file', {}), /"path" is missing: read_file takes path, startLine\?, endLine\?/);
    assert.match(error('read_file', { path: 'a', file: 'b' }), /unknown field "file": read_file takes path/);
    assert.match(error('edit_file', { path: 'a', oldText: 'x' }), /"newText" is missing/);
    assert.match(error('list_files', { glob: '*', a: 1, b: 2 }), /unknown fields "a", "b"/);
  });

  test('mistyped fields say the type expected and what was sent', () => {
    assert.match(error('read_file', { path: 7 }), /"path" must be a string, not the number 7/);
    assert.match(error('read_file', { path: 'a', startLine: '3' }), /"startLine" must be a whole number .* not the string "3"/);
    assert.match(error('read_file', { path: 'a', startLine: 2.5 }), /whole number/);
    assert.match(error('write_file', { path: 'a', content: ['x'] }), /"content" must be a string, not a list/);
    assert.match(error('run_command', { command: null }), /"command" must be a string, not null/);
  });

  test('empty strings are refused where they mean nothing, with what to send instead', () => {
    assert.match(error('read_file', { path: '  ' }), /"path" is empty: send a path relative to the workspace folder/);
    assert.match(error('list_files', { glob: '' }), /"glob" is empty: send a glob such as "\*\*\/\*\.ts"/);
    assert.match(error('search_text', { query: '' }), /"query" is empty/);
    assert.match(error('edit_file', { path: 'a', oldText: '', newText: 'x' }), /"oldText" is empty: .* use write_file/);
    assert.match(error('run_command', { command: ' ' }), /"command" is empty/);
    assert.match(error('run_command', { command: 'ls', cwd: '' }), /"cwd" is empty: leave it out/);
  });

  test('line ranges must start at 1 and not run backwards', () => {
    assert.match(error('read_file', { path: 'a', startLine: 0 }), /must be 1 or more/);
    assert.match(error('read_file', { path: 'a', startLine: 9, endLine: 3 }), /endLine \(3\) is before startLine \(9\)/);
    assert.match(error('read_file', { path: 'a', endLine: 1e12 }), /more lines than any file/);
  });

  test('absurd sizes are refused with the limit and a way around it', () => {
    assert.match(error('write_file', { path: 'a', content: 'x'.repeat(MAX_WRITE_BYTES + 1) }), /over the 4096 KB limit/);
    assert.match(error('read_file', { path: 'a/'.repeat(3000) }), /characters long: no path is that long/);
    assert.match(error('run_command', { command: 'x'.repeat(20000) }), /write a script with write_file/);
    assert.match(error('search_text', { query: 'a\nb' }), /spans several lines/);
  });

  test('a glob with a syntax error and an edit that changes nothing are refused', () => {
    assert.match(error('list_files', { glob: 'src/*.{ts' }), /"glob" is not a valid glob: "src\/\*\.\{ts" has a "\{" without its "\}"/);
    assert.match(error('edit_file', { path: 'a', oldText: 'same', newText: 'same' }), /the same, so the edit would change nothing/);
  });
});
