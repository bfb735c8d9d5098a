/**
 * The words of a product page: the subtitle ("Novo | +5mil vendidos"), the stock line
 * ("(+25 disponibles)", "(2 disponíveis)") and the description's line breaks.
 */
import { squish } from "../text.ts";

export type Condition = "new" | "used" | "refurbished";

const CONDITIONS: Array<[RegExp, Condition]> = [
  [/^(?:novo|nuevo|new)$/i, "new"],
  [/^(?:usado|used)$/i, "used"],
  [/^(?:recondicionado|reacondicionado|refurbished)$/i, "refurbished"],
];

/** "Nuevo  |  +500 vendidos" → new, "+500 vendidos". Either part may be missing. */
export function readSubtitle(text: string | null): { condition: Condition | null; sold: string | null } {
  let condition: Condition | null = null;
  let sold: string | null = null;
  for (const part of (text ?? "").split("|").map(squish).filter(Boolean)) {
    const known = CONDITIONS.find(([re]) => re.test(part))?.[1];
    if (known) condition = known;
    else if (/\bvendid[oa]s?\b/i.test(part)) sold = part;
  }
  return { condition, sold };
}

/**
 * The least the sold text promises: "+5mil vendidos" → 5000, "+500 vendidos" → 500,
 * "1 vendido" → 1, "+1 millón vendidos" → 1000000. The page rounds down into buckets.
 */
export function soldLowerBound(text: string | null): number | null {
  // "mi" is Portuguese for millions ("+1 mi vendidos"); the longer words are tried first
  const m = /(\d+(?:[.,]\d+)?)\s*(mill[oó]n|millones|milh[aã]o|milh[oõ]es|mil|mi\b|k\b)?/i.exec(text ?? "");
  if (!m) return null;
  const unit = (m[2] ?? "").toLowerCase();
  const factor = unit === "mil" || unit === "k" ? 1_000 : unit ? 1_000_000 : 1;
  // "1,5mil" is 1500; "1.000" without a unit is a thousands separator
  const n = unit ? Number(m[1]!.replace(",", ".")) : Number(m[1]!.replace(/[.,]/g, ""));
  return Number.isFinite(n) ? Math.round(n * factor) : null;
}

/**
 * The stock line without its parentheses, and the exact quantity when the page gives one:
 * "(2 disponíveis)" → 2; "(+25 disponibles)" is a bucket, not a quantity; "¡Último disponible!" → 1.
 */
export function readStock(text: string | null): { text: string | null; quantity: number | null } {
  const t = squish(text).replace(/^\((.*)\)$/, "$1").trim();
  if (!t) return { text: null, quantity: null };
  const exact = /^(\d+)\s+dispon[ií]ve(?:is|l)|^(\d+)\s+disponibles?/i.exec(t);
  if (exact) return { text: t, quantity: Number(exact[1] ?? exact[2]) };
  if (/[úu]ltim[oa] dispon/i.test(t)) return { text: t, quantity: 1 };
  return { text: t, quantity: null };
}

/**
 * A description as plain text: one line per line the page draws, without blank lines or
 * spaces at the line ends (CRLF or LF, and <br> already turned into line breaks).
 */
export function normalizeDescription(text: string | null): string | null {
  const lines = (text ?? "").replace(/\r\n?/g, "\n").split("\n")
    .map((line) => line.replace(/[\s\u00a0\u202f]+/g, " ").trim())
    .filter((line) => line !== "");
  return lines.length ? lines.join("\n") : null;
}
