// The parser: micromark (CommonMark) with the GFM extensions (tables, strikethrough, task lists, autolink
// literals) and math, turned into an mdast tree by mdast-util-from-markdown. Footnotes are left out: answers
// seldom use them and their definitions would pull text out of the block it was written in.
import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { mathFromMarkdown } from 'mdast-util-math';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import { math } from 'micromark-extension-math';
import { inlineCaps } from './inlineCaps';
import { mathBrackets } from './mathBrackets';
import { linkProtocolAddresses } from './protocolAutolinks';

const OPTIONS = {
  extensions: [gfmAutolinkLiteral(), gfmStrikethrough({ singleTilde: true }), gfmTable(), gfmTaskListItem(), math({ singleDollarTextMath: true }), mathBrackets, inlineCaps],
  mdastExtensions: [gfmAutolinkLiteralFromMarkdown(), gfmStrikethroughFromMarkdown(), gfmTableFromMarkdown(), gfmTaskListItemFromMarkdown(), mathFromMarkdown()],
};

/** The last text parsed and its tree: the open block's last parse is often the finished block's first one. */
let last: { text: string; tree: Root } | undefined;

/**
 * Parses markdown into an mdast tree (with positions). Never throws on any input. The tree is shared with the
 * next caller that parses the same text, so callers must not change it.
 */
export function parseMarkdown(text: string): Root {
  if (last?.text === text) return last.tree;
  let tree: Root;
  try {
    tree = parseStrict(text);
  } catch {
    // A parser bug must not stop the view: the block shows as its plain text.
    tree = plainText(text);
  }
  last = { text, tree };
  return tree;
}

/** The parse itself, which may throw on a bug in a parser extension (the tests fuzz this one). */
export function parseStrict(text: string): Root {
  const tree = fromMarkdown(text, OPTIONS);
  if (text.includes('mailto:') || text.includes('xmpp:')) linkProtocolAddresses(tree);
  return tree;
}

/** The text as one paragraph of plain text, with the positions the streaming layer reads. */
function plainText(text: string): Root {
  const lines = text.split('\n');
  const end = { line: lines.length, column: lines[lines.length - 1].length + 1, offset: text.length };
  const position = { start: { line: 1, column: 1, offset: 0 }, end };
  return { type: 'root', children: text ? [{ type: 'paragraph', children: [{ type: 'text', value: text, position }], position }] : [], position };
}
