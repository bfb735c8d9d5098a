/**
 * Text into XML 1.0, by XML's rules: the one place feeds (and anything else that writes XML)
 * escape hostile text such as a seller's title. `&`, `<`, `>`, `"` and `'` become references,
 * so the result is safe in element content and in either kind of quoted attribute, and `]]>`
 * can never appear. Characters XML 1.0 cannot carry at all, not even as references (C0 controls
 * other than tab, LF and CR; U+FFFE, U+FFFF; lone surrogates), are removed, as are the C1
 * controls and DEL the specification asks documents to avoid. Never CDATA: one `]]>` ends it.
 */

/** What XML 1.0 cannot carry (and the controls it discourages); the `u` flag: lone surrogates only. */
// deno-lint-ignore no-control-regex -- the control characters are what it finds
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDFFF]/gu;

const REFERENCE: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** The text without the characters an XML 1.0 document cannot contain. */
export function xmlChars(text: string): string {
  return text.replace(NOT_XML, "");
}

/** The text as XML character data or an attribute value (either quote). */
export function xmlText(text: string): string {
  return xmlChars(text).replace(/[&<>"']/g, (c) => REFERENCE[c]!);
}

/** An element with escaped text content and escaped attributes: `<name a="v">text</name>`. */
export function xmlElement(name: string, attributes: Record<string, string>, text?: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_.:-]*$/.test(name)) throw new Error(`not an XML name: ${name}`);
  const attrs = Object.entries(attributes).map(([key, value]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_.:-]*$/.test(key)) throw new Error(`not an XML attribute name: ${key}`);
    return ` ${key}="${xmlText(value)}"`;
  }).join("");
  return text === undefined ? `<${name}${attrs}/>` : `<${name}${attrs}>${xmlText(text)}</${name}>`;
}
