/** The `daily_offers` table for DuckDB, generated from the same column list as BigQuery's. */
import { DAILY_OFFERS_COLUMNS, DAILY_OFFERS_TABLE } from "../../shared/offer.ts";

const DUCKDB_TYPES = {
  STRING: "VARCHAR",
  INTEGER: "BIGINT",
  NUMERIC: "DECIMAL(38,9)", // BigQuery NUMERIC: 38 digits, 9 after the point
  FLOAT: "DOUBLE",
  BOOLEAN: "BOOLEAN",
  DATE: "DATE",
  TIMESTAMP: "TIMESTAMP", // UTC instants, as BigQuery's TIMESTAMP
} as const;

export const COLUMN_NAMES = Object.keys(DAILY_OFFERS_COLUMNS);

export function duckdbType(name: keyof typeof DAILY_OFFERS_COLUMNS): string {
  return DUCKDB_TYPES[DAILY_OFFERS_COLUMNS[name].type];
}

export function createTableSql(): string {
  const columns = Object.entries(DAILY_OFFERS_COLUMNS).map(([name, c]) => {
    const key = name === "offer_key" ? " PRIMARY KEY" : c.mode === "REQUIRED" ? " NOT NULL" : "";
    return `  ${name} ${DUCKDB_TYPES[c.type]}${key}`;
  });
  return `CREATE TABLE IF NOT EXISTS ${DAILY_OFFERS_TABLE.name} (\n${columns.join(",\n")}\n)`;
}

/** The `columns={…}` argument of read_json, so staged NDJSON is read with the table's types. */
export function readJsonColumnsSql(): string {
  return `{${Object.entries(DAILY_OFFERS_COLUMNS)
    .map(([name, c]) => `${name}: '${DUCKDB_TYPES[c.type]}'`)
    .join(", ")}}`;
}
