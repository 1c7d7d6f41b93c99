/**
 * Walks a tree-sitter-bash tree and lists every simple command that can run: in lists, pipelines,
 * subshells, groups, loops, conditionals, function bodies, `$(...)`, backticks, process substitutions and
 * here-documents. Each command keeps what feeds its standard input (a here-document, a here-string, or the
 * commands before it in a pipeline), because `curl ... | sh` is only dangerous as a whole.
 */
import type { Node } from './parser';
import { wordOf, type Word } from './words';

export type StdinSource =
  | { kind: 'text'; text: string; literal: boolean }
  | { kind: 'commands'; commands: SimpleCommand[] };

export interface SimpleCommand {
  /** The command name and its arguments (empty for a bare assignment). */
  words: Word[];
  assignments: { name: string; value: Word }[];
  stdin?: StdinSource;
}

export interface Redirect {
  op: string;
  target: Word;
}

export interface Extracted {
  commands: SimpleCommand[];
  redirects: Redirect[];
  /** Places the parser could not read. */
  errors: string[];
}

const ARG_TYPES = new Set(['word', 'number', 'string', 'raw_string', 'ansi_c_string', 'translated_string', 'concatenation', 'simple_expansion', 'expansion', 'command_substitution', 'process_substitution', 'arithmetic_expansion']);

function heredocText(node: Node): StdinSource {
  const start = node.children.find((c) => c?.type === 'heredoc_start');
  const body = node.children.find((c) => c?.type === 'heredoc_body');
  const quoted = !!start && /['"\\]/.test(start.text);
  const dynamic = !!body && body.namedChildren.some((c) => c && c.type !== 'heredoc_content');
  return { kind: 'text', text: body?.text ?? '', literal: quoted || !dynamic };
}

class Walker {
  readonly out: Extracted = { commands: [], redirects: [], errors: [] };

  /** Visits `node`; returns the simple commands it produced (for the next element of a pipeline). */
  visit(node: Node, stdin?: StdinSource): SimpleCommand[] {
    if (node.type === 'ERROR' || node.isMissing) {
      this.out.errors.push(node.isMissing ? `missing ${node.type}` : `cannot parse "${node.text.slice(0, 40)}"`);
    }
    switch (node.type) {
      case 'comment':
        return [];
      case 'command':
        return this.command(node, stdin);
      case 'declaration_command':
      case 'unset_command':
        return this.declaration(node);
      case 'variable_assignment':
        return this.assignmentOnly([node]);
      case 'variable_assignments':
        return this.assignmentOnly(node.namedChildren.filter((c): c is Node => c?.type === 'variable_assignment'));
      case 'pipeline':
        return this.pipeline(node, stdin);
      case 'redirected_statement':
        return this.redirected(node, stdin);
      case 'file_redirect':
        if (this.redirect(node).length) this.out.errors.push(`words after a redirect: "${node.text.slice(0, 40)}"`);
        return [];
      case 'heredoc_redirect':
        // Substitutions inside an unquoted body run too; a pipeline after the here-doc start is handled by
        // `redirected` (its commands read what the body's command writes).
        return this.children(node, undefined);
      default:
        return this.children(node, stdin);
    }
  }

  private children(node: Node, stdin: StdinSource | undefined): SimpleCommand[] {
    const produced: SimpleCommand[] = [];
    for (const c of node.namedChildren) if (c) produced.push(...this.visit(c, stdin));
    return produced;
  }

  private command(node: Node, stdin: StdinSource | undefined): SimpleCommand[] {
    const cmd: SimpleCommand = { words: [], assignments: [], stdin };
    for (const c of node.namedChildren) {
      if (!c) continue;
      if (c.type === 'command_name') {
        const w = c.namedChildren[0];
        if (w) cmd.words.unshift(wordOf(w));
        this.children(c, undefined);
      } else if (c.type === 'variable_assignment') {
        cmd.assignments.push(this.assignment(c));
      } else if (c.type === 'herestring_redirect') {
        const w = c.namedChildren[0];
        if (w) cmd.stdin = { kind: 'text', text: wordOf(w).text, literal: wordOf(w).literal };
        this.children(c, undefined);
      } else if (ARG_TYPES.has(c.type)) {
        cmd.words.push(wordOf(c));
        this.visit(c, undefined);
      } else {
        this.visit(c, undefined);
      }
    }
    this.out.commands.push(cmd);
    return [cmd];
  }

  private assignment(node: Node): { name: string; value: Word } {
    const name = node.childForFieldName('name')?.text ?? node.namedChildren[0]?.text ?? '';
    const valueNode = node.childForFieldName('value');
    if (valueNode) this.visit(valueNode, undefined);
    return { name, value: valueNode ? wordOf(valueNode) : { text: '', literal: true, ansiC: false, obfuscated: false } };
  }

  private assignmentOnly(nodes: Node[]): SimpleCommand[] {
    const cmd: SimpleCommand = { words: [], assignments: nodes.map((n) => this.assignment(n)) };
    this.out.commands.push(cmd);
    return [cmd];
  }

  /** `export A=1`, `declare -x`, `local`, `readonly`, `unset`: a command whose assignments are arguments. */
  private declaration(node: Node): SimpleCommand[] {
    const keyword = node.children[0]?.text ?? '';
    const cmd: SimpleCommand = { words: [{ text: keyword, literal: true, ansiC: false, obfuscated: false }], assignments: [] };
    for (const c of node.namedChildren) {
      if (!c) continue;
      if (c.type === 'variable_assignment') cmd.assignments.push(this.assignment(c));
      else {
        if (ARG_TYPES.has(c.type)) cmd.words.push(wordOf(c));
        this.visit(c, undefined);
      }
    }
    this.out.commands.push(cmd);
    return [cmd];
  }

  private pipeline(node: Node, stdin: StdinSource | undefined): SimpleCommand[] {
    let upstream: StdinSource | undefined = stdin;
    let last: SimpleCommand[] = [];
    for (const c of node.namedChildren) {
      if (!c) continue;
      last = this.visit(c, upstream);
      upstream = { kind: 'commands', commands: last };
    }
    return last;
  }

  private redirected(node: Node, stdin: StdinSource | undefined): SimpleCommand[] {
    const body = node.childForFieldName('body');
    let feed = stdin;
    const heredoc = node.children.find((c) => c?.type === 'heredoc_redirect' || c?.type === 'herestring_redirect');
    if (heredoc?.type === 'heredoc_redirect') feed = heredocText(heredoc);
    else if (heredoc?.type === 'herestring_redirect' && heredoc.namedChildren[0]) {
      const w = wordOf(heredoc.namedChildren[0]);
      feed = { kind: 'text', text: w.text, literal: w.literal };
    }
    const produced = body ? this.visit(body, feed) : [];
    for (const c of node.children) {
      if (!c || c === body || c.id === body?.id) continue;
      if (c.type === 'heredoc_redirect') {
        for (const inner of c.namedChildren) {
          if (!inner) continue;
          // `cat <<EOF | sh`: the grammar puts the rest of the pipeline inside the here-doc redirect.
          if (inner.type === 'pipeline' || inner.type === 'command' || inner.type === 'list') this.visit(inner, { kind: 'commands', commands: produced });
          else this.visit(inner, undefined);
        }
      } else if (c.type === 'file_redirect') {
        // The grammar puts words that follow a redirect (`tee < in out`) into the redirect: they are arguments.
        const extra = this.redirect(c);
        if (extra.length && produced.length === 1 && body?.type === 'command') produced[0]!.words.push(...extra);
        else if (extra.length) this.out.errors.push(`words after a redirect: "${c.text.slice(0, 40)}"`);
      } else this.visit(c, undefined);
    }
    return produced;
  }

  /** Records the redirect; returns the words the grammar attached after its target. */
  private redirect(node: Node): Word[] {
    const targets = node.namedChildren.filter((c): c is Node => !!c && c.type !== 'file_descriptor');
    const op = node.children.find((c) => c && !c.isNamed)?.text ?? '';
    for (const t of targets) this.visit(t, undefined);
    if (targets[0]) this.out.redirects.push({ op, target: wordOf(targets[0]) });
    return targets.slice(1).map(wordOf);
  }
}

/** Every simple command, redirect and parse error in a parsed program. */
export function extract(root: Node): Extracted {
  const w = new Walker();
  w.visit(root);
  return w.out;
}
