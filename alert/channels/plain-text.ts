/**
 * Text for channels that show it as it is: Telegram (sent without parse_mode, so nothing in it
 * is markup), ntfy's body, e-mail's subject and body. What a seller could hide in a title is
 * taken out: control characters (C0 but tab and LF, DEL, C1), the bidirectional overrides and
 * isolates that make text read backwards (U+202A–U+202E, U+2066–U+2069), and lone surrogates;
 * and a cut to a channel's length never splits a character in two.
 */

// deno-lint-ignore no-control-regex -- the control characters are what it finds
const HIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDFFF]/gu;

/** Text of several lines: hidden characters removed, tabs as spaces, CR LF as LF. */
export function plainText(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(/\t/g, " ").replace(HIDDEN, "");
}

/** One line (a title, a subject): line breaks become spaces too. */
export function plainLine(text: string): string {
  return plainText(text).replace(/\n/g, " ");
}

/** At most `max` UTF-16 code units, never half of a surrogate pair. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? "") ? max - 1 : max;
  return text.slice(0, end);
}
