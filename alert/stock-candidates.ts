/**
 * The stock observations of one announced load of stock_observations, each with its subject's
 * observation just before it (sql/<engine>/stock_candidates.sql): the SQL filled in and its rows
 * read. The engines run it in candidates.ts.
 */
import { type LoadPositions, positionsSql } from "../shared/load-positions.ts";
import { addDays, dateLiteral, type Engine, sqlFile } from "../shared/sql-templates.ts";
import type { StockObservation } from "./stock-observation.ts";

/** How far back a subject's previous observation is looked for. */
export const STOCK_LOOK_BACK_DAYS = 30;

export function stockCandidatesSql(engine: Engine, dataset: string, day: string, ranges: LoadPositions): string {
  return sqlFile(engine, "stock_candidates")
    .replaceAll("{{positions}}", positionsSql(ranges))
    .replaceAll("{{first_day}}", dateLiteral(addDays(day, -STOCK_LOOK_BACK_DAYS)))
    .replaceAll("{{day}}", dateLiteral(day))
    .replaceAll("{{look_back}}", String(STOCK_LOOK_BACK_DAYS))
    .replaceAll("{{dataset}}", dataset);
}

type Cell = unknown;
const text = (v: Cell) => (v === null || v === undefined ? null : String(v));
const bool = (v: Cell) => (v === null || v === undefined ? null : v === true || v === "true");

/** A row of the query as an observation; `time` turns an engine's timestamp into UTC ISO with milliseconds. */
export function stockObservationOf(
  row: Record<string, Cell>,
  day: string,
  time: (v: Cell) => string,
): StockObservation {
  return {
    site: String(row.site),
    subject: row.subject === "product" ? "product" : "item",
    item_id: text(row.item_id),
    product_id: text(row.product_id),
    title: String(row.title),
    available: bool(row.available) ?? false,
    available_quantity: row.available_quantity === null || row.available_quantity === undefined
      ? null
      : Number(row.available_quantity),
    price: row.price === null || row.price === undefined ? null : Number(row.price).toFixed(2),
    seller: text(row.seller),
    observed_at: time(row.observed_at),
    observed_date: day,
    stock_key: String(row.stock_key),
    source: String(row.source),
    watch_id: text(row.watch_id),
    watch_run: row.watch_run === null || row.watch_run === undefined ? null : Number(row.watch_run),
    page_url: String(row.page_url),
    previous_available: bool(row.previous_available),
    previous_at: row.previous_at === null || row.previous_at === undefined ? null : time(row.previous_at),
  };
}
