/**
 * Text for Discord, whose message content is Markdown: every character that could start markup
 * is escaped with a backslash, which Discord shows as the character itself. So a seller's title
 * cannot make a masked link `[text](https://…)`, a heading, a list, a quote, a spoiler `||…||`,
 * bold, code, a mention or a custom emoji `<…>`, nor a bare link (the `:` of `https://` is
 * escaped, which keeps Discord from turning it into one). Only the message's own listing URLs,
 * on lines of their own, stay links. Mentions are also off in the request (allowed_mentions).
 */
import type { AlertMessage } from "./message.ts";
import { cut, plainLine, plainText } from "./plain-text.ts";

/** Discord's limit for a message's content. */
export const DISCORD_MAX_CONTENT = 2000;

/** Backslash-escaped everywhere: what marks up inline text, links and mentions. */
const MARKUP = /[\\*_~`|<>[\]()#@:]/g;

/** One line of untrusted text, escaped; what only marks up at a line's start escaped there. */
export function discordEscape(line: string): string {
  return plainLine(line)
    .replace(MARKUP, (c) => `\\${c}`)
    // lists (- + and "1."), the -# subtext, after any indentation
    .replace(/^(\s*)([-+])/, "$1\\$2")
    .replace(/^(\s*\d+)([.)])/, "$1\\$2");
}

/** Whether a line is one of the message's own listing URLs (https, as the contract keeps them). */
function ownUrl(line: string, message: AlertMessage): boolean {
  const urls = new Set([message.url, ...message.alerts.map((a) => a.url)].filter((u): u is string => !!u));
  if (!urls.has(line) || !URL.canParse(line)) return false;
  const url = new URL(line);
  return url.protocol === "https:" && url.href === line && !/[\s<>]/.test(line);
}

/** The message as Discord content: the title in bold, then each line escaped. */
/** The message as Discord Markdown, whole (digest.ts measures it against DISCORD_MAX_CONTENT). */
export function discordMarkdown(message: AlertMessage): string {
  const lines = plainText(message.text).split("\n").map((line) => {
    const indent = /^\s*/.exec(line)![0];
    const rest = line.slice(indent.length);
    return ownUrl(rest, message) ? `${indent}${rest}` : discordEscape(line);
  });
  return `**${discordEscape(message.title)}**\n${lines.join("\n")}`;
}

/** What Discord is sent: the Markdown, cut to its limit (a digest is split before it gets here). */
export function discordContent(message: AlertMessage): string {
  return cut(discordMarkdown(message), DISCORD_MAX_CONTENT);
}
