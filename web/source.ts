/**
 * Where the web view reads: the local DuckDB warehouse or BigQuery, behind one interface, with a
 * cache in front. A day's list is computed once per version of the data (a load changes it; on
 * BigQuery, a time bucket) and then filtered and paged in memory, so most pages cost no query.
 * The cache is bounded in entries and bytes, in three parts (days' lists, item pages, searches
 * and feeds) so that no kind of question pushes out another's answers.
 */
import type { AlertQuery, AlertView } from "./alerts.ts";
import type { Deal, HistoryPoint } from "./deals.ts";
import type { ItemMatch, ItemSearch } from "./item-search.ts";
import type { ProductQuery, ProductView } from "./product.ts";
import { BoundedLru, type LruBounds } from "./bounded-lru.ts";

export interface ItemHistory {
  site: string;
  item_id: string;
  points: HistoryPoint[];
  /** The catalog product the listing belongs to, when its rows say one (absent: not read). */
  product_id?: string | null;
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
  /** A catalog product's page: its sellers' prices, stock and verdict (product.ts); absent where not read. */
  product?(q: ProductQuery): Promise<ProductView>;
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

const MB = 1_000_000;

/**
 * The cache's three parts, each bounded on its own so that one kind of question can never push
 * out another's answers: a flood of searches leaves the days' lists and the item pages alone.
 * Bytes are the answers' JSON length (a day's list of 50,000 offers is about 35 MB).
 */
export interface CacheBounds {
  /** Days' lists of deals (today's is never dropped). */
  days: LruBounds;
  /** Item pages: an item's history and its alerts. */
  items: LruBounds;
  /** Item searches, the feeds and the watches' alerts. */
  searches: LruBounds;
}

export const CACHE_BOUNDS: CacheBounds = {
  days: { maxEntries: 4, maxBytes: 96 * MB },
  items: { maxEntries: 256, maxBytes: 16 * MB },
  searches: { maxEntries: 256, maxBytes: 16 * MB },
};

/** Lets a request run a query the cache cannot answer, or throws (web/query-limiter.ts). */
export type Admit = () => void;

export interface CachedSourceOptions {
  bounds?: Partial<CacheBounds>;
  emptyWaitMs?: number;
  /** The day whose list is never dropped (today in São Paulo); none when absent. */
  pinnedDay?: () => string;
}

/**
 * A cache of computed answers, one per question (a day's list, an item's history), each
 * tagged with the data version it was computed from. When the data changes, the next request
 * still gets the previous answer at once while one recomputation runs in the background (it
 * takes a second on a day of 50,000 offers); requests after it get the new one. So a page view
 * never waits for a load's recomputation, and shows data at most one load behind, saying so
 * (`updating`). Except when the previous answer was empty: "nothing was loaded" is never served
 * as current while newer data is being read; the request waits for it (at most EMPTY_WAIT_MS).
 * A query (a first computation or a recomputation) runs only when the request's `admit` lets it;
 * a refused request still gets every answer the cache holds, even one a version behind.
 */
export class CachedSource implements DealsSource {
  readonly kind: DealsSource["kind"];
  readonly parts: { readonly [P in keyof CacheBounds]: BoundedLru<Entry> };
  private readonly emptyWaitMs: number;

  constructor(private readonly inner: DealsSource, options: CachedSourceOptions = {}) {
    this.kind = inner.kind;
    this.emptyWaitMs = options.emptyWaitMs ?? EMPTY_WAIT_MS;
    const bounds = { ...CACHE_BOUNDS, ...options.bounds };
    const pinnedDay = options.pinnedDay;
    this.parts = {
      days: new BoundedLru(bounds.days, (key) => pinnedDay !== undefined && key === `deals|${pinnedDay()}`),
      items: new BoundedLru(bounds.items),
      searches: new BoundedLru(bounds.searches),
    };
  }

  /** This cache as one request sees it: the queries it needs are admitted by `admit` first. */
  admitting(admit: Admit): AdmittedSource {
    return new AdmittedSource(this, admit);
  }

  version(): Promise<string> {
    return this.inner.version();
  }

  async deals(day: string, admit?: Admit): Promise<Deal[]> {
    return (await this.dealsAnswer(day, admit)).value;
  }

  /** A day's list with the version it answers from. */
  dealsAnswer(day: string, admit?: Admit): Promise<Answer<Deal[]>> {
    return this.answer("days", `deals|${day}`, () => this.inner.deals(day), admit);
  }

  async history(site: string, itemId: string, first: string, last: string, admit?: Admit): Promise<ItemHistory> {
    return (await this.answer(
      "items",
      `history|${site}|${itemId}|${first}|${last}`,
      () => this.inner.history(site, itemId, first, last),
      admit,
    )).value;
  }

  async alerts(query: AlertQuery, admit?: Admit): Promise<AlertView[]> {
    const part = "itemId" in query.filter ? "items" : "searches";
    return (await this.answer(part, `alerts|${JSON.stringify(query)}`, () => this.inner.alerts(query), admit)).value;
  }

  async items(search: ItemSearch, admit?: Admit): Promise<ItemMatch[]> {
    return (await this.answer("searches", `items|${JSON.stringify(search)}`, () => this.inner.items(search), admit))
      .value;
  }

  /** A product's page, kept with the item pages. */
  async product(q: ProductQuery, admit?: Admit): Promise<ProductView> {
    const inner = this.inner;
    if (!inner.product) throw new Error(`the ${inner.kind} source has no product pages`);
    return (await this.answer("items", `product|${JSON.stringify(q)}`, () => inner.product!(q), admit)).value;
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async answer<T>(
    part: keyof CacheBounds,
    key: string,
    compute: () => Promise<T>,
    admit: Admit | undefined,
  ): Promise<Answer<T>> {
    const entries = this.parts[part];
    const version = await this.inner.version();
    const entry = entries.get(key) as Entry<T> | undefined;
    if (entry && entry.version === version) return entry.answer.then((a) => ({ ...a, updating: false }));
    if (entry?.settled) {
      // the previous answer now, the new one for the requests after this recomputation
      const previous = await entry.answer;
      if (!entry.next) {
        try {
          admit?.();
        } catch (refused) {
          // no recomputation for this request: what the cache holds, unless it says "nothing"
          if (isEmpty(previous.value)) throw refused;
          return { ...previous, updating: false };
        }
      }
      const next = entry.next ??= this.compute(version, compute).then(
        (a) => (entries.set(key, { version, answer: Promise.resolve(a), settled: true }, bytesOf(a.value)), a),
        (error) => {
          // a failed recomputation is not remembered: the next request computes in the open
          if (entries.peek(key) === entry) entries.delete(key);
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
    // nothing to show yet: this request waits (once admitted), and concurrent ones share its query
    admit?.();
    const fresh: Entry<T> = { version, answer: this.compute(version, compute), settled: false };
    entries.set(key, fresh);
    fresh.answer.then(
      (a) => ((fresh.settled = true), entries.resize(key, fresh, bytesOf(a.value))),
      () => entries.peek(key) === fresh && entries.delete(key),
    );
    return fresh.answer;
  }

  private async compute<T>(version: string, compute: () => Promise<T>): Promise<Answer<T>> {
    const asOf = new Date().toISOString();
    return { value: await compute(), version, asOf, updating: false };
  }
}

/** The cache as one request sees it (CachedSource.admitting). */
export class AdmittedSource implements DealsSource {
  readonly kind: DealsSource["kind"];

  constructor(private readonly cache: CachedSource, private readonly admit: Admit) {
    this.kind = cache.kind;
  }

  version(): Promise<string> {
    return this.cache.version();
  }
  deals(day: string): Promise<Deal[]> {
    return this.cache.deals(day, this.admit);
  }
  dealsAnswer(day: string): Promise<Answer<Deal[]>> {
    return this.cache.dealsAnswer(day, this.admit);
  }
  history(site: string, itemId: string, first: string, last: string): Promise<ItemHistory> {
    return this.cache.history(site, itemId, first, last, this.admit);
  }
  alerts(query: AlertQuery): Promise<AlertView[]> {
    return this.cache.alerts(query, this.admit);
  }
  items(search: ItemSearch): Promise<ItemMatch[]> {
    return this.cache.items(search, this.admit);
  }
  product(q: ProductQuery): Promise<ProductView> {
    return this.cache.product(q, this.admit);
  }
  /** The cache is the server's to close, not one request's. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** What an answer weighs in the cache's bounds: its JSON length. */
function bytesOf(value: unknown): number {
  return JSON.stringify(value)?.length ?? 0;
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
  if (source instanceof CachedSource || source instanceof AdmittedSource) return source.dealsAnswer(day);
  const version = await source.version();
  return { value: await source.deals(day), version, asOf: new Date().toISOString(), updating: false };
}
