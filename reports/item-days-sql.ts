/**
 * item_days_fold.sql filled in for one day: the whole day, or the items a late batch brought rows
 * for (batch/warehouse/day-folds.ts decides which). Every value that goes into the SQL is checked.
 */
import { dateLiteral, sqlFile } from "./sql-templates.ts";

export interface DayFold {
  day: string;
  /** `day` for a whole day; the batch's id when a late batch refolds its items. */
  fold: string;
  /** When the fold ran (UTC ISO). */
  foldedAt: string;
}

/** Rows of a day per chunk of the DuckDB fold: its aggregation stays well inside the loader's 64 MB. */
export const FOLD_CHUNK_ROWS = 20_000;

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function checked(fold: DayFold): void {
  dateLiteral(fold.day);
  if (!/^(day|late:[A-Za-z0-9_-]{1,128})$/.test(fold.fold)) throw new Error(`not a fold: ${fold.fold}`);
  if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(fold.foldedAt)) throw new Error(`not a UTC time: ${fold.foldedAt}`);
}

/** The statements of a fold's SQL file (item_days_fold.sql by default): the delete, then the write. */
export function statements(engine: "duckdb" | "bigquery", file = "item_days_fold"): [string, string] {
  const [remove, write] = sqlFile(engine, file).split(/;\s*\n/).filter((sql) => /\S/.test(sql.replace(/^--.*$/gm, "")));
  return [remove!, write!];
}

export function fill(sql: string, fold: DayFold, items: string, placeholder = "{{items}}"): string {
  return sql
    .replaceAll(placeholder, () => items)
    .replaceAll("{{day}}", dateLiteral(fold.day))
    .replaceAll("{{fold}}", quote(fold.fold))
    .replaceAll("{{updated_at}}", `TIMESTAMP ${quote(fold.foldedAt)}`)
    // sent without comment lines: the BigQuery emulator answered a query with them with one row
    .replace(/^\s*--.*\n/gm, "");
}

/**
 * DuckDB: the delete and the write of `chunks` chunks; `items` is null for the whole day, or the
 * late batch's rows (their Kafka positions in daily_offers).
 */
export function duckdbFoldSql(
  fold: DayFold,
  lateRows: string | null,
): { remove: string; write: (chunk: number, chunks: number) => string; count: string } {
  checked(fold);
  const items = lateRows === null
    ? "TRUE"
    : `site || '|' || item_id IN (SELECT site || '|' || item_id FROM daily_offers WHERE offer_date = ${
      dateLiteral(fold.day)
    } AND (${lateRows}))`;
  const [remove, write] = statements("duckdb");
  return {
    remove: fill(remove, fold, items),
    write: (chunk, chunks) =>
      fill(write, fold, items).replaceAll(
        "{{chunk}}",
        chunks <= 1 ? "TRUE" : `hash(site, item_id) % ${Math.trunc(chunks)} = ${Math.trunc(chunk)}`,
      ),
    count: `SELECT count(*) AS n FROM daily_offers WHERE offer_date = ${dateLiteral(fold.day)} AND ${items}`,
  };
}

/**
 * BigQuery: the delete and the query whose rows are the day's (or the items') item_days;
 * `stagingTable` is the late batch's staging table, null for the whole day.
 */
export function bigqueryFoldSql(
  fold: DayFold,
  dataset: string,
  stagingTable: string | null,
): { remove: string; select: string } {
  checked(fold);
  const items = stagingTable === null
    ? "TRUE"
    : `CONCAT(site, '|', item_id) IN (SELECT CONCAT(site, '|', item_id) FROM ${stagingTable} WHERE offer_date = ${
      dateLiteral(fold.day)
    })`;
  const [remove, select] = statements("bigquery").map((sql) =>
    fill(sql, fold, items).replaceAll("{{dataset}}", dataset)
  );
  return { remove: remove!, select: select! };
}
