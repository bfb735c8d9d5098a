/**
 * Where the web view reads: the local DuckDB warehouse or BigQuery, behind one interface, with a
 * cache in front. A day's list is computed once per version of the data (a load changes it; on
 * BigQuery, a time bucket) and then filtered and paged in memory, so most pages cost no query.
 */
import type { AlertQuery, AlertView } from "./alerts.ts";
import type { Deal, HistoryPoint } from "./deals.ts";
import type { ItemMatch, ItemSearch } from "./item-search.ts";

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
  /** Items whose titles hold every word, over a range of days (web_items.sql), most recently seen first. */
  items(search: ItemSearch): Promise<ItemMatch[]>;
  close(): Promise<void>;
}

/** An answer and what it was computed from: the data version, when, and whether newer data is being read. */
export interface Answer<T> {
  value: T;
  version: string;
  /** When the answer was read from the warehouse (ISO). */
  asOf: string;
  /** True while a recomputation for newer data runs: the answer is the previous one. */
  updating: boolean;
}

/** How long a request waits for a recomputation when the previous answer was empty. */
export const EMPTY_WAIT_MS = 10_000;

/**
 * A small cache of computed answers, one per question (a day's list, an item's history), each
 * tagged with the data version it was computed from. When the data changes, the next request
 * still gets the previous answer at once while one recomputation runs in the background (it
 * takes a second on a day of 50,000 offers); requests after it get the new one. So a page view
 * never waits for a load's recomputation, and shows data at most one load behind, saying so
 * (`updating`). Except when the previous answer was empty: "nothing was loaded" is never served
 * as current while newer data is being read; the request waits for it (at most EMPTY_WAIT_MS).
 */
export class CachedSource implements DealsSource {
  readonly kind: DealsSource["kind"];
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly inner: DealsSource,
    private readonly maxEntries = 64,
    private readonly emptyWaitMs = EMPTY_WAIT_MS,
  ) {
    this.kind = inner.kind;
  }

  version(): Promise<string> {
    return this.inner.version();
  }

  async deals(day: string): Promise<Deal[]> {
    return (await this.dealsAnswer(day)).value;
  }

  /** A day's list with the version it answers from. */
  dealsAnswer(day: string): Promise<Answer<Deal[]>> {
    return this.answer(`deals|${day}`, () => this.inner.deals(day));
  }

  async history(site: string, itemId: string, first: string, last: string): Promise<ItemHistory> {
    return (await this.answer(
      `history|${site}|${itemId}|${first}|${last}`,
      () => this.inner.history(site, itemId, first, last),
    )).value;
  }

  async alerts(query: AlertQuery): Promise<AlertView[]> {
    return (await this.answer(`alerts|${JSON.stringify(query)}`, () => this.inner.alerts(query))).value;
  }

  async items(search: ItemSearch): Promise<ItemMatch[]> {
    return (await this.answer(`items|${JSON.stringify(search)}`, () => this.inner.items(search))).value;
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async answer<T>(key: string, compute: () => Promise<T>): Promise<Answer<T>> {
    const version = await this.inner.version();
    const entry = this.entries.get(key) as Entry<T> | undefined;
    if (entry && entry.version === version) return entry.answer.then((a) => ({ ...a, updating: false }));
    if (entry?.settled) {
      // the previous answer now, the new one for the requests after this recomputation
      const previous = await entry.answer;
      const next = entry.next ??= this.compute(version, compute).then(
        (a) => (this.store(key, { version, answer: Promise.resolve(a), settled: true }), a),
        (error) => {
          // a failed recomputation is not remembered: the next request computes in the open
          this.entries.delete(key);
          throw error;
        },
      );
      next.catch(() => {}); // a failure is seen by the next request, not here
      if (!isEmpty(previous.value)) return { ...previous, updating: true };
      // "nothing" is not an answer to give while something newer is being read
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waited = await Promise.race([
        next.then((a) => a, () => null),
        new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.emptyWaitMs))),
      ]).finally(() => clearTimeout(timer));
      return waited ?? { ...previous, updating: true };
    }
    if (entry) return entry.answer; // the first computation, under way: share it
    // nothing to show yet: this request waits, and concurrent ones share its query
    const fresh: Entry<T> = { version, answer: this.compute(version, compute), settled: false };
    this.store(key, fresh);
    fresh.answer.then(() => (fresh.settled = true), () => this.entries.get(key) === fresh && this.entries.delete(key));
    return fresh.answer;
  }

  private async compute<T>(version: string, compute: () => Promise<T>): Promise<Answer<T>> {
    const asOf = new Date().toISOString();
    return { value: await compute(), version, asOf, updating: false };
  }

  private store(key: string, entry: Entry) {
    this.entries.delete(key); // re-inserted last: the oldest question is the first dropped
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** An answer that says there is nothing: an empty list, or a history without a point. */
function isEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  const points = (value as { points?: unknown[] } | null)?.points;
  return Array.isArray(points) && points.length === 0;
}

interface Entry<T = unknown> {
  version: string;
  answer: Promise<Answer<T>>;
  settled: boolean;
  /** The recomputation for a newer version, under way. */
  next?: Promise<Answer<T>>;
}

/** A day's list and the version it answers from, whatever the source (only the cache can say it is updating). */
export async function dealsAnswer(source: DealsSource, day: string): Promise<Answer<Deal[]>> {
  if (source instanceof CachedSource) return source.dealsAnswer(day);
  const version = await source.version();
  return { value: await source.deals(day), version, asOf: new Date().toISOString(), updating: false };
}
