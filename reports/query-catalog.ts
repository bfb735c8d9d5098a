/**
 * The questions the project answers. SQL lives in sql/bigquery/<name>.sql and its DuckDB twin
 * sql/duckdb/<name>.sql. `daily_offers` is ad hoc; the other three are the scheduled queries
 * (reports/scheduled-queries.ts), which the CLI recomputes for the report day like a backfill.
 */
import { type ReportSettings, SCHEDULED_QUERIES, type ScheduledQuery } from "./scheduled-queries.ts";

export const QUERIES = {
  daily_offers: "What the consumer loaded for a day, per site (ad hoc).",
  price_history:
    "One row per item per day: lowest, highest and last price, original price and discount shown, labels seen.",
  fake_discounts:
    "Offers of the day claiming a discount: the real discount against the prior-30-day low, and a verdict (real, inflated, insufficient_history).",
  daily_top_deals: "The day's best real discounts, ranked per site and overall.",
  product_discounts:
    "The verdict per catalog product: its best price of the day across sellers against its prior-30-day low across every seller.",
  item_details:
    "What each item's own page said last (category, specifications, sold count), within the 30 days up to the date; joins price_history on (site, item_id).",
  deals_by_category: "The day's verdicts by product category (offers, real, inflated, not enough history).",
} as const;

export type QueryName = keyof typeof QUERIES;

export const isScheduled = (name: QueryName): name is ScheduledQuery =>
  (SCHEDULED_QUERIES as readonly string[]).includes(name);

const SETTING_OF_PARAM: Record<string, keyof ReportSettings> = {
  tolerance_pct: "tolerancePct",
  min_history_days: "minHistoryDays",
  top_n: "topN",
};

/** --param key=value overrides of the report settings, checked. */
export function reportSettings(base: ReportSettings, overrides: Record<string, string>): ReportSettings {
  const settings = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const setting = SETTING_OF_PARAM[key];
    if (!setting) throw new Error(`unknown parameter "${key}" (known: ${Object.keys(SETTING_OF_PARAM).join(", ")})`);
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new Error(`parameter ${key} must be a non-negative number`);
    settings[setting] = n;
  }
  return settings;
}
