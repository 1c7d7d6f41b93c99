/**
 * Safe, incremental markdown for the chat webview.
 *
 * ## The parser
 * Structure and inline syntax come from micromark (CommonMark 0.31) with the GFM extensions (tables,
 * strikethrough, task lists, autolink literals) and math (`$...$`, `$$...$$`, plus `\(...\)` and `\[...\]`
 * in mathBrackets.ts), turned into an mdast tree (parse.ts). Code is highlighted by lowlight (highlight.js
 * grammars, highlight.ts). Neither evaluates code or produces HTML strings: both yield trees that
 * renderFlow.ts / renderPhrasing.ts / highlight.ts turn into DOM through `el`.
 *
 * ## The block model
 * An answer is a sequence of top-level blocks: paragraphs, headings, lists, blockquotes, tables, code, rules,
 * definitions. CommonMark decides structure line by line, and a top-level block that has been followed by
 * the start of another can never change again: no later line reaches back into it. So the renderer keeps
 *
 * - the finished blocks: each rendered once, as one element (a definition as none), never touched again,
 *   with one exception CommonMark forces: a link reference definition can come after the link that uses
 *   it, so when a label becomes defined the finished blocks whose text may contain it are rendered again
 *   (definitions.ts; finishedBlocks.ts);
 * - `lines`: the complete lines from the first line of the open block on, plus the partial line after the
 *   last `\n`.
 *
 * When new complete lines arrive, `lines` is parsed (complete lines only, so a half-written line can never
 * finish anything): every top-level block but the last is finished. (A block that starts right after another
 * is also parsed from its own first line, since micromark can read it differently there; see `findBlocks`.) The last one is finished early when it
 * can take no more lines (a heading or rule; a fenced code block whose fence closed; a paragraph, table,
 * blockquote or definition followed by a blank line). A finished block's text is kept only when it contains
 * `[` (it may use a label defined later), and only while the answer streams: event listeners hold the hooks and
 * their own element, never the renderer, so a finished answer keeps its DOM and nothing of its renderer.
 *
 * ## Hostile text
 * micromark matches emphasis and link labels by walking back over the paragraph, and unclosed link titles and
 * inline HTML scan to its end, so a paragraph of thousands of them would cost the square of its length.
 * inlineCaps.ts makes those past a cap in one paragraph plain text, and mathBrackets.ts remembers where an
 * opening found no formula; a paragraph then costs at most about the cap times its length
 * (bench/webview.bench.ts measures hostile lines at two sizes).
 *
 * ## Why a delta costs O(delta + open block), not O(answer)
 * `append` looks for line ends in the old partial line plus the delta only, parses only the open block's
 * lines, renders the blocks that just finished, and re-renders the open block from `lines` and the partial
 * line. Nothing before the open block is scanned, parsed or rendered again, so the cost does not grow with
 * the answer's length. `text` joins the deltas only when it is read.
 *
 * A fenced code block can grow to thousands of lines, so an open top-level fenced block is not re-parsed:
 * once the parser has seen its opening fence, its lines go to `CodeBlockView`, which highlights and appends
 * each finished line once and replaces only the partial line; the renderer itself watches for the closing
 * fence (fence.ts: the one line rule it applies). When the fence closes, the block is rendered as a finished
 * block (highlighted whole, so comments and strings spanning lines are right) in place of the live view.
 *
 * An open block over LARGE_OPEN characters (a 100 KB line without a line end) would make every delta parse
 * and lay out the whole line again; it is parsed again only after growing by half, and the text in between is
 * shown as it arrives, unparsed, in small blocks of its own. That keeps the cost of streaming it a small
 * multiple of one parse and one layout, and changes nothing in the finished DOM.
 *
 * ## One path, so streaming and one-shot agree
 * `renderMarkdown` is the streaming renderer fed the whole text at once as its last delta (`finishWith`, which
 * skips drawing the open block it would finish at once): every block is finished by the same rule from the same lines, rendered from the same parse of its own text (or of the region that found it,
 * when it has no `[` and so cannot depend on definitions), whatever the deltas were. So the final DOM is the
 * same for every split; the tests check this with random splits of every CommonMark and GFM spec example.
 *
 * ## Safety
 * Model output is untrusted. Elements are created only through `el` (an allow-list of tags and attributes),
 * text only through text nodes; raw HTML in the markdown is shown as text. Links become clickable only for
 * http, https and mailto, and for paths of workspace files; none navigates: a click goes to `hooks.onLink`
 * (the host confirms) or `hooks.onOpenFile` (the host opens the file only inside the workspace). Images never
 * load by themselves (a remote image URL is an exfiltration channel): they show as a button naming the host,
 * and only a raster `data:` URL returned by `hooks.loadImage` becomes an `<img>`; SVG never.
 *
 * The modules touch no global `window` or `document`: nodes are created with the container's ownerDocument.
 */
export type { MarkdownHooks } from './hooks';
export { StreamingMarkdown, renderMarkdown } from './streamingMarkdown';
