/**
 * Hostile titles through each channel's text format: Discord's Markdown, Telegram's plain text
 * and ntfy's headers. Each check reads the output as that format's reader would, not as the
 * escaper wrote it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Alert } from "../../shared/alert/alert-record.ts";
import { DISCORD_MAX_CONTENT, discordContent, discordEscape } from "./discord-markdown.ts";
import { messageOf } from "./message.ts";
import { headerUrl, ntfyHeader } from "./ntfy-header.ts";
import { cut, plainLine, plainText } from "./plain-text.ts";

/** Titles a seller could choose. */
export const HOSTILE_TITLES = [
  "[Clique aqui](https://evil.example/login) iPhone",
  "# Grátis\n## Só hoje",
  "||spoiler|| e `code` e ```bloco```",
  "**negrito** __sublinhado__ ~~riscado~~ *itálico* _itálico_",
  "> citação\n>>> tudo citado",
  "- lista\n+ lista\n1. número\n-# subtexto",
  "https://evil.example/phish e http://evil.example",
  "<@123456789012345678> <@&123> <#123> <:emoji:123> <t:1700000000:R> @everyone @here",
  "\\*escapado\\* e barra \\",
  ']]>]]></title><link href="https://evil.example/"/><title><![CDATA[',
  "Fone\u0001\u0007 com\u001b[31m controle\u202e\u2066 e bidi",
  "tab\there\r\nand CRLF",
  "emoji 📱 e acentuação ção",
];

/** Characters no channel text may carry: controls (tab and LF aside), bidi overrides and isolates. */
// deno-lint-ignore no-control-regex -- the control characters are what it finds
const HIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/** What Discord's Markdown would still read as markup: the text with every `\x` escape taken out. */
function markupLeft(content: string): string[] {
  const found: string[] = [];
  const unescaped = content.replace(/\\[^0-9A-Za-z\s]/g, "");
  for (const [name, pattern] of Object.entries(MARKUP)) if (pattern.test(unescaped)) found.push(name);
  return found;
}
const MARKUP: Record<string, RegExp> = {
  "masked link or brackets": /[[\]()]/,
  "emphasis, strike, underline": /[*_~]/,
  "code": /`/,
  "spoiler": /\|/,
  "mention, emoji, timestamp or <link>": /[<>]/,
  "heading": /#/,
  "bare link": /[a-z]+:\/\//i,
  "list": /^\s*([-+]|\d+[.)])/m,
  "quote": /^\s*>/m,
};

const alert = (title: string): Alert => ({
  type: "alert",
  schema_version: 1,
  alert_id: "0123456789abcdef01234567",
  rule_key: "watch:x:below",
  kind: "below",
  watch_id: "x",
  site: "MLB",
  item_id: "MLB1234567890",
  offer_date: "2026-12-04",
  title,
  currency: "BRL",
  url: "https://produto.mercadolivre.com.br/MLB-1234567890-fone_JM",
  price: "3999.00",
  verdict: null,
  real_discount_pct: null,
  why: "R$ 3.999,00 is at or below your price of R$ 4.000,00.",
  channels: ["chat"],
  decided_at: "2026-12-04T12:00:00.000Z",
  source: "batch-1",
});

test("discord: no hostile title leaves a link, a heading, a spoiler or any other markup", () => {
  for (const title of HOSTILE_TITLES) {
    const content = discordContent(messageOf(alert(title)));
    const [first, ...rest] = content.split("\n");
    // the title's line: bold around it, nothing inside it that Discord would read
    assert.match(first!, /^\*\*.*\*\*$/s, title);
    assert.deepEqual(markupLeft(first!.slice(2, -2)), [], `${title} → ${first}`);
    // the listing's own URL stays a link, on its line; the other lines are plain
    assert.equal(rest.at(-1), alert(title).url, title);
    assert.deepEqual(markupLeft(rest.slice(0, -1).join("\n")), [], title);
    assert.doesNotMatch(content, HIDDEN, title);
    assert.ok(!content.includes("\t"), title);
  }
});

test("discord: the escapes show the title as written (a reader's unescape gives it back)", () => {
  for (const title of HOSTILE_TITLES) {
    const shown = discordEscape(title).replace(/\\([^0-9A-Za-z\s])/g, "$1");
    assert.equal(shown, plainLine(title), title);
  }
  const long = discordContent(messageOf(alert("📱".repeat(3000))));
  assert.ok(long.length <= DISCORD_MAX_CONTENT);
  assert.doesNotMatch(long, /[\uD800-\uDBFF]$/, "never half an emoji at the cut");
});

test("discord: a URL line that is not the message's own listing is escaped like text", () => {
  const message = {
    ...messageOf(alert("x")),
    text: "https://evil.example/\nhttps://produto.mercadolivre.com.br/MLB-1234567890-fone_JM",
  };
  const [, evil, own] = discordContent(message).split("\n");
  assert.equal(evil, "https\\://evil.example/");
  assert.equal(own, "https://produto.mercadolivre.com.br/MLB-1234567890-fone_JM");
});

test("plain text (Telegram, e-mail, ntfy's body): controls and bidi overrides gone, lines kept", () => {
  assert.equal(plainText("a\u0001b\r\nc\rd"), "ab\nc\nd");
  assert.equal(plainText("d\te\u202ef\u0085g"), "d efg");
  assert.equal(plainLine("one\ntwo\r\nthree"), "one two three");
  assert.equal(plainText("lone \uD800 surrogate 📱"), "lone  surrogate 📱");
  assert.equal(cut("ab📱", 3), "ab");
  assert.equal(cut("ab📱", 4), "ab📱");
  for (const title of HOSTILE_TITLES) {
    assert.doesNotMatch(plainText(title), HIDDEN, title);
    assert.ok(!plainText(title).includes("\t"), title);
  }
});

/** What ntfy does with a header: RFC 2047 encoded-words decoded, the rest as it is. */
function decodeHeader(value: string): string {
  return value.replace(
    /=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=(?: (?==\?))?/g,
    (_, b64: string) => new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))),
  );
}

test("ntfy headers: one line of ASCII; anything else as RFC 2047 words that decode to the title", () => {
  for (const title of [...HOSTILE_TITLES, "=?UTF-8?B?PHNjcmlwdD4=?= smuggled", "Fone Bluetooth"]) {
    const header = ntfyHeader(title);
    assert.match(header, /^[\x20-\x7e]*$/, title);
    assert.ok(header.split(" ").every((word) => !word.startsWith("=?") || word.length <= 75), title);
    assert.equal(decodeHeader(header), plainLine(title).trim(), title);
  }
  assert.equal(ntfyHeader("Fone Bluetooth"), "Fone Bluetooth", "ASCII goes as it is");
  assert.equal(ntfyHeader("x".repeat(400)).length, 250);
  assert.equal(
    headerUrl("https://produto.mercadolivre.com.br/MLB-1-fone_JM?a=ç"),
    "https://produto.mercadolivre.com.br/MLB-1-fone_JM?a=%C3%A7",
  );
  assert.equal(headerUrl("javascript:alert(1)"), null);
  assert.equal(headerUrl("not a url"), null);
  assert.equal(headerUrl(null), null);
});
