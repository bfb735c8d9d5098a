/**
 * Reads amounts as Mercado Livre draws them. Two sources per amount:
 *  - the aria-label of `.andes-money-amount` ("Agora: 3149 reais", "Antes: 199 reais com
 *    90 centavos", "218 pesos mexicanos con 71 centavos"): no thousands separator, most robust;
 *  - the visible parts: `.andes-money-amount__fraction` ("1.299" BR/AR, "7,399" MX: the
 *    separator is always a thousands separator because cents live in their own span) and
 *    `.andes-money-amount__cents` ("90").
 * Results are integer cents; money stays exact.
 */

export interface AmountReading {
  cents: number;
  /** Currency named by the words of the aria-label, when it names one. */
  currency: string | null;
}

const CURRENCY_WORDS: Array<[RegExp, string]> = [
  [/^(?:reais|reales|real)$/i, "BRL"],
  [/^pesos mexicanos?$/i, "MXN"],
  [/^pesos argentinos?$/i, "ARS"],
  [/^pesos colombianos?$/i, "COP"],
  [/^pesos chilenos?$/i, "CLP"],
  [/^pesos uruguayos?$/i, "UYU"],
  [/^(?:soles|sol)$/i, "PEN"],
  [/^d[oó]lar(?:es)?(?: estadounidenses?)?$/i, "USD"],
  [/^pesos?$/i, "PESO"], // resolved to the site's peso by the caller
];

/** "Agora: 3149 reais com 90 centavos" → 314990 cents, BRL. Null when it is not an amount. */
export function parseAmountLabel(label: string): AmountReading | null {
  const m =
    /(?:^|:\s*|\s)(\d+)\s+([a-záéíóúãõç]+(?:\s+(?:mexicanos?|argentinos?|colombianos?|chilenos?|uruguayos?|estadounidenses?))?)(?:\s+(?:com|con|y|e)\s+(\d{1,2})\s+centavos?)?\s*$/i
      .exec(
        label.trim(),
      );
  if (!m) return null;
  const [, units, word, cents] = m as unknown as [string, string, string, string | undefined];
  const currency = CURRENCY_WORDS.find(([re]) => re.test(word))?.[1] ?? null;
  if (currency === null) return null;
  return { cents: Number(units) * 100 + Number(cents ?? 0), currency };
}

/** Visible "1.299" + "90" → 129990; "7,399" + "00" → 739900. Null when the fraction has no digits. */
export function parseVisibleAmount(fraction: string, cents: string | null): number | null {
  const units = fraction.replace(/\D/g, "");
  if (!units) return null;
  const c = (cents ?? "").replace(/\D/g, "");
  if (c.length > 2) return null;
  return Number(units) * 100 + Number(c.padEnd(2, "0") || "0");
}

/** The symbol drawn before an amount, for pages whose labels carry no currency word. */
export function currencyFromSymbol(symbol: string): string | null {
  const s = symbol.replace(/\s/g, "");
  if (s === "R$") return "BRL";
  if (s === "US$" || s === "U$S") return "USD";
  if (s === "S/" || s === "S/.") return "PEN";
  if (s === "$") return "PESO";
  return null;
}
