/** Text helpers for card markup: whitespace as the page draws it, not as the HTML spells it. */

/** Collapses every run of whitespace (incl. NBSP and the narrow NBSP U+202F) to one space. */
export function squish(text: string | null | undefined): string {
  return (text ?? "").replace(/[\s\u00a0\u202f]+/g, " ").trim();
}

/** Trims, but keeps inner spacing as published (titles are compared exactly). */
export function cleanTitle(text: string | null | undefined): string {
  return (text ?? "").replace(/[\u00a0\u202f]/g, " ").trim();
}

/** Parses "4.9", "4,9" as a decimal; null when the text is not one number. */
export function parseDecimalText(text: string): number | null {
  const m = /^\s*(\d+)(?:[.,](\d+))?\s*$/.exec(text);
  return m ? Number(`${m[1]}.${m[2] ?? "0"}`) : null;
}

/** Digits of a count written with any thousands separator: "(3.170)", "23,249" → 3170, 23249. */
export function parseCountText(text: string): number | null {
  const m = /\d[\d.,\u00a0\u202f ]*/.exec(text);
  if (!m) return null;
  const digits = m[0].replace(/\D/g, "");
  return digits ? Number(digits) : null;
}
