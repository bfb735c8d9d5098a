/**
 * item_days_fold.sql filled in: on DuckDB for one day, on BigQuery for all the days one load folds;
 * whole days, or the items a late batch brought rows for (batch/warehouse/day-folds.ts decides which). Every value that goes into the SQL is checked.
 */
import { dateLiteral, sqlFile } from "../shared/sql-templates.ts";

export interface DayFold {
  day: string;
  /** `day` for a whole day; the batch's id when a late batch refolds its items. */
  fold: string;
  /** When the fold ran (UTC ISO). */
  foldedAt: string;
}

/** Days folded in one BigQuery job: whole days, or a late batch's items on the days it touched. */
export interface DaysFold {
  days: readonly string[];
  fold: string;
  foldedAt: string;
}

/** Rows of a day per chunk of the DuckDB fold: its aggregation stays well inside the loader's 64 MB. */
export const FOLD_CHUNK_ROWS = 20_000;

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function checked(fold: DayFold | DaysFold): void {
  if (!daysOf(fold).length) throw new Error("a fold of no day");
  daysOf(fold).forEach(dateLiteral);
  if (!/^(day|late:[A-Za-z0-9_-]{1,128})$/.test(fold.fold)) throw new Error(`not a fold: ${fold.fold}`);
  if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(fold.foldedAt)) throw new Error(`not a UTC time: ${fold.foldedAt}`);
}

/** The statements of a fold's SQL file (item_days_fold.sql by default): the delete, then the write. */
export function statements(engine: "duckdb" | "bigquery", file = "item_days_fold"): [string, string] {
  const [remove, write] = sqlFile(engine, file).split(/;\s*\n/).filter((sql) => /\S/.test(sql.replace(/^--.*$/gm, "")));
  return [remove!, write!];
}

const daysOf = (fold: DayFold | DaysFold): readonly string[] => ("days" in fold ? fold.days : [fold.day]);

/** The days of a fold as a list of DATE literals (for `offer_date IN (…)`). */
export const dayList = (fold: DayFold | DaysFold): string => daysOf(fold).map(dateLiteral).join(", ");

export function fill(sql: string, fold: DayFold | DaysFold, items: string, placeholder = "{{items}}"): string {
  return sql
    .replaceAll(placeholder, () => items)
    .replaceAll("{{days}}", () => dayList(fold))
    .replaceAll("{{day}}", () => dateLiteral(daysOf(fold)[0]!))
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

/** A late batch's (day, site, key) pairs in its staging table, as BigQuery (and the emulator: IN, no JOIN) matches them. */
export function lateKeys(key: "item_id" | "product_id", fold: DaysFold, stagingTable: string): string {
  const pair = `CONCAT(CAST(offer_date AS STRING), '|', site, '|', ${key})`;
  return `${pair} IN (SELECT ${pair} FROM ${stagingTable} WHERE offer_date IN (${
    dayList(fold)
  }) AND ${key} IS NOT NULL)`;
}

/**
 * BigQuery: the delete and the query whose rows are the days' (or the items') item_days;
 * `stagingTable` is the late batch's staging table, null for whole days.
 */
export function bigqueryFoldSql(
  fold: DaysFold,
  dataset: string,
  stagingTable: string | null,
): { remove: string; select: string } {
  checked(fold);
  const items = stagingTable === null ? "TRUE" : lateKeys("item_id", fold, stagingTable);
  const [remove, select] = statements("bigquery").map((sql) =>
    fill(sql, fold, items).replaceAll("{{dataset}}", dataset)
  );
  return { remove: remove!, select: select! };
}
