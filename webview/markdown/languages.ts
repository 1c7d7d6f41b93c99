// Just enough of each language for a tokenizer to colour keywords, strings, comments and numbers. Not a
// grammar: a wrong colour in an odd corner is acceptable, a slow or unsafe highlighter is not.

export interface StringRule {
  open: string;
  close: string;
  /** May run over line ends (template literals, Python triple quotes, Go raw strings). */
  multiline: boolean;
  /** A backslash escapes the next character. */
  escapes: boolean;
}

export interface LanguageSpec {
  keywords: ReadonlySet<string>;
  /** true, false, null and friends. */
  literals: ReadonlySet<string>;
  /** Built-in type names. */
  types: ReadonlySet<string>;
  lineComments: readonly string[];
  blockComment?: readonly [string, string];
  /** Checked in order, so longer openers (`"""`) come before shorter ones (`"`). */
  strings: readonly StringRule[];
  /** Capitalised identifiers are types (class names). */
  capitalizedTypes: boolean;
  /** `#` starts a comment only at a word start (`$#` and `a#b` in a shell are not comments). */
  hashCommentAtWordStart?: boolean;
  /** `$name` / `${name}` are variables (shells). */
  dollarVariables?: boolean;
  /** `#include`-style lines are preprocessor directives (C, C++). */
  preprocessor?: boolean;
  /** Rust: `'a'` is a char but `'a` is a lifetime, so `'` is not a string delimiter. */
  charLiterals?: boolean;
  /** JSON: a string followed by `:` is a property name. */
  propertyKeys?: boolean;
}

const set = (words: string): ReadonlySet<string> => new Set(words.split(/\s+/).filter(Boolean));
const str = (open: string, multiline = false, escapes = true, close = open): StringRule => ({ open, close, multiline, escapes });
const C_COMMENTS = { lineComments: ['//'], blockComment: ['/*', '*/'] as const };

const JS_KEYWORDS = 'break case catch class const continue debugger default delete do else export extends finally for from function if import in instanceof let new of return static super switch this throw try typeof var void while with yield async await get set as';
const TS_KEYWORDS = `${JS_KEYWORDS} interface type enum implements namespace declare abstract private protected public readonly keyof infer is satisfies module override`;

const javascript: LanguageSpec = {
  keywords: set(JS_KEYWORDS),
  literals: set('true false null undefined NaN Infinity'),
  types: set(''),
  ...C_COMMENTS,
  strings: [str('`', true), str('"'), str("'")],
  capitalizedTypes: true,
};
const typescript: LanguageSpec = { ...javascript, keywords: set(TS_KEYWORDS), types: set('string number boolean any unknown never void object bigint symbol') };

const python: LanguageSpec = {
  keywords: set('and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case'),
  literals: set('True False None'),
  types: set('int float str bool list dict set tuple bytes object type'),
  lineComments: ['#'],
  strings: [str('"""', true), str("'''", true), str('"'), str("'")],
  capitalizedTypes: true,
};

const json: LanguageSpec = {
  keywords: set(''),
  literals: set('true false null'),
  types: set(''),
  // JSONC and JSON5 comments appear in settings files that models quote.
  ...C_COMMENTS,
  strings: [str('"')],
  capitalizedTypes: false,
  propertyKeys: true,
};

const shell: LanguageSpec = {
  keywords: set('if then else elif fi case esac for while until do done in function return exit export local readonly declare unset shift source alias set trap break continue select time'),
  literals: set('true false'),
  types: set(''),
  lineComments: ['#'],
  strings: [str('"'), str("'", false, false)],
  capitalizedTypes: false,
  hashCommentAtWordStart: true,
  dollarVariables: true,
};

const rust: LanguageSpec = {
  keywords: set('as async await break const continue crate dyn else enum extern fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait type unsafe use where while'),
  literals: set('true false None Some Ok Err'),
  types: set('i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 bool char str String Vec Option Result Box'),
  ...C_COMMENTS,
  strings: [str('"', true)],
  capitalizedTypes: true,
  charLiterals: true,
};

const go: LanguageSpec = {
  keywords: set('break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var'),
  literals: set('true false nil iota'),
  types: set('bool byte complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr any'),
  ...C_COMMENTS,
  strings: [str('`', true, false), str('"'), str("'")],
  capitalizedTypes: false,
};

const c: LanguageSpec = {
  keywords: set('auto break case const continue default do else enum extern for goto if inline register restrict return sizeof static struct switch typedef union volatile while class namespace template typename public private protected virtual override new delete this throw try catch using operator friend constexpr noexcept nullptr_t explicit mutable static_cast dynamic_cast reinterpret_cast const_cast'),
  literals: set('true false NULL nullptr'),
  types: set('void char short int long float double signed unsigned bool size_t int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t auto std string vector'),
  ...C_COMMENTS,
  strings: [str('"'), str("'")],
  capitalizedTypes: false,
  preprocessor: true,
};

const java: LanguageSpec = {
  keywords: set('abstract assert break case catch class continue default do else enum extends final finally for if implements import instanceof interface native new package private protected public return static strictfp super switch synchronized this throw throws transient try volatile while var record sealed permits yield'),
  literals: set('true false null'),
  types: set('boolean byte char short int long float double void String Object'),
  ...C_COMMENTS,
  strings: [str('"""', true), str('"'), str("'")],
  capitalizedTypes: true,
};

const BY_NAME: Record<string, LanguageSpec> = {
  js: javascript, javascript, jsx: javascript, mjs: javascript, cjs: javascript, node: javascript,
  ts: typescript, typescript, tsx: typescript, mts: typescript, cts: typescript,
  py: python, python, python3: python, py3: python,
  json, jsonc: json, json5: json,
  sh: shell, bash: shell, shell, zsh: shell, console: shell, shellscript: shell,
  rs: rust, rust,
  go, golang: go,
  c, h: c, cpp: c, 'c++': c, cc: c, cxx: c, hpp: c, hh: c,
  java,
};

/** The spec for a fence's language name (case-insensitive, common aliases), or undefined: plain text. */
export function languageSpec(lang: string): LanguageSpec | undefined {
  const key = lang.toLowerCase();
  return Object.prototype.hasOwnProperty.call(BY_NAME, key) ? BY_NAME[key] : undefined;
}
