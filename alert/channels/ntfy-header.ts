/**
 * Header values for ntfy: an HTTP header carries one line of ASCII, so a title with anything
 * else goes as RFC 2047 encoded-words (`=?UTF-8?B?…?=`, which ntfy decodes since 2.4.0). Control
 * characters and line breaks never reach a header, and ASCII text that already looks like an
 * encoded-word (`=?…`) is encoded too, so a seller cannot smuggle one in for ntfy to decode.
 */
import { cut, plainLine } from "./plain-text.ts";

/** Bytes of UTF-8 per encoded-word: 45 bytes make 60 base64 characters, within RFC 2047's 75. */
const WORD_BYTES = 45;

function encodedWords(text: string): string {
  const encoder = new TextEncoder();
  const words: number[][] = [];
  const chunk: number[] = [];
  for (const char of text) {
    const bytes = encoder.encode(char);
    if (chunk.length + bytes.length > WORD_BYTES) {
      words.push(chunk.splice(0));
    }
    chunk.push(...bytes);
  }
  if (chunk.length) words.push(chunk);
  return words.map((bytes) => `=?UTF-8?B?${btoa(String.fromCharCode(...bytes))}?=`).join(" ");
}

/** A header value: printable ASCII as it is, anything else as encoded-words; at most `max` characters of text. */
export function ntfyHeader(text: string, max = 250): string {
  const line = cut(plainLine(text).trim(), max);
  return /^[\x20-\x7e]*$/.test(line) && !line.includes("=?") ? line : encodedWords(line);
}

/** A URL for a header (ntfy's click): its ASCII serialisation, or null when it is not an http(s) URL. */
export function headerUrl(raw: string | null): string | null {
  if (!raw || !URL.canParse(raw)) return null;
  const url = new URL(raw);
  return ["https:", "http:"].includes(url.protocol) && /^[\x21-\x7e]+$/.test(url.href) ? url.href : null;
}
