/**
 * Where the web view reads: the local DuckDB warehouse or BigQuery, behind one interface, with a
 * cache in front. A day's list is computed once per version of the data (a load changes it; on
 * BigQuery, a time bucket) and then filtered and paged in memory, so most pages cost no query.
 */
import type { Deal, HistoryPoint } from "./deals.ts";

export interface ItemHistory {
  site: string;
  item_id: string;
  points: HistoryPoint[];
}

export interface DealsSource {
  readonly kind: "duckdb" | "bigquery" | "memory";
  /** Something that changes when the data may have changed (the cache key). */
  version(): Promise<string>;
  /** The judged offers of one São Paulo day. */
  deals(day: string): Promise<Deal[]>;
  /** One item's days from `first` to `last`. */
  history(site: string, itemId: string, first: string, last: string): Promise<ItemHistory>;
  close(): Promise<void>;
}

/** A small cache of computed answers, keyed by the query and the data version. */
export class CachedSource implements DealsSource {
  readonly kind: DealsSource["kind"];
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(private readonly inner: DealsSource, private readonly maxEntries = 64) {
    this.kind = inner.kind;
  }

  version(): Promise<string> {
    return this.inner.version();
  }

  async deals(day: string): Promise<Deal[]> {
    return this.cached(`deals|${day}|${await this.inner.version()}`, () => this.inner.deals(day));
  }

  async history(site: string, itemId: string, first: string, last: string): Promise<ItemHistory> {
    const key = `history|${site}|${itemId}|${first}|${last}|${await this.inner.version()}`;
    return this.cached(key, () => this.inner.history(site, itemId, first, last));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private cached<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) return hit.value as Promise<T>;
    // concurrent requests for the same answer share one query; a failure is not remembered
    const value = compute();
    this.entries.set(key, { at: Date.now(), value });
    value.catch(() => this.entries.delete(key));
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
