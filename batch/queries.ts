/**
 * Runs the project's questions against the warehouse the consumer loads:
 *   bun run batch/queries.ts <name> [--date YYYY-MM-DD] [--json] [--param key=value …]
 *
 * With OFERTAS_WAREHOUSE=local (the default) it reads the DuckDB file in OFERTAS_LOCAL_DIR;
 * with OFERTAS_WAREHOUSE=bigquery it runs the BigQuery SQL in OFERTAS_BQ_PROJECT/DATASET.
 * `--date` is the São Paulo day to report on (default: today there).
 */
import process from "node:process";
import { offerDate } from "../shared/timestamp.ts";
import { consumerSettingsFromEnv } from "./consumer-config.ts";
import { QUERIES, queryParams, type QueryName } from "./query-catalog.ts";
import { BigQueryEngine, DuckDbEngine, querySql, type QueryEngine, type Row } from "./query-engine.ts";

export function formatTable(rows: Row[]): string {
  if (rows.length === 0) return "(no rows)";
  const columns = Object.keys(rows[0]!);
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  };
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join("\n");
}

function usage(message: string): never {
  console.error(`${message}\nusage: batch/queries.ts <${Object.keys(QUERIES).join("|")}> [--date YYYY-MM-DD] [--json] [--param key=value]`);
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

  const settings = consumerSettingsFromEnv(process.env);
  let engine: QueryEngine;
  let dataset: string;
  if (settings.warehouse.kind === "local") {
    engine = await DuckDbEngine.open(settings.warehouse.local.root).catch((error) => {
      throw new Error(`cannot open the local warehouse in ${settings.warehouse.kind === "local" ? settings.warehouse.local.root : ""} (has the consumer loaded anything yet?): ${error.message}`);
    });
    dataset = "main";
  } else {
    const bq = settings.warehouse.bigquery;
    engine = new BigQueryEngine({ projectId: bq.projectId, location: bq.location, apiEndpoint: bq.bigqueryEndpoint });
    dataset = `${bq.projectId}.${bq.dataset}`;
  }
  try {
    const rows = await engine.run(querySql(engine.kind, name as QueryName, dataset), queryParams(name as QueryName, date, overrides));
    console.log(asJson ? JSON.stringify(rows, null, 2) : formatTable(rows));
    return 0;
  } finally {
    await engine.close();
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
