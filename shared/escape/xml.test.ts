import { test } from "node:test";
import assert from "node:assert/strict";
import { xmlChars, xmlElement, xmlText } from "./xml.ts";

/** Titles a seller could choose, and what an XML reader must read back from each. */
const HOSTILE: Array<[string, string]> = [
  [
    ']]>]]></title><link href="https://evil.example/"/><title><![CDATA[',
    ']]>]]></title><link href="https://evil.example/"/><title><![CDATA[',
  ],
  ["a]]>b]]>c", "a]]>b]]>c"],
  ["x\u0001y\u0000z\u001f", "xyz"],
  ["tab\tlf\ncr\r", "tab\tlf\ncr\r"],
  ["\uFFFE\uFFFFend", "end"],
  ["lone \uD800 high, lone \uDC00 low", "lone  high, lone  low"],
  ["emoji 📱 kept", "emoji 📱 kept"],
  ["&amp; already &lt;escaped&gt;", "&amp; already &lt;escaped&gt;"],
  [`quotes " and ' both`, `quotes " and ' both`],
  ["<script>alert(1)</script>", "<script>alert(1)</script>"],
  ["del\u007f c1\u0085 gone", "del c1 gone"],
  ["São Paulo — 10% OFF", "São Paulo — 10% OFF"],
];

/** What an XML reader does with the five predefined references. */
const decode = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|apos);/g, (_, n: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" })[n]!);

/** Characters XML 1.0 forbids (the Char production), checked here without any library. */
// deno-lint-ignore no-control-regex -- the control characters are what it finds
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/u;

test("xmlText: every hostile title reads back as itself, minus what XML cannot carry", () => {
  for (const [title, readBack] of HOSTILE) {
    const escaped = xmlText(title);
    assert.doesNotMatch(escaped, /[<>"']/, title);
    assert.doesNotMatch(escaped, /&(?!(amp|lt|gt|quot|apos);)/, `a bare & in ${escaped}`);
    assert.doesNotMatch(escaped, FORBIDDEN, title);
    assert.ok(!escaped.includes("]]>"), title);
    assert.equal(decode(escaped), readBack, title);
    assert.equal(xmlChars(title), readBack, title);
  }
});

test("xmlElement: escaped content and attributes; a bad name is an error, not markup", () => {
  const [title] = HOSTILE[0]!;
  const element = xmlElement("title", { type: "text", "xml:lang": `"pt'` }, title);
  assert.match(element, /^<title type="text" xml:lang="&quot;pt&apos;">[^<>]*<\/title>$/);
  assert.equal(
    xmlElement("link", { href: "https://x.example/?a=1&b=<2>" }),
    '<link href="https://x.example/?a=1&amp;b=&lt;2&gt;"/>',
  );
  assert.throws(() => xmlElement("a b", {}), /not an XML name/);
  assert.throws(() => xmlElement("a", { 'x="1" y': "v" }), /not an XML attribute name/);
});
