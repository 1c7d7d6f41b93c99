/** One table from command name to rule, over every family. */
import type { Rule } from '../context';
import { dataRules } from './data';
import { diskFormatRule, fileRules } from './files';
import { git } from './git';
import { awk, interpreter } from './interpreters';
import { networkRules } from './network';
import { readOnlyRules } from './readonly';
import { shellRule, shellRules } from './shells';
import { systemRules } from './system';

const TABLE: Record<string, Rule> = {
  ...readOnlyRules, ...fileRules, ...systemRules, ...dataRules, ...networkRules, ...shellRules,
  git, awk, gawk: awk, mawk: awk, nawk: awk,
};

/** The rule for a command name, or `undefined` for a command nobody described. */
export function ruleFor(name: string): Rule | undefined {
  return Object.prototype.hasOwnProperty.call(TABLE, name) ? TABLE[name] : (shellRule(name) ?? diskFormatRule(name) ?? (interpreterName(name) ? interpreter : undefined));
}

function interpreterName(name: string): boolean {
  return /^(python(\d(\.\d+)?)?|pypy\d?|node|nodejs|perl(\d.*)?|ruby|irb|php(\d.*)?|deno|lua|luajit|osascript|Rscript)$/.test(name);
}
