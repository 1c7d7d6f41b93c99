// HTML character references in markdown text. Only a small table of named ones: LLM answers use few, and an
// unknown name simply stays as typed (which is also what CommonMark does).
const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '\u00a9', reg: '\u00ae',
  trade: '\u2122', hellip: '\u2026', mdash: '\u2014', ndash: '\u2013', laquo: '\u00ab', raquo: '\u00bb',
  larr: '\u2190', rarr: '\u2192', uarr: '\u2191', darr: '\u2193', times: '\u00d7', divide: '\u00f7',
  deg: '\u00b0', plusmn: '\u00b1', le: '\u2264', ge: '\u2265', ne: '\u2260', middot: '\u00b7', bull: '\u2022',
  lsquo: '\u2018', rsquo: '\u2019', ldquo: '\u201c', rdquo: '\u201d', euro: '\u20ac', pound: '\u00a3',
  colon: ':', Tab: '\t', NewLine: '\n', sol: '/', lpar: '(', rpar: ')', semi: ';', comma: ',', period: '.',
};

/** The entity at the start of `s` (`&amp;`, `&#106;`, `&#x6A;`): its text and length, or undefined. */
export function matchEntity(s: string): { text: string; length: number } | undefined {
  const m = /^&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}));/.exec(s);
  if (!m) return undefined;
  if (m[3] !== undefined) {
    const text = NAMED[m[3]];
    return text === undefined ? undefined : { text, length: m[0].length };
  }
  const code = m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2], 10);
  // NUL, surrogates and out-of-range code points become the replacement character, as CommonMark says.
  const valid = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
  return { text: valid ? String.fromCodePoint(code) : '\ufffd', length: m[0].length };
}

/** Decodes backslash escapes and entities (used for link destinations and titles). */
export function unescapeText(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length && isAsciiPunctuation(s[i + 1])) {
      out += s[++i];
    } else if (c === '&') {
      const entity = matchEntity(s.slice(i, i + 40));
      if (entity) {
        out += entity.text;
        i += entity.length - 1;
      } else out += c;
    } else out += c;
  }
  return out;
}

export const isAsciiPunctuation = (c: string): boolean => /^[!-/:-@[-`{-~]$/.test(c);
