/**
 * Money travels as a decimal string with exactly two places ("3149.00"), never as a
 * binary float: JSON numbers are doubles, and 0.1 + 0.2 is not a price. Arithmetic
 * happens on integer cents (safe up to 13 integer digits) and the warehouse stores NUMERIC.
 */
export type Money = string;

export const MONEY_PATTERN = /^(?:0|[1-9]\d{0,12})\.\d{2}$/;

export function isMoney(value: unknown): value is Money {
  return typeof value === "string" && MONEY_PATTERN.test(value);
}

export function moneyToCents(money: Money): number {
  if (!isMoney(money)) throw new RangeError(`not a money amount: ${JSON.stringify(money)}`);
  // the pattern fixed the shape: units, a dot, two digits
  const dot = money.length - 3;
  return Number(money.slice(0, dot)) * 100 + Number(money.slice(dot + 1));
}

export function centsToMoney(cents: number): Money {
  if (!Number.isSafeInteger(cents) || cents < 0) {
    throw new RangeError(`cents must be a non-negative safe integer, got ${cents}`);
  }
  const units = Math.floor(cents / 100);
  return `${units}.${String(cents % 100).padStart(2, "0")}`;
}

/**
 * Discount of `price` against `reference` in percent, rounded half-up to two places,
 * computed on integers so it is exact ("43.86"). Null when the reference is 0.
 */
export function discountPercent(price: Money, reference: Money): string | null {
  const p = moneyToCents(price);
  const r = moneyToCents(reference);
  if (r === 0) return null;
  // basis points = (r - p) / r * 10_000, rounded half away from zero
  const numerator = (r - p) * 10_000;
  const sign = numerator < 0 ? -1 : 1;
  const bp = sign * Math.floor((Math.abs(numerator) * 2 + r) / (2 * r));
  const abs = Math.abs(bp);
  return `${bp < 0 ? "-" : ""}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

const SYMBOL: Record<string, string> = {
  BRL: "R$",
  ARS: "$",
  MXN: "$",
  USD: "US$",
  COP: "$",
  CLP: "$",
  PEN: "S/",
  UYU: "$",
};

/** An amount as the sites write it: the currency's symbol, dots between thousands, a comma before the cents. */
export function formatMoney(amount: string, currency: string | null): string {
  const [units, cents = "00"] = Number(amount).toFixed(2).split(".");
  const grouped = units!.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `${SYMBOL[currency ?? ""] ?? currency ?? ""} ${grouped},${cents}`.trim();
}
