/** Commands that only read, print, build or test: safe whatever their arguments (writes are checked apart). */
import { firstOperand, type Rule } from '../context';
import { destructive, safe, unsure } from '../types';

const READ_ONLY = [
  'ls', 'll', 'la', 'dir', 'vdir', 'cat', 'bat', 'head', 'tail', 'grep', 'egrep', 'fgrep', 'rg', 'ag', 'ack', 'wc', 'echo', 'printf',
  'pwd', 'which', 'whereis', 'type', 'file', 'stat', 'du', 'df', 'ps', 'pgrep', 'pstree', 'top', 'htop', 'date', 'whoami', 'id', 'groups', 'uname', 'tree', 'cut',
  'tr', 'diff', 'cmp', 'comm', 'jq', 'yq', 'basename', 'dirname', 'realpath', 'readlink', 'true', 'false', 'test', '[', '[[', 'sleep', 'seq', 'nl',
  'od', 'hexdump', 'xxd', 'base64', 'base32', 'md5sum', 'sha1sum', 'sha256sum', 'sha512sum', 'shasum', 'cksum', 'column', 'fold', 'paste', 'rev',
  'tac', 'strings', 'printenv', 'uptime', 'free', 'nproc', 'locale', 'cal', 'man', 'help', 'lsof', 'lsblk', 'lscpu', 'lsusb', 'lspci', 'vmstat',
  'iostat', 'cd', 'pushd', 'popd', ':', 'exit', 'return', 'wait', 'read', 'clear', 'fmt', 'expand', 'unexpand', 'join', 'split', 'csplit', 'look',
  'zcat', 'gzcat', 'bzcat', 'xzcat', 'zgrep', 'uniq', 'shuf', 'numfmt', 'expr', 'bc', 'dc', 'factor', 'getconf', 'hostnamectl', 'ip', 'ss',
  'netstat', 'ping', 'dig', 'nslookup', 'host', 'traceroute', 'whois', 'tput', 'stty', 'tty', 'logname', 'users', 'who', 'w', 'last', 'finger',
  'env', 'set', 'shopt', 'jobs', 'dirs', 'times', 'ulimit', 'umask', 'history', 'fc', 'alias', 'unalias', 'unset', 'export', 'declare',
  'typeset', 'local', 'readonly', 'let', 'shift', 'getopts', 'caller', 'compgen', 'complete', 'tsc', 'eslint', 'prettier', 'jest',
  'vitest', 'mocha', 'pytest', 'tox', 'nox', 'mypy', 'ruff', 'black', 'flake8', 'pylint', 'isort', 'cmake', 'ninja', 'meson', 'gradle',
  'gradlew', 'mvn', 'ant', 'sbt', 'javac', 'gcc', 'g++', 'cc', 'clang', 'clang++', 'rustc', 'rustfmt', 'clippy-driver', 'shellcheck', 'shfmt',
  'hadolint', 'tflint', 'golangci-lint', 'gofmt', 'esbuild', 'webpack', 'vite', 'rollup', 'parcel', 'turbo', 'nx', 'lerna', 'tsx', 'ts-node',
  'jq', 'gzip', 'gunzip', 'unzip', 'xz', 'bzip2', 'git-lfs', 'code', 'cloc', 'tokei', 'nvm', 'node-gyp', 'ldd', 'nm', 'objdump',
  'readelf', 'size', 'time', 'watch', 'ctags', 'pre-commit', 'stylua', 'swift', 'zig', 'dune', 'stack', 'cabal', 'mix', 'elixir', 'erl',
];

const safeRule = (name: string): Rule => () => safe(`${name} only reads or builds`);

const go: Rule = (cmd) => {
  const verb = firstOperand(cmd.args) ?? '';
  if (/^(build|test|vet|fmt|list|version|doc|mod|generate|tool|bug|help|work)$/.test(verb)) return safe(`go ${verb}`);
  if (verb === 'env') return cmd.args.some((a) => a.text === '-w' || a.text === '-u') ? unsure('go env -w changes settings') : safe('go env');
  return unsure(`go ${verb} runs or installs programs`);
};

const cargo: Rule = (cmd) => {
  const verb = firstOperand(cmd.args) ?? '';
  if (/^(build|b|test|t|check|c|clippy|fmt|doc|d|bench|tree|metadata|search|version|--version|-V|help|new|init|add|update|fetch|vendor|package|generate-lockfile|locate-project|verify-project|nextest)$/.test(verb)) return safe(`cargo ${verb}`);
  if (verb === 'clean') return safe('cargo clean removes build output');
  if (/^(uninstall|remove|rm)$/.test(verb)) return destructive(`cargo ${verb} removes packages`);
  if (/^(publish|yank|owner|login)$/.test(verb)) return unsure(`cargo ${verb} changes the registry`);
  return unsure(`cargo ${verb} runs or installs programs`);
};

const make: Rule = (cmd) => {
  const targets = cmd.args.filter((a) => !a.text.startsWith('-') && !a.text.includes('=')).map((a) => a.text);
  const risky = targets.find((t) => /^(install|uninstall|deploy|publish|release|push|distclean|purge)$/.test(t));
  return risky ? unsure(`make ${risky}`) : safe(`make ${targets.join(' ')}`.trim());
};

const dotnet: Rule = (cmd) => {
  const verb = firstOperand(cmd.args) ?? '';
  return /^(build|test|restore|format|--version|--info|list|clean|pack)$/.test(verb) ? safe(`dotnet ${verb}`) : unsure(`dotnet ${verb}`);
};

/** Pagers run shell commands from `+!cmd` and `!` keys; with a `+` command they are not read-only. */
const pager: Rule = (cmd) => (cmd.args.some((a) => a.text.startsWith('+')) ? unsure(`${cmd.name} with a start-up command`) : safe(`${cmd.name} only reads`));

export const readOnlyRules: Record<string, Rule> = Object.fromEntries([
  ['less', pager], ['more', pager], ['most', pager],
  ['hash', (cmd) => (cmd.args.some((a) => a.text.startsWith('-') && a.text.includes('p')) ? unsure('hash -p rebinds a command name') : safe('hash'))],
  ...READ_ONLY.map((n) => [n, safeRule(n)] as const),
  ['go', go], ['cargo', cargo], ['make', make], ['gmake', make], ['dotnet', dotnet],
  ['hostname', (cmd) => (cmd.args.length === 0 || cmd.args.every((a) => a.text.startsWith('-')) ? safe('hostname') : unsure('hostname sets the host name'))],
]);
