/**
 * The web view on the local DuckDB warehouse. The file has one writer (the batch consumer):
 * the view opens it read-only for one query at a time and closes it at once, and it lets an
 * announced writer go first (shared/duckdb-access.ts), so a stream of page views never makes
 * a load wait for more than the query under way.
 */
import { type ItemMatch, itemMatchesOf, type ItemSearch, webItemsSql } from "./item-search.ts";
import { DuckDBInstance, DuckDBListValue, type DuckDBValue } from "@duckdb/node-api";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { openShared } from "../shared/duckdb-access.ts";
import { LOCAL_DATABASE_FILE } from "../shared/warehouse-settings.ts";
import { itemHistorySql, webDealsSql } from "../shared/sql-templates.ts";
import { itemProductSql } from "./product.ts";
import { textOrNull } from "./row-values.ts";
import { type AlertQuery, type AlertView, alertViewsOf, webAlertsSql } from "./alerts.ts";
import { type Deal, dealOf, historyPointOf } from "./deals.ts";
import type { DealsSource, ItemHistory } from "./source.ts";
import { type ProductQuery, type ProductView, productViewOf, webProductSql } from "./product.ts";

type Row = Record<string, unknown>;

export class DuckDbSource implements DealsSource {
  readonly kind = "duckdb";
  readonly databasePath: string;

  constructor(root: string) {
    this.databasePath = join(root, LOCAL_DATABASE_FILE);
  }

  async version(): Promise<string> {
    try {
      const s = await stat(this.databasePath);
      return `${s.mtimeMs}:${s.size}`;
    } catch {
      return "none";
    }
  }

  async deals(day: string): Promise<Deal[]> {
    return (await this.query(webDealsSql("duckdb", "main", day))).map(dealOf);
  }

  async history(site: string, itemId: string, first: string, last: string): Promise<ItemHistory> {
    const rows = await this.query(itemHistorySql("duckdb", "main", first, last), { site, item_id: itemId });
    const product = await this.query(itemProductSql("duckdb", "main", first, last), { site, item_id: itemId });
    return { site, item_id: itemId, points: rows.map(historyPointOf), product_id: textOrNull(product[0]?.product_id) };
  }

  async alerts(query: AlertQuery): Promise<AlertView[]> {
    const { sql, params } = webAlertsSql("duckdb", "main", query);
    return alertViewsOf(await this.query(sql, params));
  }

  async items(search: ItemSearch): Promise<ItemMatch[]> {
    const { sql, params } = webItemsSql("duckdb", "main", search);
    return itemMatchesOf(await this.query(sql, params));
  }

  async product(q: ProductQuery): Promise<ProductView> {
    const sql = webProductSql("duckdb", "main", q);
    const [days, sellers, stock, verdict] = [
      await this.query(sql.days.sql, sql.days.params),
      await this.query(sql.sellers.sql, sql.sellers.params),
      await this.query(sql.stock.sql, sql.stock.params),
      await this.query(sql.verdict.sql, sql.verdict.params),
    ];
    return productViewOf(q, { days, sellers, stock, verdict });
  }

  async close(): Promise<void> {}

  /** One read: open, query, close. No warehouse yet (nothing loaded) reads as no rows. */
  private async query(sql: string, params?: Record<string, string>): Promise<Row[]> {
    if ((await this.version()) === "none") return [];
    const instance = await openShared(
      this.databasePath,
      () => DuckDBInstance.create(this.databasePath, { access_mode: "READ_ONLY", threads: "2" }),
    );
    try {
      const connection = await instance.connect();
      try {
        const rows = (await connection.runAndReadAll(sql, params)).getRowObjects();
        for (const row of rows) for (const k in row) row[k] = plain(row[k]!) as DuckDBValue;
        return rows;
      } finally {
        connection.closeSync();
      }
    } catch (error) {
      // a warehouse created before its first load (or before its first alert) has no table yet
      if (/Table with name \w+ does not exist/.test((error as Error).message)) return [];
      throw error;
    } finally {
      instance.closeSync();
    }
  }
}

/**
 * A DuckDB value as the sources' rows carry it: decimals, dates and timestamps as their text,
 * lists as arrays, integers as numbers. (getRowObjectsJson does this too, ten times slower on a
 * day's list of 50,000 offers.)
 */
function plain(value: DuckDBValue): unknown {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return value;
  }
  if (typeof value === "bigint") return Number(value);
  if (value instanceof DuckDBListValue) return value.items.map(plain);
  return String(value);
}
