/**
 * Safe, incremental markdown for the chat webview.
 *
 * ## The block model
 * An answer is a sequence of top-level blocks: paragraphs, headings, lists, blockquotes, tables, fenced code,
 * thematic breaks. Whether a block has ended is decided from complete lines only (a line is complete once its
 * `\n` arrived), and a block that has ended can never change again: nothing later in the text reaches back
 * into it. So the renderer keeps
 *
 * - the finished blocks: each rendered exactly once, as one element, and never touched again;
 * - the open block: the block still being written, whose complete lines are kept in `openLines`, plus the
 *   partial line after the last `\n`;
 * - the block scanner (`BlockScanner`): a line-at-a-time parser holding only the open block's state (for a
 *   list or blockquote, a nested scanner per open container), which reports a block as finished as soon as a
 *   line proves it (a blank line after a paragraph, the closing fence, the line after a list that is not part
 *   of it).
 *
 * ## Why a delta costs O(delta + open block), not O(answer)
 * `append` looks for line ends in the old partial line plus the delta only, feeds each new complete line to
 * the scanner once (constant work per line), renders the blocks that just finished, and re-renders the open
 * block from `openLines` and the partial line. Nothing before the open block is scanned, parsed or rendered
 * again, so the cost does not grow with the answer's length. `text` joins the deltas only when it is read.
 *
 * A fenced code block can grow to thousands of lines, so an open top-level code block is not re-rendered:
 * `CodeBlockView` highlights and appends each finished line once (the highlighter carries its state, such as
 * "inside a block comment", from line to line) and replaces only the partial line. A code block nested in a
 * list item is re-rendered with its list, which is fine for the short snippets that appear there.
 *
 * ## One path, so streaming and one-shot agree
 * `renderMarkdown` is the streaming renderer fed the whole text at once: the finished blocks come from the same
 * scanner fed the same complete lines, whatever the deltas were, so the final DOM is the same for every split.
 * The tests check this with many random splits.
 *
 * ## Safety
 * Model output is untrusted. Elements are created only through `el` (an allow-list of tags and attributes),
 * text only through text nodes; HTML in the markdown is shown as text. Links become clickable only for http,
 * https and mailto, and never navigate: the href is kept as `data-href` and a click goes to `hooks.onLink`.
 * Images never load by themselves (a remote image URL is an exfiltration channel): they show as a button
 * naming the host, and only a raster `data:` URL returned by `hooks.loadImage` becomes an `<img>`; SVG never.
 *
 * The modules touch no global `window` or `document`: nodes are created with the container's ownerDocument.
 */
export type { MarkdownHooks } from './hooks';
export { StreamingMarkdown, renderMarkdown } from './streamingMarkdown';
