/** Processes, services, power, privilege and packages. */
import { firstOperand, hasFlag, optionsOf, type Rule } from '../context';
import { destructive, safe, unsure } from '../types';

const always = (reason: string): Rule => () => destructive(reason);

const kill: Rule = (cmd) => {
  if (cmd.args.some((a) => a.text === '-0' || a.text === '-s0' || a.text === '-n0') || (cmd.args[0]?.text === '-s' && cmd.args[1]?.text === '0')) return safe('kill -0 only checks that a process exists');
  if (cmd.args.length === 0 || /^(-l|-L|--list|--table)$/.test(cmd.args[0]!.text)) return safe('kill -l lists signals');
  return destructive('kills processes');
};

const systemctl: Rule = (cmd) => {
  const verb = firstOperand(cmd.args);
  if (!verb || /^(status|show|list-.*|is-.*|cat|help|get-default)$/.test(verb)) return safe(`systemctl ${verb ?? ''}`.trim());
  return destructive(`systemctl ${verb} changes system services`);
};

const service: Rule = (cmd) => (/^(status|--status-all)$/.test(cmd.args[1]?.text ?? cmd.args[0]?.text ?? '') ? safe('service status') : destructive('changes a system service'));

/** Package managers: removal is destructive; installs change the system (unsure); queries are safe. */
function packageManager(remove: RegExp, query: RegExp, publish?: RegExp): Rule {
  return (cmd) => {
    const verb = firstOperand(cmd.args) ?? '';
    const flags = cmd.args.filter((a) => a.text.startsWith('-')).map((a) => a.text);
    if (remove.test(verb) || flags.some((f) => remove.test(f))) return destructive(`${cmd.name} ${verb || flags.join(' ')} removes packages`);
    if (publish?.test(verb)) return destructive(`${cmd.name} ${verb} publishes or unpublishes a package`);
    if (query.test(verb) || (verb === '' && flags.some((f) => /^(-v|--version|-h|--help)$/.test(f)))) return safe(`${cmd.name} ${verb}`.trim());
    return unsure(`${cmd.name} ${verb} changes installed packages`.replace(/\s+/g, ' '));
  };
}

const NPM_SAFE = /^(test|t|tst|run|run-script|build|ls|list|ll|la|outdated|view|info|show|v|audit|explain|why|help|config|get|prefix|root|bin|pack|doctor|fund|search|version|-v|--version|start|stop|restart|exec|x|ci|install-test|it)$/;

/** Package scripts whose names say they reach beyond the build. */
const RISKY_SCRIPT = /deploy|publish|release|destroy|drop|reset|migrate|seed|prune|purge|wipe|nuke|teardown/i;

const npm: Rule = (cmd) => {
  const verb = firstOperand(cmd.args) ?? '';
  if (verb === '' && cmd.args.every((a) => /^(-v|--version|-h|--help|-l)$/.test(a.text))) return safe('npm --version');
  if (/^(uninstall|un|remove|rm|r|unlink|prune)$/.test(verb)) return destructive(`npm ${verb} removes packages`);
  if (/^(publish|unpublish|deprecate|owner|access|dist-tag|token|adduser|login)$/.test(verb)) return destructive(`npm ${verb} changes the registry or your account`);
  if (verb === 'audit' && cmd.args.some((a) => a.text === 'fix')) return unsure('npm audit fix changes installed packages');
  if (verb === 'exec' || verb === 'x') return unsure(`npm ${verb} runs a package's program`);
  if (verb === 'config' && /^(set|delete|edit)$/.test(cmd.args[1]?.text ?? '')) return destructive('npm config writes ~/.npmrc');
  if (/^(run|run-script)$/.test(verb) && RISKY_SCRIPT.test(cmd.args.find((a, i) => i > 0 && !a.text.startsWith('-'))?.text ?? '')) return unsure('npm runs a deploy, publish or clean-up script');
  if (NPM_SAFE.test(verb)) return safe(`npm ${verb}`);
  return unsure(`npm ${verb} changes installed packages`);
};

/** yarn and pnpm: `yarn <script>` runs a package script; bare `yarn` installs. */
const yarnLike: Rule = (cmd) => {
  const verb = firstOperand(cmd.args) ?? '';
  if (/^(remove|rm|uninstall|un|unlink|prune)$/.test(verb)) return destructive(`${cmd.name} ${verb} removes packages`);
  if (/^(publish|unpublish|npm)$/.test(verb)) return destructive(`${cmd.name} ${verb} publishes a package`);
  const script = verb === 'run' ? cmd.args.find((a, i) => i > 0 && !a.text.startsWith('-'))?.text ?? '' : verb;
  if (RISKY_SCRIPT.test(script)) return unsure(`${cmd.name} runs a deploy, publish or clean-up script`);
  if (/^(test|run|build|lint|typecheck|list|ls|outdated|info|why|audit|--version|-v|help|check)$/.test(verb)) return safe(`${cmd.name} ${verb}`);
  return unsure(verb ? `${cmd.name} ${verb}` : `${cmd.name} installs packages`);
};

export const systemRules: Record<string, Rule> = {
  kill,
  pkill: always('kills processes by name'),
  killall: always('kills processes by name'),
  xkill: always('kills a window'),
  skill: always('kills processes'),
  fuser: (cmd) => (optionsOf(cmd.args).short.has('k') ? destructive('fuser -k kills processes') : safe('fuser')),
  shutdown: always('shuts the machine down'),
  reboot: always('reboots the machine'),
  halt: always('halts the machine'),
  poweroff: always('powers the machine off'),
  init: always('changes the run level'),
  telinit: always('changes the run level'),
  systemctl,
  service,
  launchctl: (cmd) => (/^(list|print|help)$/.test(cmd.args[0]?.text ?? '') ? safe('launchctl list') : destructive('launchctl changes services')),
  sudo: always('runs with root privileges (sudo)'),
  su: always('switches user (su)'),
  doas: always('runs with root privileges (doas)'),
  pkexec: always('runs with root privileges (pkexec)'),
  runas: always('runs as another user'),
  passwd: always('changes a password'),
  chpasswd: always('changes passwords'),
  useradd: always('changes user accounts'),
  userdel: always('deletes a user account'),
  usermod: always('changes a user account'),
  groupdel: always('deletes a group'),
  visudo: always('edits sudo rules'),
  crontab: (cmd) => (optionsOf(cmd.args).short.has('l') ? safe('crontab -l') : destructive('crontab replaces or removes scheduled jobs')),
  mount: (cmd) => (cmd.args.length === 0 ? safe('mount lists mounts') : destructive('mounts a filesystem')),
  umount: always('unmounts a filesystem'),
  swapoff: always('disables swap'),
  iptables: (cmd) => (optionsOf(cmd.args).short.has('L') || hasFlag(optionsOf(cmd.args), '--list') ? safe('iptables -L') : destructive('changes the firewall')),
  ufw: (cmd) => (cmd.args[0]?.text === 'status' ? safe('ufw status') : destructive('changes the firewall')),
  apt: packageManager(/^(remove|purge|autoremove|autopurge)$/, /^(list|search|show|policy|depends|rdepends|--version|moo)$/),
  'apt-get': packageManager(/^(remove|purge|autoremove|autopurge|clean|autoclean)$/, /^(check|source|download|changelog)$/),
  'apt-cache': () => safe('apt-cache queries packages'),
  dpkg: packageManager(/^(-r|--remove|-P|--purge)$/, /^(-l|--list|-L|--listfiles|-s|--status|-S|--search|--print-architecture)$/),
  yum: packageManager(/^(remove|erase|autoremove)$/, /^(list|info|search|provides|check-update|repolist)$/),
  dnf: packageManager(/^(remove|erase|autoremove)$/, /^(list|info|search|provides|check-update|repolist)$/),
  zypper: packageManager(/^(remove|rm)$/, /^(search|se|info|if|list-updates|lu)$/),
  apk: packageManager(/^(del)$/, /^(info|search|list)$/),
  pacman: packageManager(/^-R\w*$/, /^-Q\w*$|^-Ss$|^-Si$/),
  brew: packageManager(/^(uninstall|remove|rm|cleanup|untap)$/, /^(list|ls|info|search|outdated|deps|doctor|config|--version)$/),
  snap: packageManager(/^(remove)$/, /^(list|info|find)$/),
  flatpak: packageManager(/^(uninstall|remove)$/, /^(list|info|search)$/),
  pip: packageManager(/^(uninstall)$/, /^(list|show|freeze|check|search|--version|download|config|debug|inspect)$/),
  pip3: packageManager(/^(uninstall)$/, /^(list|show|freeze|check|search|--version|download|config|debug|inspect)$/),
  pipx: packageManager(/^(uninstall|uninstall-all)$/, /^(list)$/),
  uv: packageManager(/^(remove)$/, /^(run|sync|lock|tree|--version)$/, /^(publish)$/),
  poetry: packageManager(/^(remove)$/, /^(show|check|build|run|lock|--version)$/, /^(publish)$/),
  conda: packageManager(/^(remove|uninstall)$/, /^(list|info|search)$/),
  gem: packageManager(/^(uninstall|cleanup)$/, /^(list|search|info|environment|--version)$/, /^(push|yank)$/),
  composer: packageManager(/^(remove)$/, /^(show|validate|test|run-script|dump-autoload|--version)$/),
  npm,
  yarn: yarnLike,
  pnpm: yarnLike,
  bun: yarnLike,
};
