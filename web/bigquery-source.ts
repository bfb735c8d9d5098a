/**
 * The web view on BigQuery. Every query reads only the partitions it needs (the day and the 30
 * before it), answers are kept for OFERTAS_WEB_CACHE_SECONDS (the version is a time bucket), and
 * the bytes each query costs are logged. Each query is bounded (OFERTAS_WEB_MAX_BILLED_MB,
 * OFERTAS_WEB_QUERY_TIMEOUT): over a bound, a QueryLimitError, answered 503. Its service account
 * can only read the dataset.
 */
import { type ItemMatch, itemMatchesOf, type ItemSearch, webItemsSql } from "./item-search.ts";
import { log } from "../shared/log.ts";
import { BigQueryEngine, type QueryBounds } from "../query/engine.ts";
import { itemHistorySql, webDealsSql } from "../shared/sql-templates.ts";
import { itemProductSql } from "./product.ts";
import { textOrNull } from "./row-values.ts";
import { type AlertQuery, type AlertView, alertViewsOf, webAlertsSql } from "./alerts.ts";
import { type Deal, dealOf, historyPointOf } from "./deals.ts";
import type { DealsSource, ItemHistory } from "./source.ts";
import { type ProductQuery, type ProductView, productViewOf, webProductSql } from "./product.ts";

export interface BigQuerySourceOptions {
  projectId: string;
  dataset: string;
  location: string;
  apiEndpoint?: string;
  cacheSeconds: number;
  /** What one query may bill and take (default: the BigQuery bounds settings). */
  bounds?: QueryBounds;
}

export class BigQuerySource implements DealsSource {
  readonly kind = "bigquery";
  private readonly engine: BigQueryEngine;

  constructor(private readonly options: BigQuerySourceOptions) {
    this.engine = new BigQueryEngine(options);
  }

  version(): Promise<string> {
    return Promise.resolve(String(Math.floor(Date.now() / (this.options.cacheSeconds * 1000))));
  }

  async deals(day: string): Promise<Deal[]> {
    return (await this.query("deals", webDealsSql("bigquery", this.dataset, day), {})).map(dealOf);
  }

  async history(site: string, itemId: string, first: string, last: string): Promise<ItemHistory> {
    const [rows, product] = await Promise.all([
      this.query("history", itemHistorySql("bigquery", this.dataset, first, last), { site, item_id: itemId }),
      this.query("item_product", itemProductSql("bigquery", this.dataset, first, last), { site, item_id: itemId }),
    ]);
    return { site, item_id: itemId, points: rows.map(historyPointOf), product_id: textOrNull(product[0]?.product_id) };
  }

  async alerts(query: AlertQuery): Promise<AlertView[]> {
    const { sql, params } = webAlertsSql("bigquery", this.dataset, query);
    return alertViewsOf(await this.query("alerts", sql, params));
  }

  async items(search: ItemSearch): Promise<ItemMatch[]> {
    const { sql, params } = webItemsSql("bigquery", this.dataset, search);
    return itemMatchesOf(await this.query("items", sql, params));
  }

  async product(q: ProductQuery): Promise<ProductView> {
    const sql = webProductSql("bigquery", this.dataset, q);
    const [days, sellers, stock, verdict] = await Promise.all([
      this.query("product", sql.days.sql, sql.days.params),
      this.query("product_sellers", sql.sellers.sql, sql.sellers.params),
      this.query("product_stock", sql.stock.sql, sql.stock.params),
      this.query("product_verdict", sql.verdict.sql, sql.verdict.params),
    ]);
    return productViewOf(q, { days, sellers, stock, verdict });
  }

  async close(): Promise<void> {}

  private get dataset() {
    return `${this.options.projectId}.${this.options.dataset}`;
  }

  private async query(what: string, sql: string, params: Record<string, string>): Promise<Record<string, unknown>[]> {
    const typed = Object.fromEntries(
      Object.entries(params).map(([k, value]) => [k, { type: "STRING" as const, value }]),
    );
    let result: Awaited<ReturnType<typeof this.engine.runWithStats>>;
    try {
      result = await this.engine.runWithStats(sql, typed);
    } catch (error) {
      // a dataset the consumer has not set up yet (before its first start) has no table yet: no rows
      if (/Not found: (Table|Dataset)|Table not found|Dataset not found/i.test((error as Error).message)) return [];
      throw error;
    }
    const { rows, stats } = result;
    log("info", "bigquery_query", {
      what,
      job_id: stats.jobId,
      bytes_processed: stats.bytesProcessed,
      bytes_billed: stats.bytesBilled,
      cache_hit: stats.cacheHit,
      ms: stats.ms,
    });
    return rows;
  }
}
