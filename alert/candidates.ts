/**
 * The items a load touched, with what the rules compare (sql/<engine>/alert_candidates.sql):
 * lows and verdicts come from SQL, the scheduled queries' own fake_discounts.sql for the verdict,
 * read from item_days (the per-item-per-day summary the loads keep) for these items only.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { join } from "node:path";
import { openShared } from "../shared/duckdb-access.ts";
import { log } from "../shared/log.ts";
import { LOCAL_DATABASE_FILE } from "../shared/warehouse-settings.ts";
import { BigQueryEngine } from "../reports/query-engine.ts";
import {
  addDays,
  dateLiteral,
  type Engine,
  renderSql,
  type ReportSettings,
  sqlFile,
} from "../reports/sql-templates.ts";

export interface Candidate {
  site: string;
  item_id: string;
  title: string | null;
  currency: string | null;
  url: string | null;
  price: string;
  original_price: string | null;
  displayed_discount_pct: number | null;
  watch_ids: string[];
  previous_price: string | null;
  previous_day: string | null;
  /** Lowest price of the prior N days, per N the rules ask for (null: no such days). */
  lows: Record<number, string | null>;
  verdict: string | null;
  real_discount_pct: string | null;
  min_price_30d: string | null;
  history_days: number | null;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function alertCandidatesSql(
  engine: Engine,
  dataset: string,
  day: string,
  batchId: string,
  lowDays: readonly number[],
  settings?: ReportSettings,
): string {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(batchId)) throw new Error(`not a batch id: ${batchId}`);
  const days = [...new Set([30, ...lowDays])].filter((n) => Number.isInteger(n) && n >= 1 && n <= 400).sort((a, b) =>
    a - b
  );
  const historyDays = Math.max(31, ...days);
  // fake_discounts.sql reads its price history from the `history` CTE: the touched items' days only
  const judged = renderSql(engine, "fake_discounts", { dataset, reportDate: day, settings, priceHistory: "history" });
  const lowColumns = days.map((n) =>
    `min(CASE WHEN offer_date >= ${dateLiteral(addDays(day, -n))} THEN min_price END) AS low_${n}`
  );
  const lowSelected = days.map((n) =>
    engine === "duckdb" ? `CAST(l.low_${n} AS DECIMAL(18, 2)) AS low_${n}` : `l.low_${n}`
  );
  return sqlFile(engine, "alert_candidates")
    .replace("{{judged}}", () => judged)
    .replaceAll("{{low_columns}}", lowColumns.join(",\n    "))
    .replaceAll("{{low_selected}}", lowSelected.join(",\n  "))
    .replaceAll("{{day}}", dateLiteral(day))
    .replaceAll("{{history_first}}", dateLiteral(addDays(day, -historyDays)))
    .replaceAll("{{batch_id}}", quote(batchId))
    .replaceAll("{{dataset}}", dataset);
}

const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
const decimal = (v: unknown) => (v === null || v === undefined ? null : Number(v).toFixed(2));

export function candidateOf(row: Record<string, unknown>, lowDays: readonly number[]): Candidate {
  return {
    site: String(row.site),
    item_id: String(row.item_id),
    title: text(row.title),
    currency: text(row.currency),
    url: text(row.url),
    price: Number(row.price).toFixed(2),
    original_price: decimal(row.original_price),
    displayed_discount_pct: row.displayed_discount_pct === null ? null : Number(row.displayed_discount_pct),
    watch_ids: Array.isArray(row.watch_ids) ? row.watch_ids.map(String) : [],
    previous_price: decimal(row.previous_price),
    previous_day: text(row.previous_day)?.slice(0, 10) ?? null,
    lows: Object.fromEntries([...new Set([30, ...lowDays])].map((n) => [n, decimal(row[`low_${n}`])])),
    verdict: text(row.verdict),
    real_discount_pct: decimal(row.real_discount_pct),
    min_price_30d: decimal(row.min_price_30d),
    history_days: row.history_days === null || row.history_days === undefined ? null : Number(row.history_days),
  };
}

export interface CandidateSource {
  candidates(batchId: string, day: string, lowDays: readonly number[]): Promise<Candidate[]>;
}

/**
 * The local DuckDB file, read as the web view reads it: a moment at a time, a waiting load first.
 * The rows come back as text and small integers, column by column: converting 50,000 rows of
 * DuckDB values one object at a time cost three times the query itself.
 */
export class DuckDbCandidates implements CandidateSource {
  private readonly databasePath: string;

  constructor(root: string, private readonly settings?: ReportSettings) {
    this.databasePath = join(root, LOCAL_DATABASE_FILE);
  }

  async candidates(batchId: string, day: string, lowDays: readonly number[]): Promise<Candidate[]> {
    const days = [...new Set([30, ...lowDays])];
    const text = (c: string) => `CAST(${c} AS VARCHAR) AS ${c}`;
    const sql = `SELECT site, item_id, title, currency, url, ${
      ["price", "original_price", "previous_price", "previous_day", "verdict", "real_discount_pct", "min_price_30d"]
        .map(text).join(", ")
    }, CAST(displayed_discount_pct AS INTEGER) AS displayed_discount_pct, CAST(history_days AS INTEGER) AS history_days,
      array_to_string(watch_ids, ',') AS watch_ids, ${days.map((n) => text(`low_${n}`)).join(", ")}
    FROM (${alertCandidatesSql("duckdb", "main", day, batchId, lowDays, this.settings)})`;
    const instance = await openShared(
      this.databasePath,
      () => DuckDBInstance.create(this.databasePath, { access_mode: "READ_ONLY", threads: "2" }),
      30_000,
    );
    try {
      const connection = await instance.connect();
      try {
        const columns = (await connection.runAndReadAll(sql)).getColumnsObject() as Record<string, unknown[]>;
        const col = (name: string) => columns[name] as Array<string | number | null>;
        const out: Candidate[] = [];
        for (let i = 0; i < (columns.site?.length ?? 0); i++) {
          const str = (name: string) => (col(name)[i] ?? null) as string | null;
          const int = (name: string) => (col(name)[i] ?? null) as number | null;
          const watchIds = str("watch_ids");
          out.push({
            site: str("site")!,
            item_id: str("item_id")!,
            title: str("title"),
            currency: str("currency"),
            url: str("url"),
            price: str("price")!,
            original_price: str("original_price"),
            displayed_discount_pct: int("displayed_discount_pct"),
            watch_ids: watchIds ? watchIds.split(",") : [],
            previous_price: str("previous_price"),
            previous_day: str("previous_day"),
            lows: Object.fromEntries(days.map((n) => [n, str(`low_${n}`)])),
            verdict: str("verdict"),
            real_discount_pct: str("real_discount_pct"),
            min_price_30d: str("min_price_30d"),
            history_days: int("history_days"),
          });
        }
        return out;
      } finally {
        connection.closeSync();
      }
    } finally {
      instance.closeSync();
    }
  }
}

/** BigQuery: every query filters on partitions, and what each evaluation read is logged. */
export class BigQueryCandidates implements CandidateSource {
  private readonly engine: BigQueryEngine;

  constructor(
    private readonly options: { projectId: string; dataset: string; location: string; apiEndpoint?: string },
    private readonly settings?: ReportSettings,
  ) {
    this.engine = new BigQueryEngine(options);
  }

  async candidates(batchId: string, day: string, lowDays: readonly number[]): Promise<Candidate[]> {
    const dataset = `${this.options.projectId}.${this.options.dataset}`;
    const { rows, stats } = await this.engine.runWithStats(
      alertCandidatesSql("bigquery", dataset, day, batchId, lowDays, this.settings),
    );
    log("info", "bigquery_query", {
      what: "alert_candidates",
      batch_id: batchId,
      day,
      job_id: stats.jobId,
      bytes_processed: stats.bytesProcessed,
      bytes_billed: stats.bytesBilled,
      ms: stats.ms,
    });
    return rows.map((row) => candidateOf(row, lowDays));
  }
}
