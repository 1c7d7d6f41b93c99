// micromark runs a construct with the tokenizer's context, or with an object made from it (Object.create)
// when an attempt carries fields. State kept per inline content is keyed on the context everything derives from.
import type { TokenizeContext } from 'micromark-util-types';

/** The tokenizer context `context` derives from (itself when it is that context). */
export function rootContext(context: TokenizeContext): object {
  let ctx: object = context;
  for (let proto = Object.getPrototypeOf(ctx); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(ctx)) ctx = proto;
  return ctx;
}
