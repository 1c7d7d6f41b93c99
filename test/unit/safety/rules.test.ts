import { strict as assert } from 'node:assert';
import { evaluateRules, initSafety, listSubCommands, suggestPrefix } from '../../../src/safety';

const rules = (allow: string[], deny: string[] = []) => ({ allow, deny });

suite('safety: allow and deny rules', () => {
  suiteSetup(async () => {
    await initSafety();
  });

  test('a command runs without asking only when every sub-command is allowed', () => {
    const r = evaluateRules('git status && npm test', rules(['git status', 'npm test']));
    assert.equal(r.autoApprove, true);
    assert.deepEqual(r.subCommands.map((s) => s.allowedBy), ['git status', 'npm test']);
    const partial = evaluateRules('git status && npm publish', rules(['git status']));
    assert.equal(partial.autoApprove, false);
    assert.equal(partial.suggestedPrefix, 'npm publish');
  });

  test('prefixes match whole words, not characters', () => {
    assert.equal(evaluateRules('git statusx', rules(['git status'])).autoApprove, false);
    assert.equal(evaluateRules('git status --short', rules(['git status'])).autoApprove, true);
  });

  test('rules see through wrappers, assignments, subshells, pipelines and bash -c', () => {
    assert.equal(evaluateRules('FOO=1 timeout 5 npm test', rules(['npm test'])).autoApprove, true);
    assert.equal(evaluateRules('(npm test) | tee /dev/null', rules(['npm test', 'tee'])).autoApprove, true);
    const nested = evaluateRules("bash -c 'npm test; curl https://x.io'", rules(['npm test', 'bash']));
    assert.equal(nested.autoApprove, false, 'the curl inside bash -c is a sub-command too');
    assert.ok(nested.subCommands.some((s) => s.command.startsWith('curl')));
    assert.equal(evaluateRules('sudo npm test', rules(['npm test'])).autoApprove, false, 'sudo is destructive whatever the allow rules');
  });

  test('deny always wins, wherever the denied sub-command hides', () => {
    const r = evaluateRules('npm test; env X=1 curl https://x.io', rules(['npm test', 'curl'], ['curl']));
    assert.equal(r.autoApprove, false);
    assert.equal(r.deniedBy, 'curl');
    assert.equal(evaluateRules('npm test', rules(['npm'], ['/^npm\\s+test/'])).deniedBy, '/^npm\\s+test/');
  });

  test('a destructive command is never auto-approved, even when allowed by every rule', () => {
    const r = evaluateRules('rm -rf build', rules(['rm', '/.*/']));
    assert.equal(r.autoApprove, false);
    assert.equal(r.classification.verdict, 'destructive');
    assert.match(r.reason, /destructive/);
    assert.equal(evaluateRules('git push --force', rules(['git push'])).autoApprove, false);
  });

  test('an unsure command may be auto-approved by an explicit allow rule', () => {
    const r = evaluateRules('./scripts/check.sh --fast', rules(['./scripts/check.sh']));
    assert.equal(r.classification.verdict, 'unsure');
    assert.equal(r.autoApprove, true);
  });

  test('text the parser cannot read completely is never auto-approved', () => {
    assert.equal(evaluateRules("ls; ; echo 'x", rules(['/.*/'])).autoApprove, false);
    assert.equal(evaluateRules('', rules(['/.*/'])).autoApprove, false);
  });

  test('regex rules work; bad rules are reported and match nothing', () => {
    assert.equal(evaluateRules('npm run build', rules(['/^npm run (build|lint)$/'])).autoApprove, true);
    const r = evaluateRules('npm test', { allow: ['/([/', '', 'npm test'], deny: [42 as unknown as string] });
    assert.deepEqual(r.invalidRules, ['/([/', '', '42']);
    assert.equal(r.autoApprove, true);
    const bad = evaluateRules('npm test', null as never);
    assert.equal(bad.autoApprove, false);
  });

  test('the suggested prefix keeps the subcommand and drops options', () => {
    assert.equal(suggestPrefix(['npm', 'run', 'build']), 'npm run build');
    assert.equal(suggestPrefix(['git', 'log', '--oneline', '-5']), 'git log');
    assert.equal(suggestPrefix(['ls', '-la', 'src']), 'ls');
    assert.equal(suggestPrefix(['cargo', 'test', '--release']), 'cargo test');
    assert.equal(suggestPrefix([]), undefined);
    assert.equal(evaluateRules('git log --oneline -5', rules([])).suggestedPrefix, 'git log');
  });

  test('sub-commands are listed for PowerShell and cmd too', () => {
    assert.deepEqual(listSubCommands('Get-ChildItem | Select-Object Name', 'powershell').commands, [['Get-ChildItem'], ['Select-Object', 'Name']]);
    assert.deepEqual(listSubCommands('dir && git status', 'cmd').commands, [['dir'], ['git', 'status']]);
    assert.equal(evaluateRules('del /s x', rules(['del']), { shell: 'cmd' }).autoApprove, false);
  });
});
