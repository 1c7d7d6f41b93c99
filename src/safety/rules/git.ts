/** git: history rewrites and discarded work are destructive; inspection, commits and dry runs are safe. */
import { hasFlag, optionsOf, type Rule } from '../context';
import { isScratch, writeTargetRisk } from '../paths';
import { destructive, safe, unsure, type Finding } from '../types';
import { literalWord, type Word } from '../words';

const READ_ONLY = new Set(['status', 'log', 'diff', 'show', 'blame', 'shortlog', 'describe', 'rev-parse', 'rev-list', 'ls-files', 'ls-tree', 'ls-remote', 'cat-file', 'grep', 'whatchanged', 'help', 'version', 'fetch', 'count-objects', 'merge-base', 'name-rev', 'for-each-ref', 'show-ref', 'check-ignore', 'var', 'cherry', 'range-diff', 'archive', 'bundle', 'fsck']);
const LOCAL_SAFE = new Set(['add', 'commit', 'init', 'clone', 'mv', 'merge', 'pull', 'cherry-pick', 'revert', 'notes', 'format-patch', 'bisect', 'sparse-checkout', 'maintenance']);

/** Options of git itself that take a value (`git -C dir status`). */
const GLOBAL_WITH_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env']);

function sub(name: string, args: Word[]): Finding {
  const o = optionsOf(args);
  const ops = o.operands.map((w) => w.text);
  switch (name) {
    case 'push':
      if (hasFlag(o, 'n', '--dry-run')) return safe('git push --dry-run');
      if (hasFlag(o, 'f', '--force', '--force-with-lease', '--force-if-includes', '--mirror', '--delete', 'd', '--prune')) return destructive('git push rewrites or deletes remote history');
      if (ops.some((r) => r.startsWith('+') || r.startsWith(':'))) return destructive('git push with a forced or deleting refspec');
      return unsure('git push sends commits to a remote');
    case 'reset':
      if (hasFlag(o, '--hard', '--merge', '--keep')) return destructive('git reset --hard discards work');
      return safe('git reset keeps the working tree');
    case 'clean':
      if (hasFlag(o, 'n', '--dry-run')) return safe('git clean --dry-run');
      return hasFlag(o, 'f', '--force', 'x', 'X', 'd') ? destructive('git clean deletes untracked files') : unsure('git clean');
    case 'checkout':
      if (hasFlag(o, 'f', '--force', '--ours', '--theirs') || args.some((a) => a.text === '--') || ops.includes('.')) return destructive('git checkout discards changes to files');
      return safe('git checkout switches branches');
    case 'restore':
      return hasFlag(o, 'S', '--staged') && !hasFlag(o, 'W', '--worktree') ? safe('git restore --staged') : destructive('git restore discards changes');
    case 'switch':
      return hasFlag(o, 'f', '--force', '--discard-changes') || (hasFlag(o, 'C') && !hasFlag(o, 'c')) ? destructive('git switch discards changes') : safe('git switch');
    case 'branch':
      if (hasFlag(o, 'D', 'M', 'C') || (hasFlag(o, 'd', '--delete', 'm', '--move') && hasFlag(o, 'f', '--force'))) return destructive('git branch force-deletes or overwrites a branch');
      if (hasFlag(o, 'd', '--delete')) return unsure('git branch -d deletes a merged branch');
      return safe('git branch');
    case 'tag':
      return hasFlag(o, 'd', '--delete', 'f', '--force') ? destructive('git tag deletes or moves a tag') : safe('git tag');
    case 'stash':
      return ops[0] === 'drop' || ops[0] === 'clear' ? destructive(`git stash ${ops[0]} deletes stashed work`) : safe('git stash');
    case 'rm':
      if (hasFlag(o, '--cached')) return safe('git rm --cached keeps the files');
      return hasFlag(o, 'r') ? destructive('git rm -r deletes files') : unsure('git rm deletes files');
    case 'filter-branch':
    case 'filter-repo':
    case 'replace':
      return destructive(`git ${name} rewrites history`);
    case 'update-ref':
      return hasFlag(o, 'd') ? destructive('git update-ref -d deletes a ref') : unsure('git update-ref');
    case 'worktree':
      return ops[0] === 'remove' && hasFlag(o, 'f', '--force') ? destructive('git worktree remove --force') : ops[0] === 'list' ? safe('git worktree list') : unsure('git worktree');
    case 'remote':
      return ops.length === 0 || ops[0] === 'show' || ops[0] === 'get-url' ? safe('git remote') : unsure(`git remote ${ops[0]}`);
    case 'config':
      if (hasFlag(o, '--global', '--system')) return hasFlag(o, 'l', '--list', '--get', '--get-all', '--get-regexp') ? safe('git config read') : destructive('git config writes a dotfile (--global)');
      return hasFlag(o, 'l', '--list', '--get', '--get-all', '--get-regexp') || ops.length <= 1 ? safe('git config read') : unsure('git config changes settings');
    case 'reflog':
      return ops[0] === 'expire' || ops[0] === 'delete' ? destructive('git reflog expire drops recovery points') : safe('git reflog');
    case 'gc':
      return args.some((a) => a.text.startsWith('--prune')) ? destructive('git gc --prune drops unreachable commits') : safe('git gc');
    case 'rebase':
    case 'am':
    case 'apply':
    case 'submodule':
      return unsure(`git ${name} changes history or files`);
  }
  if (READ_ONLY.has(name)) return safe(`git ${name} is read-only`);
  if (LOCAL_SAFE.has(name)) return safe(`git ${name}`);
  return unsure(`git ${name} is not a known git command (it may be an alias)`);
}

export const git: Rule = (cmd, ctx) => {
  const findings: Finding[] = [];
  let i = 0;
  for (; i < cmd.args.length; i++) {
    const t = cmd.args[i]!.text;
    if (!t.startsWith('-')) break;
    if (GLOBAL_WITH_VALUE.has(t)) {
      const value = cmd.args[++i];
      if (t === '-c' && value) {
        const m = /^alias\.([^=]+)=(.*)$/s.exec(value.text);
        if (m) {
          // `git -c alias.x='!cmd' x` runs cmd through the shell; a plain alias expands to a git command.
          findings.push(...(m[2]!.startsWith('!') ? ctx.nested(m[2]!.slice(1), 'bash') : ctx.argv([literalWord('git'), ...m[2]!.split(/\s+/).filter(Boolean).map(literalWord)])));
          findings.push(unsure(`git -c defines the alias ${m[1]}`));
        } else if (/^(core\.(sshCommand|pager|editor|hooksPath|fsmonitor)|.*\.(helper|command|cmd))=/i.test(value.text)) {
          findings.push(unsure(`git -c ${value.text.split('=')[0]} runs a program`));
        }
      }
    }
  }
  const name = cmd.args[i]?.text;
  if (name === undefined) return [...findings, safe('git')];
  // `git log --output=file`, `git diff -o file`... write where they are told.
  for (let j = i + 1; j < cmd.args.length; j++) {
    const a = cmd.args[j]!;
    const target = a.text.startsWith('--output=') ? { ...a, text: a.text.slice(9) } : a.text === '--output' || a.text === '-o' ? cmd.args[j + 1] : undefined;
    if (target && (name === 'log' || name === 'diff' || name === 'show' || name === 'format-patch' || a.text.startsWith('--output'))) {
      findings.push(writeTargetRisk(target, ctx.options) ?? (isScratch(target) ? safe('git writes to a scratch file') : unsure(`git ${name} writes ${target.text}`)));
    }
  }
  if (!cmd.args[i]!.literal) return [...findings, unsure('git subcommand known only at run time')];
  return [...findings, sub(name, cmd.args.slice(i + 1))];
};
