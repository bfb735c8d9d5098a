/**
 * The web view on BigQuery. Every query reads only the partitions it needs (the day and the 30
 * before it), answers are kept for OFERTAS_WEB_CACHE_SECONDS (the version is a time bucket), and
 * the bytes each query costs are logged. Its service account can only read the dataset.
 */
import { BigQuery } from "@google-cloud/bigquery";
import { log } from "../shared/log.ts";
import { plain } from "../reports/query-engine.ts";
import { itemHistorySql, webDealsSql } from "../reports/sql-templates.ts";
import { type Deal, dealOf, historyPointOf } from "./deals.ts";
import type { DealsSource, ItemHistory } from "./source.ts";

export interface BigQuerySourceOptions {
  projectId: string;
  dataset: string;
  location: string;
  apiEndpoint?: string;
  cacheSeconds: number;
}

export class BigQuerySource implements DealsSource {
  readonly kind = "bigquery";
  private readonly client: BigQuery;

  constructor(private readonly options: BigQuerySourceOptions) {
    this.client = new BigQuery({
      projectId: options.projectId,
      location: options.location,
      apiEndpoint: options.apiEndpoint,
    });
  }

  version(): Promise<string> {
    return Promise.resolve(String(Math.floor(Date.now() / (this.options.cacheSeconds * 1000))));
  }

  async deals(day: string): Promise<Deal[]> {
    return (await this.query("deals", webDealsSql("bigquery", this.dataset, day), {})).map(dealOf);
  }

  async history(site: string, itemId: string, first: string, last: string): Promise<ItemHistory> {
    const rows = await this.query("history", itemHistorySql("bigquery", this.dataset, first, last), {
      site,
      item_id: itemId,
    });
    return { site, item_id: itemId, points: rows.map(historyPointOf) };
  }

  async close(): Promise<void> {}

  private get dataset() {
    return `${this.options.projectId}.${this.options.dataset}`;
  }

  private async query(what: string, sql: string, params: Record<string, string>): Promise<Record<string, unknown>[]> {
    const started = performance.now();
    const [job] = await this.client.createQueryJob({ query: sql, params, location: this.options.location });
    const [rows] = await job.getQueryResults();
    const stats = job.metadata?.statistics?.query ?? {};
    log("info", "bigquery_query", {
      what,
      job_id: job.id,
      bytes_processed: Number(stats.totalBytesProcessed ?? 0),
      bytes_billed: Number(stats.totalBytesBilled ?? 0),
      cache_hit: stats.cacheHit ?? null,
      ms: Math.round(performance.now() - started),
    });
    return rows.map((row: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)]))
    );
  }
}
