/** Data and infrastructure: SQL and Redis clients, containers, Kubernetes, Terraform, cloud CLIs. */
import { firstOperand, optionsOf, type Cmd, type Ctx, type Rule } from '../context';
import { destructive, safe, unsure, type Finding } from '../types';

/** SQL text that deletes or rewrites data: DROP, TRUNCATE, DELETE/UPDATE without WHERE, ALTER ... DROP. */
export function destructiveSql(sql: string): string | undefined {
  const statements = sql.split(';');
  for (const s of statements) {
    const t = s.replace(/--[^\n]*/g, ' ').trim();
    if (/^\s*(drop|truncate)\b/i.test(t) || /\b(drop\s+(table|database|schema|index|view|user|collection)|truncate\s+table)\b/i.test(t)) return 'SQL DROP/TRUNCATE';
    if (/^\s*delete\b/i.test(t) && !/\bwhere\b/i.test(t)) return 'SQL DELETE without WHERE';
    if (/^\s*update\b/i.test(t) && !/\bwhere\b/i.test(t)) return 'SQL UPDATE without WHERE';
    if (/^\s*alter\b[\s\S]*\bdrop\b/i.test(t)) return 'SQL ALTER ... DROP';
    if (/\.(dropDatabase|drop|deleteMany|remove)\s*\(/.test(t) || /\bFLUSH(ALL|DB)\b/i.test(t)) return 'deletes a collection or database';
  }
  return undefined;
}

const READ_SQL = /^\s*(select|show|explain|describe|desc|with|\\d|\\l|\\dt|pragma)\b/i;

/** Text a client will run: `-c`/`-e`/`--command`/`--execute`/`--eval`/`-q`, a trailing SQL string, or stdin. */
function clientText(cmd: Cmd): { text: string; known: boolean } | undefined {
  const flagged = ['-c', '-e', '--command', '--execute', '--eval', '-q', '--query', '-Q'];
  for (let i = 0; i < cmd.args.length; i++) {
    const a = cmd.args[i]!;
    const eq = a.text.match(/^(--command|--execute|--eval|--query)=(.*)$/s);
    if (eq) return { text: eq[2]!, known: a.literal };
    if (flagged.includes(a.text) && cmd.args[i + 1]) return { text: cmd.args[i + 1]!.text, known: cmd.args[i + 1]!.literal };
  }
  const last = cmd.args[cmd.args.length - 1];
  if (last && /\s/.test(last.text) && !last.text.startsWith('-')) return { text: last.text, known: last.literal };
  const s = cmd.stdin;
  if (s?.kind === 'text') return { text: s.text, known: s.literal };
  if (s?.kind === 'commands') {
    const lits = s.commands.flatMap((c) => c.words.slice(1).filter((w) => w.literal).map((w) => w.text));
    if (lits.length) return { text: lits.join(' '), known: s.commands.every((c) => /^(echo|printf|cat)$/.test(c.words[0]?.text ?? '')) };
  }
  return undefined;
}

const sqlClient: Rule = (cmd) => {
  if (cmd.args.length === 1 && /^(--version|-V|--help)$/.test(cmd.args[0]!.text)) return safe(`${cmd.name} --version`);
  const q = clientText(cmd);
  if (!q) return unsure(`${cmd.name} runs statements it reads at run time`);
  const bad = destructiveSql(q.text);
  if (bad) return destructive(`${bad} through ${cmd.name}`);
  if (q.known && q.text.split(';').filter((s) => s.trim()).every((s) => READ_SQL.test(s))) return safe(`${cmd.name} read-only query`);
  return unsure(`${cmd.name} runs statements that may change data`);
};

const redis: Rule = (cmd) => {
  const skip = new Set(['-h', '-p', '-a', '-n', '-u', '--user', '--pass']);
  const words: string[] = [];
  for (let i = 0; i < cmd.args.length; i++) {
    if (skip.has(cmd.args[i]!.text)) i++;
    else if (!cmd.args[i]!.text.startsWith('-')) words.push(cmd.args[i]!.text);
  }
  const verb = (words[0] ?? '').toUpperCase();
  if (/^(FLUSHALL|FLUSHDB|DEL|UNLINK|SHUTDOWN|CONFIG|DEBUG|SWAPDB|MIGRATE|SCRIPT|EVAL|EVALSHA|FUNCTION|MODULE|REPLICAOF|SLAVEOF)$/.test(verb)) return destructive(`redis-cli ${verb}`);
  if (/^(GET|MGET|KEYS|SCAN|INFO|PING|TTL|TYPE|EXISTS|HGET|HGETALL|LRANGE|SMEMBERS|ZRANGE|DBSIZE|MONITOR|STRLEN|LLEN|SCARD)$/.test(verb)) return safe(`redis-cli ${verb} is read-only`);
  return unsure(verb ? `redis-cli ${verb} may change data` : 'redis-cli reads commands at run time');
};

const docker: Rule = (cmd) => {
  const args = cmd.args.map((a) => a.text);
  let verb = firstOperand(cmd.args, new Set(['-H', '--host', '--context', '-c', '--config', '--log-level', '-l'])) ?? '';
  const rest = args.slice(args.indexOf(verb) + 1);
  if (/^(container|image|volume|network|system|builder|buildx|plugin|context|compose)$/.test(verb) && rest[0]) verb = `${verb} ${rest.find((r) => !r.startsWith('-')) ?? ''}`.trim();
  if (/(^|\s)(rm|rmi|prune|kill|down|remove|destroy)$/.test(verb)) return destructive(`${cmd.name} ${verb} removes containers, images or data`);
  if (/^(push|login|save|export)$/.test(verb)) return destructive(`${cmd.name} ${verb} sends images or data off the machine`);
  if (/(^|\s)(run|create|start|up)$/.test(verb)) {
    const risky = args.some((a) => a === '--privileged' || /^--(pid|net|network|ipc|userns)=host$/.test(a) || /^--cap-add/.test(a) || /^(\/|~\/?|\$HOME\/?|\$\{HOME\}\/?|\/etc\/?|\/root\/?|\/home\/[^:]*|\/var\/run\/docker\.sock)(:|$)/.test(a) || /docker\.sock/.test(a));
    return risky ? destructive(`${cmd.name} ${verb} with host access (privileged, host namespaces or host mounts)`) : safe(`${cmd.name} ${verb}`);
  }
  if (/(^|\s)(ps|ls|images|logs|inspect|version|info|build|pull|history|top|stats|port|diff|search|events|config|df|images|tag)$/.test(verb)) return safe(`${cmd.name} ${verb}`);
  return unsure(`${cmd.name} ${verb}`.trim());
};

/** Global options of kubectl and helm that take a value (`kubectl -n prod apply`). */
const KUBE_VALUE = new Set(['-n', '--namespace', '--context', '--kubeconfig', '--cluster', '-s', '--server', '--user', '--as', '--token', '-l', '--selector', '-o', '--output']);

/** `kubectl exec pod -- cmd`, `docker exec box cmd`: the command runs elsewhere but is still read. */
function remoteExec(cmd: Cmd, ctx: Ctx, label: string): Finding[] {
  const dash = cmd.args.findIndex((a) => a.text === '--');
  const inner = dash >= 0 ? cmd.args.slice(dash + 1) : [];
  return [unsure(`${label} runs a command in a container`), ...(inner.length ? ctx.argv(inner) : [])];
}

const kubectl: Rule = (cmd, ctx) => {
  const verb = firstOperand(cmd.args, KUBE_VALUE) ?? '';
  if (verb === 'exec') return remoteExec(cmd, ctx, 'kubectl exec');
  const dryRun = cmd.args.some((a) => /^--dry-run(=(client|server))?$/.test(a.text));
  if (/^(get|describe|logs|top|explain|version|api-resources|api-versions|cluster-info|diff|auth|events|wait)$/.test(verb)) return safe(`kubectl ${verb} is read-only`);
  if (verb === 'config') return /^(view|get-contexts|current-context|get-clusters)$/.test(cmd.args[1]?.text ?? '') ? safe('kubectl config view') : unsure('kubectl config changes the kubeconfig');
  if (dryRun) return safe(`kubectl ${verb} --dry-run`);
  if (/^(delete|apply|replace|patch|scale|drain|cordon|uncordon|taint|label|annotate|edit|create|set|rollout|autoscale|expose|run)$/.test(verb)) return destructive(`kubectl ${verb} changes the cluster`);
  return unsure(`kubectl ${verb}`.trim());
};

const helm: Rule = (cmd) => {
  const verb = firstOperand(cmd.args, KUBE_VALUE) ?? '';
  if (/^(install|upgrade|uninstall|delete|del|rollback|push)$/.test(verb)) return cmd.args.some((a) => a.text === '--dry-run') ? safe(`helm ${verb} --dry-run`) : destructive(`helm ${verb} changes the cluster`);
  return /^(list|ls|status|template|lint|show|get|history|search|version|repo|dependency)$/.test(verb) ? safe(`helm ${verb}`) : unsure(`helm ${verb}`);
};

const terraform: Rule = (cmd) => {
  const verb = firstOperand(cmd.args) ?? '';
  if (/^(apply|destroy|import|taint|untaint|force-unlock|refresh)$/.test(verb)) return destructive(`${cmd.name} ${verb} changes real infrastructure`);
  if (verb === 'state' || verb === 'workspace') return /^(list|show|pull|select)$/.test(cmd.args[1]?.text ?? '') ? safe(`${cmd.name} ${verb} read`) : destructive(`${cmd.name} ${verb} ${cmd.args[1]?.text ?? ''} changes state`);
  if (/^(plan|validate|fmt|init|show|output|version|providers|graph|console|get|test|-version|--version)$/.test(verb)) return safe(`${cmd.name} ${verb}`);
  return unsure(`${cmd.name} ${verb}`.trim());
};

const pulumi: Rule = (cmd) => {
  const verb = firstOperand(cmd.args) ?? '';
  if (/^(up|update|destroy|refresh|import|cancel)$/.test(verb)) return destructive(`pulumi ${verb} changes real infrastructure`);
  return /^(preview|stack|config|whoami|version|about|logs)$/.test(verb) ? safe(`pulumi ${verb}`) : unsure(`pulumi ${verb}`);
};

const DELETE_VERB = /(^|-)(delete|remove|terminate|destroy|purge|deregister|revoke|rb|rm|disable|detach|stop|reset|wipe|erase|drop|kill)(-|$)/;
const READ_VERB = /^(describe|list|get|show|ls|whoami|info|version|help|status|view|search|--version|help)(-|$)/;

/** aws / gcloud / az / gsutil / doctl / gh: a delete-like verb anywhere is destructive; sending files up too. */
function cloud(cmd: Cmd): Finding {
  const ops = optionsOf(cmd.args).operands.map((w) => w.text);
  const label = `${cmd.name} ${ops.slice(0, 3).join(' ')}`.trim();
  if (ops.some((v) => DELETE_VERB.test(v))) return destructive(`${label} deletes or stops cloud resources`);
  if (cmd.args.some((a) => /^(-X|--method)$/.test(a.text)) && cmd.args.some((a) => /^(DELETE|PUT|POST|PATCH)$/i.test(a.text))) return destructive(`${label} changes remote data`);
  if (ops.some((v) => /^(s3|gs|az):\/\//.test(v)) && ops.some((v) => /^(cp|mv|sync)$/.test(v))) {
    const dest = ops[ops.length - 1] ?? '';
    if (/^(s3|gs|az):\/\//.test(dest)) return destructive(`${label} uploads files`);
    return cmd.args.some((a) => a.text === '--delete') ? destructive(`${label} --delete`) : unsure(`${label} downloads files`);
  }
  if (ops.slice(0, 3).some((v) => READ_VERB.test(v))) return safe(`${label} is read-only`);
  return unsure(`${label} may change cloud resources`);
}

export const dataRules: Record<string, Rule> = {
  psql: sqlClient, mysql: sqlClient, mariadb: sqlClient, sqlite3: sqlClient, sqlcmd: sqlClient, 'clickhouse-client': sqlClient,
  cqlsh: sqlClient, mongosh: sqlClient, mongo: sqlClient, duckdb: sqlClient, cockroach: sqlClient,
  'redis-cli': redis, 'valkey-cli': redis,
  dropdb: () => destructive('dropdb deletes a database'),
  dropuser: () => destructive('dropuser deletes a role'),
  mysqladmin: (cmd) => (cmd.args.some((a) => /^(drop|shutdown|flush-.*)$/.test(a.text)) ? destructive('mysqladmin drop/shutdown') : unsure('mysqladmin')),
  docker, podman: docker, nerdctl: docker, 'docker-compose': (cmd, ctx) => docker({ ...cmd, args: [{ text: 'compose', literal: true, ansiC: false, obfuscated: false }, ...cmd.args] }, ctx),
  kubectl, oc: kubectl, k3s: kubectl,
  helm,
  terraform, tofu: terraform, terragrunt: terraform,
  pulumi,
  aws: cloud, gcloud: cloud, gsutil: cloud, az: cloud, doctl: cloud, gh: cloud, glab: cloud, heroku: cloud, flyctl: cloud, vercel: cloud, netlify: cloud, firebase: cloud, wrangler: cloud,
};

