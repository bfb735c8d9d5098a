/**
 * Runs the scheduled queries the way BigQuery's scheduler does, on either engine. For one
 * report day it replaces that day's partition of the destination table with the query's
 * result (delete + insert, the equivalent of WRITE_TRUNCATE on a partition decorator). Used by
 * `reports/queries.ts` (locally, and as a backfill on BigQuery) and by the tests. In production,
 * the BigQuery Data Transfer Service runs the same SQL files (terraform/scheduled_queries.tf).
 */
import { DAILY_TOP_DEALS, FAKE_DISCOUNTS, PRICE_HISTORY, PRODUCT_DISCOUNTS, type TableSpec } from "../shared/tables.ts";
import { productDiscountsSql } from "./product-verdict-sql.ts";
import type { QueryEngine } from "../query/engine.ts";
import { addDays, DEFAULT_REPORT_SETTINGS, renderSql, type ReportSettings } from "../shared/sql-templates.ts";

export { addDays, DEFAULT_REPORT_SETTINGS, type ReportSettings };
import { createTableSql } from "../shared/duckdb-schema.ts";

export const SCHEDULED_QUERIES = ["price_history", "fake_discounts", "daily_top_deals", "product_discounts"] as const;
export type ScheduledQuery = (typeof SCHEDULED_QUERIES)[number];

const TABLE_OF: Record<ScheduledQuery, TableSpec> = {
  price_history: PRICE_HISTORY,
  fake_discounts: FAKE_DISCOUNTS,
  daily_top_deals: DAILY_TOP_DEALS,
  product_discounts: PRODUCT_DISCOUNTS,
};

/** A scheduled query's SELECT for report day `reportDate` (the scheduler's @run_date is the day after). */
export function scheduledSql(
  engine: QueryEngine["kind"],
  name: ScheduledQuery,
  dataset: string,
  reportDate: string,
  settings: ReportSettings,
): string {
  // the product verdict is made of other files: fake_discounts.sql over product_history.sql
  if (name === "product_discounts") return productDiscountsSql(engine, dataset, reportDate, settings);
  return renderSql(engine, name, { dataset, reportDate, settings });
}

const BIGQUERY_TYPES: Record<string, string> = {
  STRING: "STRING",
  INTEGER: "INT64",
  NUMERIC: "NUMERIC",
  FLOAT: "FLOAT64",
  BOOLEAN: "BOOL",
  DATE: "DATE",
  TIMESTAMP: "TIMESTAMP",
};

export function bigQueryDdl(table: TableSpec, dataset: string): string {
  const columns = Object.entries(table.columns).map(([name, col]) => {
    const type = BIGQUERY_TYPES[col.type]!;
    return `  ${name} ${col.mode === "REPEATED" ? `ARRAY<${type}>` : type}${
      col.mode === "REQUIRED" ? " NOT NULL" : ""
    }`;
  });
  return `CREATE TABLE IF NOT EXISTS \`${dataset}.${table.name}\` (\n${
    columns.join(",\n")
  }\n)\nPARTITION BY ${table.partitionField}\nCLUSTER BY ${table.clusteringFields.join(", ")}`;
}

async function ensureTable(engine: QueryEngine, table: TableSpec, dataset: string): Promise<void> {
  try {
    await engine.run(engine.kind === "bigquery" ? bigQueryDdl(table, dataset) : createTableSql(table));
  } catch (error) {
    // the BigQuery emulator answers CREATE TABLE IF NOT EXISTS on an existing table with
    // "table is already created"; BigQuery itself never does
    if (!/already (created|exists)/.test((error as Error).message)) throw error;
  }
}

/** Replaces the report day's partition of the query's table with the query's result. */
export async function materialize(
  engine: QueryEngine,
  name: ScheduledQuery,
  dataset: string,
  reportDate: string,
  settings: ReportSettings,
): Promise<void> {
  const table = TABLE_OF[name];
  await ensureTable(engine, table, dataset);
  const target = engine.kind === "bigquery" ? `\`${dataset}.${table.name}\`` : `${dataset}.${table.name}`;
  const columns = Object.keys(table.columns).join(", ");
  await engine.run(`DELETE FROM ${target} WHERE offer_date = DATE '${reportDate}'`);
  await engine.run(
    `INSERT INTO ${target} (${columns})\n${scheduledSql(engine.kind, name, dataset, reportDate, settings)}`,
  );
}

/**
 * Recomputes what a report depends on (price history of the prior 30 days), then the report. The
 * product verdict depends on product_days, which the loads keep: it is computed alone.
 */
export async function materializeReport(
  engine: QueryEngine,
  name: ScheduledQuery,
  dataset: string,
  reportDate: string,
  settings: ReportSettings,
): Promise<void> {
  if (name === "product_discounts") return await materialize(engine, name, dataset, reportDate, settings);
  const historyDays = name === "price_history"
    ? [reportDate]
    : Array.from({ length: 31 }, (_, i) => addDays(reportDate, i - 30));
  for (const day of historyDays) await materialize(engine, "price_history", dataset, day, settings);
  if (name === "fake_discounts" || name === "daily_top_deals") {
    await materialize(engine, "fake_discounts", dataset, reportDate, settings);
  }
  if (name === "daily_top_deals") await materialize(engine, "daily_top_deals", dataset, reportDate, settings);
}

/** The report's rows for the day, from its table. */
export async function readReport(engine: QueryEngine, name: ScheduledQuery, dataset: string, reportDate: string) {
  const table = TABLE_OF[name];
  const target = engine.kind === "bigquery" ? `\`${dataset}.${table.name}\`` : `${dataset}.${table.name}`;
  const order = name === "daily_top_deals"
    ? "rank_overall"
    : name === "product_discounts"
    ? "site, product_id"
    : "site, item_id";
  // money and percentages have two places; DuckDB would print NUMERIC(38,9) with nine
  const columns = Object.entries(table.columns)
    .map((
      [column, spec],
    ) => (engine.kind === "duckdb" && spec.type === "NUMERIC"
      ? `CAST(${column} AS DECIMAL(38, 2)) AS ${column}`
      : column)
    )
    .join(", ");
  return engine.run(`SELECT ${columns} FROM ${target} WHERE offer_date = DATE '${reportDate}' ORDER BY ${order}`);
}
