// Syntax highlighting with lowlight (highlight.js grammars, no eval, no HTML strings: it returns a tree that
// is turned into DOM here through the allow-listed `el`). The 37 grammars of highlight.js's "common" set plus
// the languages models write most often beyond it.
import type { ElementContent, Root, RootContent } from 'hast';
import clojure from 'highlight.js/lib/languages/clojure';
import cmake from 'highlight.js/lib/languages/cmake';
import dart from 'highlight.js/lib/languages/dart';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import elixir from 'highlight.js/lib/languages/elixir';
import erlang from 'highlight.js/lib/languages/erlang';
import groovy from 'highlight.js/lib/languages/groovy';
import haskell from 'highlight.js/lib/languages/haskell';
import http from 'highlight.js/lib/languages/http';
import julia from 'highlight.js/lib/languages/julia';
import latex from 'highlight.js/lib/languages/latex';
import matlab from 'highlight.js/lib/languages/matlab';
import nginx from 'highlight.js/lib/languages/nginx';
import nix from 'highlight.js/lib/languages/nix';
import ocaml from 'highlight.js/lib/languages/ocaml';
import powershell from 'highlight.js/lib/languages/powershell';
import properties from 'highlight.js/lib/languages/properties';
import protobuf from 'highlight.js/lib/languages/protobuf';
import scala from 'highlight.js/lib/languages/scala';
import { common, createLowlight } from 'lowlight';
import { el } from './dom';

const lowlight = createLowlight(common);
lowlight.register({ clojure, cmake, dart, dockerfile, elixir, erlang, groovy, haskell, http, julia, latex, matlab, nginx, nix, ocaml, powershell, properties, protobuf, scala });
// Names models use that the grammars do not list as aliases.
lowlight.registerAlias({ bash: ['zsh', 'console', 'shellsession'], dockerfile: ['containerfile'], javascript: ['node'], plaintext: ['txt'] });

/** Every registered grammar (aliases not counted). */
export const LANGUAGES: readonly string[] = lowlight.listLanguages();

/** Whether `lang` (a fence's language word, case-insensitive) names a grammar. */
export function knownLanguage(lang: string): boolean {
  return lang !== '' && lowlight.registered(lang.toLowerCase());
}

/** Appends `code` highlighted as `lang` to `parent` (plain text for a language without a grammar). */
export function appendHighlighted(doc: Document, parent: Node, lang: string, code: string): void {
  if (!knownLanguage(lang)) {
    if (code) parent.appendChild(doc.createTextNode(code));
    return;
  }
  let tree: Root;
  try {
    tree = lowlight.highlight(lang.toLowerCase(), code);
  } catch {
    if (code) parent.appendChild(doc.createTextNode(code));
    return;
  }
  appendTree(doc, parent, tree.children);
}

function appendTree(doc: Document, parent: Node, nodes: readonly (RootContent | ElementContent)[]): void {
  for (const node of nodes) {
    if (node.type === 'text') parent.appendChild(doc.createTextNode(node.value));
    else if (node.type === 'element') {
      const classes = (Array.isArray(node.properties.className) ? node.properties.className : [])
        .map(String)
        .filter((c) => /^hljs-[\w-]+$/.test(c) || /^[\w-]+_$/.test(c));
      const span = el(doc, 'span', classes.length ? { class: classes.join(' ') } : {});
      appendTree(doc, span, node.children);
      parent.appendChild(span);
    }
  }
}
