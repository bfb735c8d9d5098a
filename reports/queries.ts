/**
 * Runs the project's questions against the warehouse the consumer loads:
 *   bun run reports/queries.ts <name> [--date YYYY-MM-DD] [--json] [--param key=value …]
 *
 * names: daily_offers (ad hoc), price_history, fake_discounts, daily_top_deals (the scheduled
 * queries: recomputed for the report day and what it depends on, like a backfill, then printed),
 * item_details and deals_by_category (product details; verdicts computed for the day).
 * params: tolerance_pct (5), min_history_days (7), top_n (20).
 *
 * With OFERTAS_WAREHOUSE=local (the default) it uses the DuckDB file in OFERTAS_LOCAL_DIR;
 * with OFERTAS_WAREHOUSE=bigquery the BigQuery SQL in OFERTAS_BQ_PROJECT/DATASET.
 * `--date` is the São Paulo day to report on (default: today there).
 */
import process from "node:process";
import { offerDate } from "../shared/timestamp.ts";
import { retry } from "../shared/retry.ts";
import { warehouseLocationFromEnv } from "../shared/warehouse-settings.ts";
import { isScheduled, QUERIES, type QueryName, reportSettings } from "./query-catalog.ts";
import { BigQueryEngine, DuckDbEngine, type QueryEngine, querySql, type Row } from "../query/engine.ts";
import { DEFAULT_REPORT_SETTINGS, materializeReport, readReport } from "./scheduled-queries.ts";
import { dealsByCategorySql, itemDetailsSql } from "../shared/sql-templates.ts";

export function formatTable(rows: Row[]): string {
  if (rows.length === 0) return "(no rows)";
  const columns = Object.keys(rows[0]!);
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  };
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join("  ").trimEnd();
  return [
    line(columns),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map((r) => line(columns.map((c) => cell(r[c])))),
  ].join("\n");
}

function usage(message: string): never {
  const names = Object.entries(QUERIES).map(([n, d]) => `  ${n.padEnd(16)} ${d}`).join("\n");
  console.error(
    `${message}\nusage: reports/queries.ts <name> [--date YYYY-MM-DD] [--json] [--param tolerance_pct=5|min_history_days=7|top_n=20]\n${names}`,
  );
  process.exit(2);
}

async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (!name || !(name in QUERIES)) usage(name ? `unknown query "${name}"` : "which query?");
  let date = offerDate(new Date().toISOString().replace(/\.\d+Z$/, "Z"));
  let asJson = false;
  const overrides: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    if (flag === "--json") asJson = true;
    else if (flag === "--date" && /^\d{4}-\d{2}-\d{2}$/.test(rest[i + 1] ?? "")) date = rest[++i]!;
    else if (flag === "--param" && /^[a-z_]+=.+$/.test(rest[i + 1] ?? "")) {
      const [k, v] = rest[++i]!.split("=") as [string, string];
      overrides[k] = v;
    } else usage(`bad option ${flag}`);
  }

  const query = name as QueryName;
  const report = reportSettings(DEFAULT_REPORT_SETTINGS, overrides);
  const takesParams = isScheduled(query) || query === "deals_by_category";
  if (!takesParams && Object.keys(overrides).length) usage(`${query} takes no --param`);
  // only where the warehouse is: the reports never touch the consumer's staging bucket
  const where = warehouseLocationFromEnv(process.env);
  let engine: QueryEngine;
  let dataset: string;
  if (where.kind === "local") {
    engine = await openLocal(where.localDir, isScheduled(query));
    dataset = "main";
  } else {
    const bq = where;
    engine = new BigQueryEngine({ projectId: bq.projectId, location: bq.location, apiEndpoint: bq.bigqueryEndpoint });
    dataset = `${bq.projectId}.${bq.dataset}`;
  }
  try {
    let rows: Row[];
    if (isScheduled(query)) {
      await materializeReport(engine, query, dataset, date, report);
      rows = await readReport(engine, query, dataset, date);
    } else if (query === "item_details") {
      rows = await engine.run(itemDetailsSql(engine.kind, dataset, date));
    } else if (query === "deals_by_category") {
      rows = await engine.run(dealsByCategorySql(engine.kind, dataset, date, report));
    } else {
      rows = await engine.run(querySql(engine.kind, query, dataset), { report_date: { type: "DATE", value: date } });
    }
    console.log(asJson ? JSON.stringify(rows, null, 2) : formatTable(rows));
    return 0;
  } finally {
    await engine.close();
  }
}

/** The local warehouse, read-only unless the query writes; the consumer may hold it for a moment. */
async function openLocal(root: string, write: boolean): Promise<DuckDbEngine> {
  try {
    return await retry(() => DuckDbEngine.open(root, { readOnly: !write }), {
      attempts: 50,
      backoff: { baseMs: 200, maxMs: 200, jitter: "none" },
      retryable: (error) => /lock/i.test((error as Error).message),
    });
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(`cannot open the local warehouse in ${root} (has the consumer loaded anything yet?): ${message}`);
  }
}

if (import.meta.main) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
