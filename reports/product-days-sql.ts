/**
 * product_days_fold.sql filled in for one day: the whole day, or the products a late batch brought
 * rows for. The same plan as item_days (batch/warehouse/day-folds.ts): each fold of a day writes
 * both tables, so one load closes both. Every value that goes into the SQL is checked.
 */
import { checked, type DayFold, fill, statements } from "./item-days-sql.ts";
import { dateLiteral } from "./sql-templates.ts";

const FILE = "product_days_fold";
const PLACEHOLDER = "{{products}}";

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
  const [remove, write] = statements("duckdb", FILE);
  return {
    remove: fill(remove, fold, products, PLACEHOLDER),
    write: (chunk, chunks) =>
      fill(write, fold, products, PLACEHOLDER).replaceAll(
        "{{chunk}}",
        chunks <= 1 ? "TRUE" : `hash(site, product_id) % ${Math.trunc(chunks)} = ${Math.trunc(chunk)}`,
      ),
    count:
      `SELECT count(*) AS n FROM daily_offers WHERE offer_date = ${day} AND product_id IS NOT NULL AND ${products}`,
  };
}

/**
 * BigQuery: the delete and the query whose rows are the day's (or the products') product_days;
 * `stagingTable` is the late batch's staging table, null for the whole day.
 */
export function bigqueryProductFoldSql(
  fold: DayFold,
  dataset: string,
  stagingTable: string | null,
): { remove: string; select: string } {
  checked(fold);
  const products = stagingTable === null
    ? "TRUE"
    : `CONCAT(site, '|', product_id) IN (SELECT CONCAT(site, '|', product_id) FROM ${stagingTable} WHERE offer_date = ${
      dateLiteral(fold.day)
    } AND product_id IS NOT NULL)`;
  const [remove, select] = statements("bigquery", FILE).map((sql) =>
    fill(sql, fold, products, PLACEHOLDER).replaceAll("{{dataset}}", dataset)
  );
  return { remove: remove!, select: select! };
}
