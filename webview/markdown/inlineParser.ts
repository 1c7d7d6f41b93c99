// Inline markdown to a small tree: code spans, emphasis, strong, strikethrough, links, images, autolinks,
// bare URLs, hard and soft breaks. Emphasis follows CommonMark's delimiter-run rules (flanking, the rule of
// three, openers_bottom) on a linked list, so nesting is right and adversarial runs of `*` stay linear-ish.
import { isAsciiPunctuation, matchEntity, unescapeText } from './entities';

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'code'; v: string }
  | { t: 'em' | 'strong' | 'del'; c: Inline[] }
  | { t: 'link'; href: string; title: string; c: Inline[] }
  | { t: 'image'; src: string; alt: string; title: string }
  | { t: 'br' }
  | { t: 'softbreak' };

/** A node of the working list; delimiter runs and brackets are text nodes until matched. */
interface Node {
  inline: Inline;
  prev?: Node;
  next?: Node;
  delim?: Delim;
}
interface Delim {
  ch: '*' | '_' | '~';
  /** Characters still unmatched. */
  len: number;
  origLen: number;
  canOpen: boolean;
  canClose: boolean;
  node: Node;
  prev?: Delim;
  next?: Delim;
}
interface Bracket {
  node: Node;
  image: boolean;
  active: boolean;
  /** The last delimiter before the bracket: emphasis inside the link text is processed down to here. */
  prevDelim?: Delim;
  prev?: Bracket;
}

/** Emphasis and links nest at most this deep (a run of thousands of `**` must not build a DOM that deep). */
const MAX_NESTING = 16;

const isWhitespace = (c: string | undefined): boolean => c === undefined || /^\s$/u.test(c);
const isPunctuation = (c: string | undefined): boolean => c !== undefined && /^[\p{P}\p{S}]$/u.test(c);

/** Parses inline markdown. `text` is a paragraph's lines joined with `\n`. */
export function parseInline(text: string): Inline[] {
  return new InlineParser(text).parse();
}

class InlineParser {
  private pos = 0;
  private head?: Node;
  private tail?: Node;
  private lastDelim?: Delim;
  private lastBracket?: Bracket;
  private pendingText = '';
  /** Nesting depth of each container inline built so far (text and code are depth 0). */
  private readonly depths = new WeakMap<Inline, number>();

  constructor(private readonly s: string) {}

  parse(): Inline[] {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s[this.pos];
      switch (c) {
        case '\\': this.backslash(); break;
        case '`': this.codeSpan(); break;
        case '*': case '_': case '~': this.delimiterRun(c); break;
        case '[': this.openBracket(false, 1); break;
        case '!':
          if (s[this.pos + 1] === '[') this.openBracket(true, 2);
          else this.text(c, 1);
          break;
        case ']': this.closeBracket(); break;
        case '<': if (!this.autolink()) this.text(c, 1); break;
        case '&': this.entity(); break;
        case '\n': this.newline(); break;
        case 'h': case 'H': if (!this.bareUrl()) this.text(c, 1); break;
        default: {
          // Plain runs are taken in one step so long prose costs one regex match, not one loop turn per char.
          const m = /^(?:[^\\`*_~[\]!<&\nh]|h(?!ttps?:\/\/)|!(?!\[))+/i.exec(s.slice(this.pos, this.pos + 4096));
          this.text(m ? m[0] : c, m ? m[0].length : 1);
        }
      }
    }
    this.flushText();
    this.processEmphasis(undefined);
    return this.collect(this.head, undefined);
  }

  // ---- building the working list
  private text(v: string, advance: number): void {
    this.pendingText += v;
    this.pos += advance;
  }

  private flushText(): void {
    if (!this.pendingText) return;
    const v = this.pendingText;
    this.pendingText = '';
    this.link({ t: 'text', v });
  }

  /** Appends a node after any pending text. */
  private append(inline: Inline): Node {
    this.flushText();
    return this.link(inline);
  }

  private link(inline: Inline): Node {
    const node: Node = { inline, prev: this.tail };
    if (this.tail) this.tail.next = node;
    else this.head = node;
    this.tail = node;
    return node;
  }

  private backslash(): void {
    const next = this.s[this.pos + 1];
    if (next === '\n') {
      this.pos += 2;
      this.append({ t: 'br' });
      this.skipLeadingSpaces();
    } else if (next !== undefined && isAsciiPunctuation(next)) this.text(next, 2);
    else this.text('\\', 1);
  }

  private newline(): void {
    // Two or more trailing spaces make a hard break; trailing spaces are dropped either way.
    const hard = / {2,}$/.test(this.pendingText);
    this.pendingText = this.pendingText.replace(/ +$/, '');
    this.pos++;
    this.append(hard ? { t: 'br' } : { t: 'softbreak' });
    this.skipLeadingSpaces();
  }

  private skipLeadingSpaces(): void {
    while (this.s[this.pos] === ' ') this.pos++;
  }

  private entity(): void {
    const entity = matchEntity(this.s.slice(this.pos, this.pos + 40));
    if (entity) this.text(entity.text, entity.length);
    else this.text('&', 1);
  }

  private codeSpan(): void {
    const s = this.s;
    let n = 0;
    while (s[this.pos + n] === '`') n++;
    const close = this.closingBackticks(n, this.pos + n);
    if (close < 0) return this.text('`'.repeat(n), n);
    let v = s.slice(this.pos + n, close).replace(/\n/g, ' ');
    if (v.length > 1 && v.startsWith(' ') && v.endsWith(' ') && v.trim() !== '') v = v.slice(1, -1);
    this.append({ t: 'code', v });
    this.pos = close + n;
  }

  /** Start positions of backtick runs by length, found in one pass the first time a code span is tried. */
  private backtickRuns: Map<number, { starts: number[]; next: number }> | undefined;

  /**
   * Where the next run of exactly `n` backticks at or after `from` starts, or -1. Looking it up in the one-pass
   * index keeps text full of unmatched backticks linear instead of rescanning the rest per backtick.
   */
  private closingBackticks(n: number, from: number): number {
    if (!this.backtickRuns) {
      this.backtickRuns = new Map();
      for (const m of this.s.matchAll(/`+/g)) {
        const runs = this.backtickRuns.get(m[0].length) ?? { starts: [], next: 0 };
        runs.starts.push(m.index!);
        this.backtickRuns.set(m[0].length, runs);
      }
    }
    const runs = this.backtickRuns.get(n);
    if (!runs) return -1;
    // Positions only grow while parsing, so a cursor per length moves forward and never back.
    while (runs.next < runs.starts.length && runs.starts[runs.next] < from) runs.next++;
    return runs.next < runs.starts.length ? runs.starts[runs.next] : -1;
  }

  private delimiterRun(ch: '*' | '_' | '~'): void {
    const s = this.s;
    const start = this.pos;
    let end = start;
    while (s[end] === ch) end++;
    const len = end - start;
    const before = start > 0 ? previousChar(s, start) : undefined;
    const after = end < s.length ? nextChar(s, end) : undefined;
    const leftFlanking = !isWhitespace(after) && (!isPunctuation(after) || isWhitespace(before) || isPunctuation(before));
    const rightFlanking = !isWhitespace(before) && (!isPunctuation(before) || isWhitespace(after) || isPunctuation(after));
    let canOpen = leftFlanking;
    let canClose = rightFlanking;
    if (ch === '_') {
      // Intraword underscores (snake_case) never emphasise.
      canOpen = leftFlanking && (!rightFlanking || isPunctuation(before));
      canClose = rightFlanking && (!leftFlanking || isPunctuation(after));
    }
    if (ch === '~' && len > 2) {
      // GFM strikethrough takes one or two tildes; longer runs are text.
      this.text(s.slice(start, end), len);
      return;
    }
    this.pos = end;
    const node = this.append({ t: 'text', v: s.slice(start, end) });
    const delim: Delim = { ch, len, origLen: len, canOpen, canClose, node, prev: this.lastDelim };
    node.delim = delim;
    if (this.lastDelim) this.lastDelim.next = delim;
    this.lastDelim = delim;
  }

  private openBracket(image: boolean, width: number): void {
    const node = this.append({ t: 'text', v: image ? '![' : '[' });
    this.pos += width;
    this.lastBracket = { node, image, active: true, prevDelim: this.lastDelim, prev: this.lastBracket };
  }

  private closeBracket(): void {
    const opener = this.lastBracket;
    this.pos++;
    if (!opener) return this.text(']', 0);
    if (!opener.active) {
      this.lastBracket = opener.prev;
      return this.text(']', 0);
    }
    const dest = this.linkTail();
    if (!dest) {
      this.lastBracket = opener.prev;
      return this.text(']', 0);
    }
    this.flushText();
    // Emphasis inside the brackets is resolved first, bounded by the delimiters that came before them.
    this.processEmphasis(opener.prevDelim);
    const children = this.collect(opener.node.next, undefined);
    const inline: Inline = opener.image
      ? { t: 'image', src: dest.href, title: dest.title, alt: plainText(children) }
      : { t: 'link', href: dest.href, title: dest.title, c: unwrapLinks(children) };
    this.depths.set(inline, 1 + this.maxDepth(children));
    // Replace the opener and everything after it by the link node.
    const prev = opener.node.prev;
    this.tail = prev;
    if (prev) prev.next = undefined;
    else this.head = undefined;
    this.append(inline);
    this.lastBracket = opener.prev;
    if (!opener.image) {
      // No links inside links: earlier openers can no longer make one.
      for (let b = this.lastBracket; b; b = b.prev) if (!b.image) b.active = false;
    }
  }

  /** `(destination "title")` right after `]`; advances past it on success. */
  private linkTail(): { href: string; title: string } | undefined {
    const s = this.s;
    if (s[this.pos] !== '(') return undefined;
    let i = this.pos + 1;
    const skipSpace = () => {
      while (i < s.length && /[ \t\n]/.test(s[i])) i++;
    };
    skipSpace();
    let href = '';
    if (s[i] === '<') {
      const close = s.indexOf('>', i);
      const raw = close < 0 ? '' : s.slice(i + 1, close);
      if (close < 0 || /[\n<]/.test(raw)) return undefined;
      href = raw;
      i = close + 1;
    } else {
      let depth = 0;
      const start = i;
      for (; i < s.length; i++) {
        const c = s[i];
        if (c === '\\' && i + 1 < s.length && isAsciiPunctuation(s[i + 1])) {
          i++;
          continue;
        }
        if (/[\s\x00-\x1f]/.test(c)) break;
        if (c === '(') depth++;
        else if (c === ')') {
          if (depth === 0) break;
          depth--;
        }
      }
      if (depth !== 0) return undefined;
      href = s.slice(start, i);
    }
    const afterDest = i;
    skipSpace();
    let title = '';
    const q = s[i];
    if ((q === '"' || q === "'" || q === '(') && i > afterDest) {
      const closeChar = q === '(' ? ')' : q;
      let j = i + 1;
      for (; j < s.length && s[j] !== closeChar; j++) if (s[j] === '\\') j++;
      if (j >= s.length) return undefined;
      title = unescapeText(s.slice(i + 1, j));
      i = j + 1;
      skipSpace();
    }
    if (s[i] !== ')') return undefined;
    this.pos = i + 1;
    return { href: unescapeText(href), title };
  }

  /** `<https://…>` or `<someone@example.com>`; anything else after `<` is text (no raw HTML). */
  private autolink(): boolean {
    const rest = this.s.slice(this.pos, this.pos + 2048);
    const uri = /^<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\x00-\x20]*)>/.exec(rest);
    if (uri) {
      this.pos += uri[0].length;
      this.append({ t: 'link', href: uri[1], title: '', c: [{ t: 'text', v: uri[1] }] });
      return true;
    }
    const email = /^<([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>/.exec(rest);
    if (email) {
      this.pos += email[0].length;
      this.append({ t: 'link', href: `mailto:${email[1]}`, title: '', c: [{ t: 'text', v: email[1] }] });
      return true;
    }
    return false;
  }

  /** A bare `http(s)://` URL (GFM's extended autolink), at a word start, without trailing punctuation. */
  private bareUrl(): boolean {
    const s = this.s;
    const before = this.pos > 0 ? s[this.pos - 1] : undefined;
    if (before !== undefined && !/[\s*_~(]/.test(before)) return false;
    // Inside brackets a `]` ends the URL, so `[see https://a](https://b)` stays a link to b.
    const re = this.lastBracket ? /^https?:\/\/[A-Za-z0-9][^\s<\]]*/i : /^https?:\/\/[A-Za-z0-9][^\s<]*/i;
    const m = re.exec(s.slice(this.pos, this.pos + 4096));
    if (!m) return false;
    let url = m[0];
    for (;;) {
      const trimmed = url.replace(/[?!.,:*_~'"]+$/, '');
      let next = trimmed;
      if (next.endsWith(')')) {
        const open = next.split('(').length - 1;
        const close = next.split(')').length - 1;
        if (close > open) next = next.slice(0, -1);
      }
      next = next.replace(/&[A-Za-z0-9]+;$/, '');
      if (next === url) break;
      url = next;
    }
    this.pos += url.length;
    this.append({ t: 'link', href: url, title: '', c: [{ t: 'text', v: url }] });
    return true;
  }

  // ---- emphasis (CommonMark "process emphasis")
  private processEmphasis(bottom: Delim | undefined): void {
    const openersBottom = new Map<string, Delim | undefined>();
    let closer = bottom ? bottom.next : this.firstDelim();
    while (closer) {
      if (!closer.canClose) {
        closer = closer.next;
        continue;
      }
      const key = `${closer.ch}${closer.canOpen ? 1 : 0}${closer.origLen % 3}`;
      const floor = openersBottom.has(key) ? openersBottom.get(key) : bottom;
      let opener = closer.prev;
      let found = false;
      while (opener && opener !== bottom && opener !== floor) {
        if (opener.ch === closer.ch && opener.canOpen && this.canPair(opener, closer)) {
          found = true;
          break;
        }
        opener = opener.prev;
      }
      if (found && opener) {
        closer = this.pair(opener, closer);
      } else {
        openersBottom.set(key, closer.prev);
        const next = closer.next;
        if (!closer.canOpen) this.removeDelim(closer);
        closer = next;
      }
    }
    // Whatever is left above the bottom is plain text now.
    let d = bottom ? bottom.next : this.firstDelim();
    while (d) {
      const next = d.next;
      this.removeDelim(d);
      d = next;
    }
  }

  private canPair(opener: Delim, closer: Delim): boolean {
    if (opener.ch === '~') return opener.len === closer.len;
    if ((opener.canClose || closer.canOpen) && (opener.origLen + closer.origLen) % 3 === 0) {
      return opener.origLen % 3 === 0 && closer.origLen % 3 === 0;
    }
    return true;
  }

  /** Wraps the nodes between `opener` and `closer`; returns the delimiter to continue from. */
  private pair(opener: Delim, closer: Delim): Delim | undefined {
    const use = opener.ch === '~' ? opener.len : opener.len >= 2 && closer.len >= 2 ? 2 : 1;
    const kind = opener.ch === '~' ? 'del' : use === 2 ? 'strong' : 'em';
    opener.len -= use;
    closer.len -= use;
    (opener.node.inline as { v: string }).v = opener.ch.repeat(opener.len);
    (closer.node.inline as { v: string }).v = closer.ch.repeat(closer.len);
    // Delimiters between the two can no longer match anything.
    for (let d = closer.prev; d && d !== opener; d = d.prev) this.removeDelim(d);
    const children = this.collect(opener.node.next, closer.node);
    const depth = 1 + this.maxDepth(children);
    // Past the nesting limit the content becomes plain text: the words stay, the DOM stays shallow, and the
    // range still collapses into one node so outer delimiters do not walk it again.
    const inline: Inline = depth <= MAX_NESTING ? { t: kind, c: children } : { t: 'text', v: plainText(children) };
    if (inline.t !== 'text') this.depths.set(inline, depth);
    const wrapped: Node = { inline, prev: opener.node, next: closer.node };
    opener.node.next = wrapped;
    closer.node.prev = wrapped;
    let next: Delim | undefined = closer;
    if (opener.len === 0) {
      this.unlinkNode(opener.node);
      this.removeDelim(opener);
    }
    if (closer.len === 0) {
      next = closer.next;
      this.unlinkNode(closer.node);
      this.removeDelim(closer);
    }
    return next;
  }

  private maxDepth(inlines: Inline[]): number {
    let max = 0;
    for (const inline of inlines) max = Math.max(max, this.depths.get(inline) ?? 0);
    return max;
  }

  private firstDelim(): Delim | undefined {
    let d = this.lastDelim;
    while (d?.prev) d = d.prev;
    return d;
  }

  private removeDelim(d: Delim): void {
    if (d.prev) d.prev.next = d.next;
    if (d.next) d.next.prev = d.prev;
    if (this.lastDelim === d) this.lastDelim = d.prev;
    d.node.delim = undefined;
  }

  private unlinkNode(node: Node): void {
    if (node.prev) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev;
  }

  /** The inlines from `from` up to (not including) `until`, with adjacent texts merged and empty ones dropped. */
  private collect(from: Node | undefined, until: Node | undefined): Inline[] {
    const out: Inline[] = [];
    for (let n = from; n && n !== until; n = n.next) {
      const inline = n.inline;
      if (inline.t === 'text') {
        if (!inline.v) continue;
        const last = out[out.length - 1];
        if (last?.t === 'text') out[out.length - 1] = { t: 'text', v: last.v + inline.v };
        else out.push({ t: 'text', v: inline.v });
      } else out.push(inline);
    }
    return out;
  }
}

function previousChar(s: string, i: number): string {
  const code = s.charCodeAt(i - 1);
  // Keep surrogate pairs whole so an emoji next to `*` counts as what it is.
  return code >= 0xdc00 && code <= 0xdfff && i >= 2 ? s.slice(i - 2, i) : s[i - 1];
}

function nextChar(s: string, i: number): string {
  const code = s.charCodeAt(i);
  return code >= 0xd800 && code <= 0xdbff && i + 1 < s.length ? s.slice(i, i + 2) : s[i];
}

/** The text of inlines without markup (an image's alt text). */
export function plainText(inlines: Inline[]): string {
  let out = '';
  for (const i of inlines) {
    if (i.t === 'text' || i.t === 'code') out += i.v;
    else if (i.t === 'image') out += i.alt;
    else if (i.t === 'br' || i.t === 'softbreak') out += ' ';
    else out += plainText(i.c);
  }
  return out;
}

/** A link's text may not contain links (bare URLs in it): keep their text only. */
function unwrapLinks(inlines: Inline[]): Inline[] {
  return inlines.flatMap((i): Inline[] => {
    if (i.t === 'link') return unwrapLinks(i.c);
    if (i.t === 'em' || i.t === 'strong' || i.t === 'del') return [{ t: i.t, c: unwrapLinks(i.c) }];
    return [i];
  });
}
