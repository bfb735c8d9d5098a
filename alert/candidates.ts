/**
 * The observations of one load, with what the rules compare them with
 * (sql/<engine>/alert_candidates.sql): the daily_offers rows at the load's Kafka positions, their
 * items' lows and previous day from item_days, and the verdict the scheduled queries' own
 * fake_discounts.sql gives each observed price. No verdict is computed in TypeScript.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { join } from "node:path";
import { openShared } from "../shared/duckdb-access.ts";
import { type LoadPositions, positionsSql } from "../shared/load-positions.ts";
import { log } from "../shared/log.ts";
import { LOCAL_DATABASE_FILE } from "../shared/warehouse-settings.ts";
import { BigQueryEngine } from "../query/engine.ts";
import { addDays, dateLiteral, type Engine, renderSql, type ReportSettings, sqlFile } from "../shared/sql-templates.ts";
import type { Observation } from "./observation.ts";
import type { ProductObservation } from "./product-observation.ts";
import { PRODUCT_TEXT_COLUMNS, productCandidatesSql, productObservationsOf } from "./product-candidates.ts";
import type { StockObservation } from "./stock-observation.ts";
import { stockCandidatesSql, stockObservationOf } from "./stock-candidates.ts";

export type { LoadPositions };

/** The lows' look-back days: 30 (the verdict's) and the new_low rules' own. */
export const lowDaysWanted = (lowDays: readonly number[]) =>
  [...new Set([30, ...lowDays])].filter((n) => Number.isInteger(n) && n >= 1 && n <= 400).sort((a, b) => a - b);

/**
 * What the candidates' queries (items' and products') fill in alike: the verdict (fake_discounts.sql
 * reading the `priced` CTE: the prior days and the observed prices), the lows' columns, the days.
 */
export function fillContext(
  sql: string,
  engine: Engine,
  dataset: string,
  day: string,
  lowDays: readonly number[],
  settings?: ReportSettings,
): string {
  const days = lowDaysWanted(lowDays);
  const historyDays = Math.max(31, ...days);
  const judged = renderSql(engine, "fake_discounts", { dataset, reportDate: day, settings, priceHistory: "priced" });
  const lowColumns = days.map((n) =>
    `${engine === "duckdb" ? "min" : "MIN"}(CASE WHEN offer_date >= ${
      dateLiteral(addDays(day, -n))
    } THEN min_price END) AS low_${n}`
  );
  const lowSelected = days.map((n) =>
    engine === "duckdb" ? `CAST(l.low_${n} AS DECIMAL(18, 2)) AS low_${n}` : `l.low_${n}`
  );
  return sql
    .replace("{{judged}}", () => judged)
    .replaceAll("{{low_columns}}", lowColumns.join(",\n    "))
    .replaceAll("{{low_selected}}", lowSelected.join(",\n  "))
    .replaceAll("{{day_before}}", dateLiteral(addDays(day, -1)))
    .replaceAll("{{day}}", dateLiteral(day))
    .replaceAll("{{history_first}}", dateLiteral(addDays(day, -historyDays)))
    .replaceAll("{{dataset}}", dataset);
}

export function alertCandidatesSql(
  engine: Engine,
  dataset: string,
  day: string,
  ranges: LoadPositions,
  lowDays: readonly number[],
  settings?: ReportSettings,
): string {
  const sql = sqlFile(engine, "alert_candidates").replaceAll("{{positions}}", positionsSql(ranges));
  return fillContext(sql, engine, dataset, day, lowDays, settings);
}

const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
const decimal = (v: unknown) => (v === null || v === undefined ? null : Number(v).toFixed(2));
const integer = (v: unknown) => (v === null || v === undefined ? null : Number(v));
/** A TIMESTAMP as the engines return it (Date, BigQueryTimestamp, text) → UTC ISO with milliseconds. */
const isoTime = (v: unknown): string => {
  const raw = v && typeof v === "object" && "value" in v ? (v as { value: unknown }).value : v;
  const text = String(raw).replace(" ", "T").replace(/\+00(:00)?$/, "Z");
  const parsed = raw instanceof Date ? raw : new Date(/Z$/.test(text) ? text : `${text}Z`);
  return parsed.toISOString();
};

/** One row of the query as an observation. */
export function observationOf(row: Record<string, unknown>, day: string, lowDays: readonly number[]): Observation {
  return {
    site: String(row.site),
    item_id: String(row.item_id),
    offer_key: String(row.offer_key),
    kafka_partition: Number(row.kafka_partition),
    kafka_offset: Number(row.kafka_offset),
    scraped_at: isoTime(row.scraped_at),
    offer_date: day,
    title: text(row.title),
    currency: text(row.currency),
    url: text(row.url),
    price: Number(row.price).toFixed(2),
    original_price: decimal(row.original_price),
    displayed_discount_pct: integer(row.displayed_discount_pct),
    watch_id: text(row.watch_id),
    watch_run: integer(row.watch_run),
    official_store: row.official_store === null || row.official_store === undefined
      ? null
      : Boolean(row.official_store),
    seller_reputation: text(row.seller_reputation),
    seller_power_status: text(row.seller_power_status),
    previous_price: decimal(row.previous_price),
    previous_day: text(
      row.previous_day && typeof row.previous_day === "object" && "value" in row.previous_day
        ? (row.previous_day as { value: unknown }).value
        : row.previous_day,
    )?.slice(0, 10) ?? null,
    lows: Object.fromEntries(lowDaysWanted(lowDays).map((n) => [n, decimal(row[`low_${n}`])])),
    verdict: text(row.verdict),
    real_discount_pct: decimal(row.real_discount_pct),
    min_price_30d: decimal(row.min_price_30d),
    history_days: integer(row.history_days),
  };
}

export interface CandidateSource {
  /** The observations a load put into daily_offers on `day`, with their context, in scrape order. */
  observations(ranges: LoadPositions, day: string, lowDays: readonly number[]): Promise<Observation[]>;
  /**
   * The load's observations on `day` of the products asked for (`site|product_id`), each with its
   * product's board (product_candidates.sql), in scrape order.
   */
  productObservations?(
    ranges: LoadPositions,
    day: string,
    lowDays: readonly number[],
    products: readonly string[],
  ): Promise<ProductObservation[]>;
  /** The stock observations a load put into stock_observations on `day`, each with its subject's previous one. */
  stockObservations?(ranges: LoadPositions, day: string): Promise<StockObservation[]>;
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

  async observations(ranges: LoadPositions, day: string, lowDays: readonly number[]): Promise<Observation[]> {
    if (ranges.length === 0) return [];
    const days = lowDaysWanted(lowDays);
    const asText = (c: string) => `CAST(${c} AS VARCHAR) AS ${c}`;
    const sql = `SELECT site, item_id, offer_key, title, currency, url, watch_id, official_store, seller_reputation,
      seller_power_status, ${
      ["price", "original_price", "previous_price", "previous_day", "verdict", "real_discount_pct", "min_price_30d"]
        .map(asText).join(", ")
    }, strftime(scraped_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS scraped_at,
      CAST(displayed_discount_pct AS INTEGER) AS displayed_discount_pct, CAST(history_days AS INTEGER) AS history_days,
      CAST(watch_run AS INTEGER) AS watch_run, CAST(kafka_partition AS INTEGER) AS kafka_partition,
      CAST(kafka_offset AS DOUBLE) AS kafka_offset, ${days.map((n) => asText(`low_${n}`)).join(", ")}
    FROM (${alertCandidatesSql("duckdb", "main", day, ranges, lowDays, this.settings)})`;
    const columns = await this.columns(sql);
    const col = (name: string) => columns[name] as Array<string | number | null>;
    const out: Observation[] = [];
    for (let i = 0; i < (columns.site?.length ?? 0); i++) {
      const str = (name: string) => (col(name)[i] ?? null) as string | null;
      const int = (name: string) => (col(name)[i] ?? null) as number | null;
      out.push({
        site: str("site")!,
        item_id: str("item_id")!,
        offer_key: str("offer_key")!,
        kafka_partition: int("kafka_partition")!,
        kafka_offset: int("kafka_offset")!,
        scraped_at: str("scraped_at")!,
        offer_date: day,
        title: str("title"),
        currency: str("currency"),
        url: str("url"),
        price: str("price")!,
        original_price: str("original_price"),
        displayed_discount_pct: int("displayed_discount_pct"),
        watch_id: str("watch_id"),
        watch_run: int("watch_run"),
        official_store: (col("official_store")[i] ?? null) as boolean | null,
        seller_reputation: str("seller_reputation"),
        seller_power_status: str("seller_power_status"),
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
  }

  async productObservations(
    ranges: LoadPositions,
    day: string,
    lowDays: readonly number[],
    products: readonly string[],
  ): Promise<ProductObservation[]> {
    if (ranges.length === 0 || products.length === 0) return [];
    const days = lowDaysWanted(lowDays);
    const asText = (c: string) => `CAST(${c} AS VARCHAR) AS ${c}`;
    const sql = `SELECT site, product_id, observed_item_id, offer_key, watch_id, item_id, title, currency, url, seller,
      official_store, seller_reputation, seller_power_status, ${[...PRODUCT_TEXT_COLUMNS].map(asText).join(", ")},
      strftime(scraped_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS scraped_at, CAST(watch_run AS INTEGER) AS watch_run,
      CAST(displayed_discount_pct AS INTEGER) AS displayed_discount_pct, CAST(history_days AS INTEGER) AS history_days,
      ${days.map((n) => asText(`low_${n}`)).join(", ")}
    FROM (${productCandidatesSql("duckdb", "main", day, ranges, lowDays, products, this.settings)})`;
    const columns = await this.columns(sql);
    const names = Object.keys(columns);
    const rows = Array.from(
      { length: columns.site?.length ?? 0 },
      (_, i) => Object.fromEntries(names.map((n) => [n, columns[n]![i] ?? null])),
    );
    return productObservationsOf(rows, day, lowDays, String);
  }

  async stockObservations(ranges: LoadPositions, day: string): Promise<StockObservation[]> {
    if (ranges.length === 0) return [];
    const ms = (c: string) => `strftime(${c}, '%Y-%m-%dT%H:%M:%S.%gZ') AS ${c}`;
    const sql = `SELECT * REPLACE (${ms("observed_at")}, ${ms("previous_at")}, CAST(price AS VARCHAR) AS price,
      CAST(available_quantity AS INTEGER) AS available_quantity, CAST(watch_run AS INTEGER) AS watch_run)
    FROM (${stockCandidatesSql("duckdb", "main", day, ranges)})`;
    const columns = await this.columns(sql);
    const names = Object.keys(columns);
    return Array.from(
      { length: columns.site?.length ?? 0 },
      (_, i) => stockObservationOf(Object.fromEntries(names.map((n) => [n, columns[n]![i] ?? null])), day, String),
    );
  }

  /** A query's answer, column by column, read a moment at a time (a waiting load goes first). */
  private async columns(sql: string): Promise<Record<string, unknown[]>> {
    const instance = await openShared(
      this.databasePath,
      () => DuckDBInstance.create(this.databasePath, { access_mode: "READ_ONLY", threads: "2" }),
      30_000,
    );
    try {
      const connection = await instance.connect();
      try {
        return (await connection.runAndReadAll(sql)).getColumnsObject() as Record<string, unknown[]>;
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

  async observations(ranges: LoadPositions, day: string, lowDays: readonly number[]): Promise<Observation[]> {
    if (ranges.length === 0) return [];
    const dataset = `${this.options.projectId}.${this.options.dataset}`;
    const { rows, stats } = await this.engine.runWithStats(
      alertCandidatesSql("bigquery", dataset, day, ranges, lowDays, this.settings),
    );
    log("info", "bigquery_query", {
      what: "alert_candidates",
      day,
      job_id: stats.jobId,
      bytes_processed: stats.bytesProcessed,
      bytes_billed: stats.bytesBilled,
      ms: stats.ms,
    });
    return rows.map((row) => observationOf(row, day, lowDays));
  }

  async productObservations(
    ranges: LoadPositions,
    day: string,
    lowDays: readonly number[],
    products: readonly string[],
  ): Promise<ProductObservation[]> {
    if (ranges.length === 0 || products.length === 0) return [];
    const dataset = `${this.options.projectId}.${this.options.dataset}`;
    const { rows, stats } = await this.engine.runWithStats(
      productCandidatesSql("bigquery", dataset, day, ranges, lowDays, products, this.settings),
    );
    log("info", "bigquery_query", {
      what: "product_candidates",
      day,
      job_id: stats.jobId,
      bytes_processed: stats.bytesProcessed,
      bytes_billed: stats.bytesBilled,
      ms: stats.ms,
    });
    return productObservationsOf(rows, day, lowDays, isoTime);
  }

  async stockObservations(ranges: LoadPositions, day: string): Promise<StockObservation[]> {
    if (ranges.length === 0) return [];
    const dataset = `${this.options.projectId}.${this.options.dataset}`;
    const { rows, stats } = await this.engine.runWithStats(stockCandidatesSql("bigquery", dataset, day, ranges));
    log("info", "bigquery_query", {
      what: "stock_candidates",
      day,
      job_id: stats.jobId,
      bytes_processed: stats.bytesProcessed,
      bytes_billed: stats.bytesBilled,
      ms: stats.ms,
    });
    return rows.map((row) => stockObservationOf(row, day, isoTime));
  }
}
