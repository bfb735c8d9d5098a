/** How the view words things: money, percentages, verdicts and their reasons. */
import { formatMoney } from "../../shared/money.ts";
import type { Deal, Verdict } from "../deals.ts";

export function money(amount: string | null, currency: string | null): string {
  return amount === null ? "—" : formatMoney(amount, currency);
}

export function percent(value: string | number | null): string {
  if (value === null) return "—";
  return `${Number(value).toFixed(Number.isInteger(Number(value)) ? 0 : 1)}%`;
}

export const VERDICT_NAME: Record<Verdict, string> = {
  real: "Real discount",
  inflated: "Inflated",
  insufficient_history: "Not enough history",
};

/** Why, in a sentence, from the verdict's reason and the numbers behind it. */
export function why(d: Deal, minHistoryDays = 7): string {
  switch (d.reason) {
    case "history_days_below_minimum":
      return `Seen on ${d.history_days} of the prior 30 days; a verdict needs ${minHistoryDays}.`;
    case "original_above_30d_high":
      return `The "original" ${money(d.original_price, d.currency)} is above the highest price of the prior 30 days (${
        money(d.max_price_30d, d.currency)
      }).`;
    case "real_discount_below_displayed":
      return `Against the 30-day low of ${money(d.min_price_30d, d.currency)} the discount is ${
        percent(d.real_discount_pct)
      }, not the ${d.displayed_discount_pct}% shown.`;
    default:
      return `${percent(d.real_discount_pct)} below the lowest price of the prior 30 days (${
        money(d.min_price_30d, d.currency)
      }), as the ${d.displayed_discount_pct}% shown claims.`;
  }
}
