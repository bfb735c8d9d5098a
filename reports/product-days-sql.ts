/**
 * product_days folded for one day: the day's (or a late batch's products') rows deleted, then
 * product_day_summary.sql's rows written. The same plan as item_days (batch/warehouse/day-folds.ts):
 * each fold of a day writes both tables, so one load closes both. Every value that goes into the
 * SQL is checked.
 */
import { PRODUCT_DAYS } from "../shared/tables.ts";
import { checked, type DayFold, dayList, type DaysFold, lateKeys } from "./item-days-sql.ts";
import { dateLiteral, sqlFile } from "../shared/sql-templates.ts";

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** product_day_summary.sql for a day (on BigQuery, days): `products` filters them (TRUE for all), `chunk` on DuckDB. */
export function productDaySummarySql(
  engine: "duckdb" | "bigquery",
  fold: DayFold | DaysFold,
  products: string,
  chunk = "TRUE",
): string {
  checked(fold);
  return sqlFile(engine, "product_day_summary")
    .replaceAll("{{products}}", () => products)
    .replaceAll("{{chunk}}", () => chunk)
    .replaceAll("{{days}}", () => dayList(fold))
    .replaceAll("{{day}}", () => dayList(fold))
    .replaceAll("{{fold}}", quote(fold.fold))
    .replaceAll("{{updated_at}}", `TIMESTAMP ${quote(fold.foldedAt)}`)
    // sent without comment lines: the BigQuery emulator answered a query with them with one row
    .replace(/^\s*--.*\n/gm, "");
}

const remove = (table: string, fold: DayFold | DaysFold, products: string) =>
  `DELETE FROM ${table} WHERE offer_date IN (${dayList(fold)}) AND ${products}`;

/**
 * DuckDB: the delete and the write of `chunks` chunks (a hash of the product); `lateRows` is null
 * for the whole day, or the late batch's rows (their Kafka positions in daily_offers).
 */
export function duckdbProductFoldSql(
  fold: DayFold,
  lateRows: string | null,
): { remove: string; write: (chunk: number, chunks: number) => string; count: string } {
  checked(fold);
  const day = dateLiteral(fold.day);
  const products = lateRows === null
    ? "TRUE"
    : `site || '|' || product_id IN (SELECT site || '|' || product_id FROM daily_offers WHERE offer_date = ${day} AND product_id IS NOT NULL AND (${lateRows}))`;
  const columns = Object.keys(PRODUCT_DAYS.columns).join(", ");
  return {
    remove: remove(PRODUCT_DAYS.name, fold, products),
    write: (chunk, chunks) =>
      `INSERT INTO ${PRODUCT_DAYS.name} (${columns})\n${
        productDaySummarySql(
          "duckdb",
          fold,
          products,
          chunks <= 1 ? "TRUE" : `hash(site, product_id) % ${Math.trunc(chunks)} = ${Math.trunc(chunk)}`,
        )
      }`,
    count:
      `SELECT count(*) AS n FROM daily_offers WHERE offer_date = ${day} AND product_id IS NOT NULL AND ${products}`,
  };
}

/**
 * BigQuery: the delete and the query whose rows are the days' (or the products') product_days;
 * `stagingTable` is the late batch's staging table, null for whole days.
 */
export function bigqueryProductFoldSql(
  fold: DaysFold,
  dataset: string,
  stagingTable: string | null,
): { remove: string; select: string } {
  checked(fold);
  const products = stagingTable === null ? "TRUE" : lateKeys("product_id", fold, stagingTable);
  return {
    remove: remove(`\`${dataset}.${PRODUCT_DAYS.name}\``, fold, products),
    select: productDaySummarySql("bigquery", fold, products).replaceAll("{{dataset}}", dataset),
  };
}
