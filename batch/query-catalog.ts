/**
 * The questions the project answers, their parameters, and how a report date becomes them.
 * SQL lives in sql/bigquery/<name>.sql and its DuckDB twin sql/duckdb/<name>.sql.
 */
import type { Params } from "./query-engine.ts";

interface QuerySpec {
  description: string;
  /** Parameters for the report on São Paulo day `date`, with their defaults. */
  params(date: string): Params;
}

export const QUERIES = {
  daily_offers: {
    description: "What the consumer loaded for a day, per site.",
    params: (date) => ({ report_date: { type: "DATE", value: date } }),
  },
} satisfies Record<string, QuerySpec>;

export type QueryName = keyof typeof QUERIES;

export function queryParams(name: QueryName, date: string, overrides: Record<string, string> = {}): Params {
  const params = (QUERIES[name] as QuerySpec).params(date);
  for (const [key, value] of Object.entries(overrides)) {
    const param = params[key];
    if (!param) throw new Error(`query ${name} has no parameter "${key}" (it has: ${Object.keys(params).join(", ")})`);
    const numeric = param.type === "INT64" || param.type === "FLOAT64";
    if (numeric && !Number.isFinite(Number(value))) throw new Error(`parameter ${key} must be a number`);
    params[key] = { type: param.type, value: numeric ? Number(value) : value };
  }
  return params;
}
