// GFM's extended autolinks also take an address written with its protocol, `mailto:foo@bar.baz` and
// `xmpp:foo@bar.baz/resource`, as one link. The autolink-literal extension links the address alone and leaves
// the protocol as text (with `mailto:` as the link's destination either way); this joins them as GFM does.
import type { Link, Nodes, PhrasingContent, Root, Text } from 'mdast';

const PROTOCOL_BEFORE = /(^|[^A-Za-z0-9])(mailto|xmpp):$/;
/** An XMPP resource: `/` and letters, digits, `@` or `.`. */
const RESOURCE = /^\/[A-Za-z0-9@.]*/;

/** Rewrites, in place, every `mailto:` or `xmpp:` text followed by an e-mail autolink into one link. */
export function linkProtocolAddresses(tree: Root): void {
  const walk = (node: Nodes) => {
    if (!('children' in node) || node.type === 'link' || node.type === 'linkReference') return;
    const children = node.children as Nodes[];
    for (let i = 0; i + 1 < children.length; i++) {
      const text = children[i];
      if (text.type === 'text') joinAt(children as PhrasingContent[], i, text);
    }
    for (const child of children) walk(child);
  };
  walk(tree);
}

/**
 * The address of a bare e-mail address the autolinks linked: a link whose destination is `mailto:` and its
 * text, written as just the address (not `<a@b.c>` or `[a@b.c](mailto:a@b.c)`, whose source is longer).
 */
function emailAddress(node: Nodes | undefined): string | undefined {
  if (node?.type !== 'link' || node.children.length !== 1 || node.children[0].type !== 'text') return undefined;
  const address = node.children[0].value;
  if (node.url !== `mailto:${address}`) return undefined;
  const source = node.position ? node.position.end.offset! - node.position.start.offset! : address.length;
  return source === address.length ? address : undefined;
}

function joinAt(children: PhrasingContent[], i: number, text: Text): void {
  const m = PROTOCOL_BEFORE.exec(text.value);
  const link = children[i + 1] as Link;
  const address = emailAddress(link);
  if (!m || address === undefined) return;
  // The protocol must touch the address in the source (`mailto:` then an escaped or spaced address does not).
  if (text.position && link.position && text.position.end.offset !== link.position.start.offset) return;
  const protocol = m[2];
  let target = `${protocol}:${address}`;
  if (protocol === 'xmpp') target += takeResource(children, i + 2);
  link.url = target;
  (link.children[0] as Text).value = target;
  text.value = text.value.slice(0, -(protocol.length + 1));
  if (!text.value) children.splice(i, 1);
}

/** Removes an XMPP resource from the nodes at `at` on (text, and an address the autolinks took from it). */
function takeResource(children: PhrasingContent[], at: number): string {
  const next = children[at];
  if (next?.type !== 'text') return '';
  let resource = RESOURCE.exec(next.value)?.[0] ?? '';
  let rest = next.value.slice(resource.length);
  let absorbed = 0;
  const address = rest ? undefined : emailAddress(children[at + 1]);
  if (resource && address !== undefined && /^[A-Za-z0-9@.]+$/.test(address)) {
    resource += address;
    absorbed = 1;
  }
  // A trailing dot ends the sentence, not the resource.
  while (resource.endsWith('.')) {
    resource = resource.slice(0, -1);
    rest = `.${rest}`;
  }
  if (resource.length < 2) return '';
  if (absorbed) children.splice(at + 1, 1);
  if (rest) next.value = rest;
  else children.splice(at, 1);
  return resource;
}
