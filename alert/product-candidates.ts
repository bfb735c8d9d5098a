/**
 * The observations of one load of the catalog products product watches follow, each with its
 * product's board (sql/<engine>/product_candidates.sql): the SQL filled in, and its rows (one per
 * observation and listing) gathered into observations. The engines run it in candidates.ts.
 */
import { type LoadPositions, positionsSql } from "../shared/load-positions.ts";
import type { Engine, ReportSettings } from "../shared/sql-templates.ts";
import { sqlFile } from "../shared/sql-templates.ts";
import { fillContext, lowDaysWanted } from "./candidates.ts";
import type { Listing, ProductObservation } from "./product-observation.ts";
import { byScrapeOrder } from "./observation.ts";

/** The products asked for: `site|product_id`, each checked (they go into the SQL as literals). */
export function productsSql(products: readonly string[]): string {
  for (const p of products) {
    if (!/^[A-Z]{3}\|[A-Z]{3}\d{3,15}$/.test(p)) throw new Error(`not a site|product: ${p}`);
  }
  return products.length ? products.map((p) => `'${p}'`).join(", ") : "NULL";
}

export function productCandidatesSql(
  engine: Engine,
  dataset: string,
  day: string,
  ranges: LoadPositions,
  lowDays: readonly number[],
  products: readonly string[],
  settings?: ReportSettings,
): string {
  const sql = sqlFile(engine, "product_candidates")
    .replaceAll("{{positions}}", positionsSql(ranges))
    .replaceAll("{{products}}", productsSql(products));
  return fillContext(sql, engine, dataset, day, lowDays, settings);
}

/** The columns read back as text (money, days) or numbers, whatever the engine's types. */
export const PRODUCT_TEXT_COLUMNS = [
  "price",
  "original_price",
  "previous_price",
  "previous_day",
  "verdict",
  "real_discount_pct",
  "min_price_30d",
];

type Cell = unknown;
const text = (v: Cell) => (v === null || v === undefined ? null : String(v));
const decimal = (v: Cell) => (v === null || v === undefined ? null : Number(v).toFixed(2));
const integer = (v: Cell) => (v === null || v === undefined ? null : Number(v));
const day = (v: Cell) =>
  text(v && typeof v === "object" && "value" in v ? (v as { value: unknown }).value : v)?.slice(0, 10) ?? null;

/**
 * The rows (sorted by observation, then listing) as observations, each with its board.
 * `scrapedAt` turns an engine's timestamp into UTC ISO with milliseconds.
 */
export function productObservationsOf(
  rows: ReadonlyArray<Record<string, Cell>>,
  offerDate: string,
  lowDays: readonly number[],
  scrapedAt: (v: Cell) => string,
): ProductObservation[] {
  // grouped by key, whatever order the engine answered in
  const byKey = new Map<string, ProductObservation>();
  const days = lowDaysWanted(lowDays);
  for (const row of rows) {
    const key = String(row.offer_key);
    let o = byKey.get(key);
    if (!o) {
      o = {
        site: String(row.site),
        product_id: String(row.product_id),
        offer_key: key,
        scraped_at: scrapedAt(row.scraped_at),
        offer_date: offerDate,
        observed_item_id: String(row.observed_item_id),
        watch_id: text(row.watch_id),
        watch_run: integer(row.watch_run),
        board: [],
        previous_price: decimal(row.previous_price),
        previous_day: day(row.previous_day),
        lows: Object.fromEntries(days.map((n) => [n, decimal(row[`low_${n}`])])),
      };
      byKey.set(key, o);
    }
    const listing: Listing = {
      item_id: String(row.item_id),
      title: text(row.title),
      currency: text(row.currency),
      url: text(row.url),
      price: decimal(row.price)!,
      original_price: decimal(row.original_price),
      displayed_discount_pct: integer(row.displayed_discount_pct),
      seller: text(row.seller),
      official_store: row.official_store === null || row.official_store === undefined
        ? null
        : row.official_store === true || row.official_store === "true",
      seller_reputation: text(row.seller_reputation),
      seller_power_status: text(row.seller_power_status),
      verdict: text(row.verdict),
      real_discount_pct: decimal(row.real_discount_pct),
      min_price_30d: decimal(row.min_price_30d),
      history_days: integer(row.history_days),
    };
    o.board.push(listing);
  }
  const out = [...byKey.values()].sort(byScrapeOrder);
  for (const o of out) o.board.sort((a, b) => (a.item_id < b.item_id ? -1 : a.item_id > b.item_id ? 1 : 0));
  return out;
}
