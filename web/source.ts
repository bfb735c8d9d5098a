/**
 * Where the web view reads: the local DuckDB warehouse or BigQuery, behind one interface, with a
 * cache in front. A day's list is computed once per version of the data (a load changes it; on
 * BigQuery, a time bucket) and then filtered and paged in memory, so most pages cost no query.
 */
import type { AlertQuery, AlertView } from "./alerts.ts";
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
  /** Alerts of an item or of a watch (web_alerts.sql), newest first. */
  alerts(query: AlertQuery): Promise<AlertView[]>;
  close(): Promise<void>;
}

/**
 * A small cache of computed answers, one per question (a day's list, an item's history), each
 * tagged with the data version it was computed from. When the data changes, the next request
 * still gets the previous answer at once while one recomputation runs in the background (it
 * takes a second on a day of 50,000 offers); requests after it get the new one. So a page view
 * never waits for a load's recomputation, and shows data at most one load behind.
 */
export class CachedSource implements DealsSource {
  readonly kind: DealsSource["kind"];
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly inner: DealsSource, private readonly maxEntries = 64) {
    this.kind = inner.kind;
  }

  version(): Promise<string> {
    return this.inner.version();
  }

  deals(day: string): Promise<Deal[]> {
    return this.cached(`deals|${day}`, () => this.inner.deals(day));
  }

  history(site: string, itemId: string, first: string, last: string): Promise<ItemHistory> {
    return this.cached(
      `history|${site}|${itemId}|${first}|${last}`,
      () => this.inner.history(site, itemId, first, last),
    );
  }

  alerts(query: AlertQuery): Promise<AlertView[]> {
    return this.cached(`alerts|${JSON.stringify(query)}`, () => this.inner.alerts(query));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async cached<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const version = await this.inner.version();
    const entry = this.entries.get(key) as Entry<T> | undefined;
    if (entry && (entry.version === version || entry.refreshing)) return entry.value;
    if (entry?.settled) {
      // the previous answer now, the new one for the requests after this recomputation
      entry.refreshing = true;
      compute().then(
        (value) => this.store(key, { version, value: Promise.resolve(value), settled: true, refreshing: false }),
        // a failed recomputation is not remembered: the next request computes in the open
        () => this.entries.delete(key),
      );
      return entry.value;
    }
    // nothing to show yet: this request waits, and concurrent ones share its query
    const fresh: Entry<T> = { version, value: compute(), settled: false, refreshing: false };
    this.store(key, fresh);
    fresh.value.then(() => (fresh.settled = true), () => this.entries.get(key) === fresh && this.entries.delete(key));
    return fresh.value;
  }

  private store(key: string, entry: Entry) {
    this.entries.delete(key); // re-inserted last: the oldest question is the first dropped
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}

interface Entry<T = unknown> {
  version: string;
  value: Promise<T>;
  settled: boolean;
  refreshing: boolean;
}
