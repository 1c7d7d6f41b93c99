/**
 * Interpreters' one-liners (`python -c`, `node -e`, `perl -e`, `ruby -e`, `php -r`): at least unsure, and
 * destructive when the code plainly deletes, runs programs, writes files or talks to the network.
 */
import { firstOperand, type Cmd, type Rule } from '../context';
import { stdinOrigin } from './shells';
import { destructive, safe, unsure, type Finding } from '../types';

const DANGEROUS: [RegExp, string][] = [
  [/\b(os\.(remove|unlink|rmdir|removedirs)|shutil\.(rmtree|move)|rmSync|rmdirSync|unlinkSync|rm_rf|rm_r|FileUtils\.rm|File\.delete|unlink\s*\(|rmtree|Remove-Item|\.unlink\(|\.rmdir\(|fs\.rm\b|\bunlink\b|\brmdir\b)/, 'deletes files'],
  [/\b(os\.system|os\.popen|os\.exec\w*|subprocess|child_process|execSync|spawnSync|spawn\s*\(|exec\s*\(|system\s*\(|popen|pty\.spawn|Kernel\.exec|IO\.popen|`[^`]*`|qx\b|Deno\.run|Deno\.Command|Bun\.spawn|shell_exec|passthru|proc_open)/, 'runs programs'],
  [/\b(eval\s*\(|exec\s*\(|compile\s*\(|Function\s*\(|__import__|base64|b64decode|atob\s*\(|Buffer\.from\([^)]*base64|fromCharCode|codecs\.decode|marshal\.loads|pickle\.loads)/, 'evaluates or decodes code'],
  [/\b(urllib|requests\.|http\.client|httpx|socket|fetch\s*\(|https?\.request|require\(\s*['"](https?|net|dgram|tls|http2)['"]\s*\)|net\.connect|XMLHttpRequest|LWP|Net::HTTP|open-uri|IO::Socket|curl_exec|file_get_contents\s*\(\s*['"]https?|aiohttp|websocket)/i, 'uses the network'],
  [/\b(writeFileSync|appendFileSync|writeFile|createWriteStream|File\.write|file_put_contents|fwrite|\.write_text|\.write_bytes|open\s*\([^)]*['"][wax]b?\+?['"]|os\.chmod|chmodSync|os\.rename|renameSync|os\.kill|process\.kill|Process\.kill|kill\s*\()/, 'writes files or signals processes'],
];

/** What an inline program does, as findings (never `safe`). */
export function inlineCode(lang: string, code: string): Finding[] {
  const found = DANGEROUS.filter(([re]) => re.test(code)).map(([, what]) => destructive(`${lang} one-liner ${what}`));
  return found.length ? found : [unsure(`${lang} one-liner runs code`)];
}

const INLINE_FLAGS: Record<string, RegExp> = {
  python: /^-c$/, node: /^(-e|--eval|-p|--print)$/, perl: /^-[a-zA-Z]*[eE]$/, ruby: /^-[a-zA-Z]*e$/, php: /^-r$/, deno: /^eval$/, lua: /^-e$/, osascript: /^-e$/, Rscript: /^-e$/,
};

function family(name: string): string | undefined {
  if (/^python(\d(\.\d+)?)?$|^pypy\d?$/.test(name)) return 'python';
  if (/^(node|nodejs)$/.test(name)) return 'node';
  if (/^perl(\d.*)?$/.test(name)) return 'perl';
  if (/^(ruby|irb)$/.test(name)) return 'ruby';
  if (/^php(\d.*)?$/.test(name)) return 'php';
  if (/^(deno|lua|luajit|osascript|Rscript)$/.test(name)) return name.replace('luajit', 'lua');
  return undefined;
}

const PY_SAFE_MODULES = /^(pytest|unittest|mypy|pyflakes|flake8|black|ruff|isort|pylint|doctest|compileall|py_compile|timeit|json\.tool|this|tabnanny|coverage|tox|nox|venv|build)$/;

export const interpreter: Rule = (cmd: Cmd) => {
  const lang = family(cmd.name);
  if (!lang) return undefined;
  const flag = INLINE_FLAGS[lang]!;
  for (let i = 0; i < cmd.args.length; i++) {
    const a = cmd.args[i]!;
    if (flag.test(a.text)) {
      const code = cmd.args[i + 1];
      if (!code) return unsure(`${lang} reads code from standard input`);
      return code.literal ? inlineCode(lang, code.text) : [destructive(`${lang} runs code built at run time`)];
    }
  }
  if (cmd.args.length === 1 && /^(-V|--version|-v|--help|-h)$/.test(cmd.args[0]!.text)) return safe(`${cmd.name} --version`);
  if (lang === 'python') {
    const m = cmd.args.findIndex((a) => a.text === '-m');
    if (m >= 0) {
      const mod = cmd.args[m + 1]?.text ?? '';
      if (PY_SAFE_MODULES.test(mod)) return safe(`python -m ${mod}`);
      if (mod === 'pip') return unsure('python -m pip changes installed packages');
      return unsure(`python -m ${mod} runs a module`);
    }
  }
  if (lang === 'deno' && /^(test|check|fmt|lint|info|doc|bench)$/.test(firstOperand(cmd.args) ?? '')) return safe(`deno ${firstOperand(cmd.args)}`);
  const script = cmd.args.find((a) => !a.text.startsWith('-'));
  if (script && !script.literal) {
    if (/\b(curl|wget|fetch|nc)\b/.test(script.text)) return destructive(`${cmd.name} runs downloaded code`);
    return unsure(`${cmd.name} runs a script known only at run time`);
  }
  if (!firstOperand(cmd.args) || cmd.args.some((a) => a.text === '-')) {
    const origin = stdinOrigin(cmd.stdin);
    if (origin) return destructive(`pipes ${origin === 'fetched' ? 'downloaded' : 'decoded'} code into ${cmd.name}`);
    if (cmd.stdin?.kind === 'text' && cmd.stdin.literal) return inlineCode(lang, cmd.stdin.text);
    return unsure(`${cmd.name} reads code from standard input or starts a session`);
  }
  return unsure(`${cmd.name} runs a script`);
};

/** awk programs can run commands (`system`, `| "cmd"`) and write files (`> "file"`). */
export const awk: Rule = (cmd) => {
  const program = cmd.args.find((a) => !a.text.startsWith('-'));
  if (!program || !program.literal) return unsure('awk program known only at run time');
  if (/\bsystem\s*\(|\|\s*"|\|&|getline\s*<|>\s*"|>>\s*"|print\s*>|printf[^;]*>/.test(program.text)) return unsure('awk program runs commands or writes files');
  return safe('awk prints its result');
};
