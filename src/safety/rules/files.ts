/** Files and disks: deletes, overwrites, permission changes, and writes by place. */
import { hasFlag, optionsOf, type Ctx, type Rule } from '../context';
import { isScratch, writeTargetRisk } from '../paths';
import { destructive, safe, unsure, type Finding } from '../types';
import type { Word } from '../words';

/** Findings for every operand a command writes to; `fallback` when all of them are plain workspace paths. */
function writes(all: Word[], ctx: Ctx, fallback: Finding): Finding[] {
  const targets = all.filter((t) => !isScratch(t));
  if (all.length > 0 && targets.length === 0) return [safe(`writes only to ${all.map((t) => t.text).join(', ')}`)];
  const found = targets.map((t) => writeTargetRisk(t, ctx.options)).filter((f): f is Finding => !!f);
  return found.length ? found : [fallback];
}

const rm: Rule = (cmd) => {
  const o = optionsOf(cmd.args);
  if (hasFlag(o, '--help', '--version') && o.operands.length === 0) return safe('rm --help');
  if (hasFlag(o, 'r', 'R', '--recursive')) return destructive('recursive delete (rm -r)');
  if (o.operands.some((w) => /[*?[]/.test(w.text) || !w.literal)) return destructive('deletes files matched at run time');
  return destructive(`deletes ${o.operands.length === 1 ? 'a file' : 'files'} (rm)`);
};

const disk = (what: string): Rule => () => destructive(what);

const chmodLike: Rule = (cmd, ctx) => {
  const o = optionsOf(cmd.args);
  if (hasFlag(o, 'R', '--recursive')) return destructive(`recursive ${cmd.name} -R`);
  return writes(o.operands.slice(1), ctx, unsure(`changes permissions or owner (${cmd.name})`));
};

const dd: Rule = (cmd) => {
  const of = cmd.args.find((a) => a.text.startsWith('of='));
  if (of && /^of=\/dev\/(null|stdout|stderr)$/.test(of.text)) return unsure('dd');
  return of ? destructive(`dd writes ${of.text.slice(3)}`) : unsure('dd reads a device or file');
};

/** `cp`/`mv`/`install`/`ln`: the last operand (or `-t dir`) is written; inside the workspace they may overwrite. */
const copyLike: Rule = (cmd, ctx) => {
  const o = optionsOf(cmd.args);
  const tIndex = cmd.args.findIndex((a) => a.text === '-t' || a.text.startsWith('--target-directory'));
  const target = tIndex >= 0 ? (cmd.args[tIndex]!.text.includes('=') ? { ...cmd.args[tIndex]!, text: cmd.args[tIndex]!.text.split('=')[1]! } : cmd.args[tIndex + 1]) : o.operands[o.operands.length - 1];
  const moved = cmd.name === 'mv' ? o.operands.slice(0, -1) : [];
  if (cmd.name === 'mv' && target && /^\/dev\/null$/.test(target.text)) return destructive('mv onto /dev/null destroys the source');
  const risks = [...(target ? [target] : []), ...moved];
  return writes(risks, ctx, unsure(`${cmd.name} may overwrite files`));
};

const tee: Rule = (cmd, ctx) => {
  const o = optionsOf(cmd.args);
  const append = hasFlag(o, 'a', '--append');
  if (o.operands.length === 0) return safe('tee to standard output');
  return writes(o.operands, ctx, append ? unsure('tee -a appends to a file') : destructive('tee truncates the file it writes'));
};

const create: Rule = (cmd, ctx) => writes(optionsOf(cmd.args).operands, ctx, safe(`${cmd.name} in the workspace`));

const sed: Rule = (cmd, ctx) => {
  const o = optionsOf(cmd.args);
  const inPlace = hasFlag(o, 'i', '--in-place') || cmd.args.some((a) => a.text.startsWith('--in-place'));
  const script = o.operands[0]?.text ?? '';
  if (/(^|[;\n}])\s*[0-9,$/\\]*\s*[we]\b|\/[gpIi0-9]*[we]\b/.test(script)) return unsure('sed script writes a file or runs a command');
  if (!inPlace) return safe('sed prints its result');
  return writes(o.operands.slice(1), ctx, unsure('sed -i edits files in place'));
};

const sort: Rule = (cmd, ctx) => {
  const i = cmd.args.findIndex((a) => a.text === '-o' || a.text.startsWith('--output'));
  if (i < 0) return safe('sort prints its result');
  const target = cmd.args[i]!.text.includes('=') ? { ...cmd.args[i]!, text: cmd.args[i]!.text.split('=')[1]! } : cmd.args[i + 1];
  return target ? writes([target], ctx, destructive('sort -o overwrites a file')) : unsure('sort -o');
};

/** tar: listing and creating are safe in the workspace; extracting may overwrite files (where: -C). */
const tar: Rule = (cmd, ctx) => {
  const first = cmd.args[0]?.text ?? '';
  const o = optionsOf(cmd.args);
  const extract = hasFlag(o, 'x', '--extract', '--get') || /^[a-wyzA-Z]*x/.test(first);
  const dirAt = cmd.args.findIndex((a) => a.text === '-C' || a.text.startsWith('--directory'));
  const dir = dirAt >= 0 ? (cmd.args[dirAt]!.text.includes('=') ? { ...cmd.args[dirAt]!, text: cmd.args[dirAt]!.text.split('=')[1]! } : cmd.args[dirAt + 1]) : undefined;
  if (extract) return writes(dir ? [dir] : [], ctx, unsure('tar extracts files over existing ones'));
  const fileAt = cmd.args.findIndex((a) => a.text === '-f' || a.text === '--file');
  const created = hasFlag(o, 'c', '--create') || /^[a-zA-Z]*c/.test(first);
  return created && fileAt >= 0 && cmd.args[fileAt + 1] ? writes([cmd.args[fileAt + 1]!], ctx, safe('tar creates an archive')) : safe('tar');
};

const rmdir: Rule = (cmd, ctx) => writes(optionsOf(cmd.args).operands, ctx, unsure('removes empty folders'));

export const fileRules: Record<string, Rule> = {
  rm,
  unlink: () => destructive('deletes a file (unlink)'),
  rimraf: () => destructive('recursive delete (rimraf)'),
  'del-cli': () => destructive('deletes files (del-cli)'),
  trash: () => destructive('moves files to the trash'),
  srm: () => destructive('secure delete'),
  shred: disk('shred overwrites files'),
  wipe: disk('wipe overwrites files'),
  wipefs: disk('wipefs erases disk signatures'),
  fdisk: disk('edits a partition table'),
  sfdisk: disk('edits a partition table'),
  gdisk: disk('edits a partition table'),
  sgdisk: disk('edits a partition table'),
  parted: disk('edits a partition table'),
  mkswap: disk('formats a swap area'),
  blkdiscard: disk('discards a whole device'),
  hdparm: disk('changes disk settings'),
  truncate: disk('truncates files'),
  dd,
  chmod: chmodLike,
  chown: chmodLike,
  chgrp: chmodLike,
  chattr: chmodLike,
  setfacl: chmodLike,
  cp: copyLike,
  mv: copyLike,
  install: copyLike,
  ln: copyLike,
  tee,
  touch: create,
  mkdir: create,
  rmdir,
  tar,
  zip: (cmd, ctx) => writes(optionsOf(cmd.args).operands.slice(0, 1), ctx, safe('zip creates an archive')),
  sed,
  sort,
};

/** `mkfs`, `mkfs.ext4`, `mke2fs`, `newfs`...: formatting a filesystem. */
export function diskFormatRule(name: string): Rule | undefined {
  return /^(mkfs(\..+)?|mke2fs|newfs.*|mkdosfs|mkntfs)$/.test(name) ? disk(`${name} formats a filesystem`) : undefined;
}

