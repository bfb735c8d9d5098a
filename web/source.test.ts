/**
 * The cache in front of the warehouse: one query per question and data version, concurrent
 * requests sharing it; after a load, the previous answer at once while one recomputation runs,
 * then the new one; a failed computation is not remembered. Its parts are bounded on their own (a
 * flood of searches leaves the day's list alone), and a query runs only when the request is admitted.
 */
import { expect, test } from "bun:test";
import type { AlertView } from "./alerts.ts";
import type { Deal } from "./deals.ts";
import type { ItemMatch, ItemSearch } from "./item-search.ts";
import { QueryLimiter } from "./query-limiter.ts";
import { CachedSource, type DealsSource, type ItemHistory } from "./source.ts";

/** A source whose answers the test releases by hand, and whose data version it bumps. */
class ScriptedSource implements DealsSource {
  readonly kind = "memory";
  dataVersion = 1;
  reads = 0;
  fail = false;
  private pending: Array<() => void> = [];

  version() {
    return Promise.resolve(String(this.dataVersion));
  }

  deals(day: string): Promise<Deal[]> {
    this.reads++;
    const version = this.dataVersion;
    const fail = this.fail;
    return new Promise((resolve, reject) =>
      this.pending.push(() =>
        fail ? reject(new Error("warehouse down")) : resolve([{ item_id: `${day}@v${version}` } as Deal])
      )
    );
  }

  history(): Promise<ItemHistory> {
    throw new Error("not used");
  }

  alerts(): Promise<AlertView[]> {
    throw new Error("not used");
  }

  items(_search?: ItemSearch): Promise<ItemMatch[]> {
    throw new Error("not used");
  }

  close() {
    return Promise.resolve();
  }

  /** Lets every query under way answer. */
  async release() {
    const now = this.pending;
    this.pending = [];
    for (const answer of now) answer();
    await Bun.sleep(0);
  }
}

const idOf = async (p: Promise<Deal[]>) => (await p)[0]!.item_id;

test("cache: concurrent requests share one query; later ones are answered without one", async () => {
  const inner = new ScriptedSource();
  const cache = new CachedSource(inner);
  const both = [cache.deals("2026-11-26"), cache.deals("2026-11-26")];
  await Bun.sleep(0);
  await inner.release();
  expect(await Promise.all(both.map(idOf))).toEqual(["2026-11-26@v1", "2026-11-26@v1"]);
  expect(await idOf(cache.deals("2026-11-26"))).toBe("2026-11-26@v1");
  expect(inner.reads).toBe(1);
});

test("cache: after a load, the previous answer at once while one recomputation runs, then the new one", async () => {
  const inner = new ScriptedSource();
  const cache = new CachedSource(inner);
  const first = cache.deals("d");
  await Bun.sleep(0);
  await inner.release();
  await first;

  inner.dataVersion = 2;
  // not waiting for the recomputation (nothing is released yet)
  expect(await idOf(cache.deals("d"))).toBe("d@v1");
  expect(await idOf(cache.deals("d"))).toBe("d@v1");
  expect(inner.reads).toBe(2);
  await inner.release();
  expect(await idOf(cache.deals("d"))).toBe("d@v2");
  expect(inner.reads).toBe(2);
});

test("cache: a failed computation is not remembered; the next request asks again and sees the error", async () => {
  const inner = new ScriptedSource();
  const cache = new CachedSource(inner);
  inner.fail = true;
  const failing = cache.deals("d").catch((e: Error) => e.message);
  await Bun.sleep(0);
  await inner.release();
  expect(await failing).toBe("warehouse down");

  inner.fail = false;
  const ok = cache.deals("d");
  await Bun.sleep(0);
  await inner.release();
  expect(await idOf(ok)).toBe("d@v1");

  // a failed background recomputation: the stale answer was served, then the error shows
  inner.dataVersion = 2;
  inner.fail = true;
  expect(await idOf(cache.deals("d"))).toBe("d@v1");
  await inner.release();
  const after = cache.deals("d").catch((e: Error) => e.message);
  await Bun.sleep(0);
  await inner.release();
  expect(await after).toBe("warehouse down");
  expect(inner.reads).toBe(4);
});

/** A source whose first answer is empty (nothing loaded yet) and whose later ones are not. */
class LoadingSource extends ScriptedSource {
  override deals(day: string): Promise<Deal[]> {
    const empty = this.dataVersion === 1;
    return super.deals(day).then((list) => (empty ? [] : list));
  }
}

/** A cache whose first answer ("nothing loaded yet") is in, waiting at most `waitMs` for a newer one after it. */
async function afterAnEmptyAnswer(waitMs: number) {
  const inner = new LoadingSource();
  const cache = new CachedSource(inner, { emptyWaitMs: waitMs });
  const first = cache.dealsAnswer("d");
  await Bun.sleep(0);
  await inner.release();
  expect((await first).value).toEqual([]);
  return { inner, cache };
}

test("cache: an empty answer is never served as current while newer data is read; the answer says its version", async () => {
  const { inner, cache } = await afterAnEmptyAnswer(1_000);

  inner.dataVersion = 2; // the consumer's first load
  const after = cache.dealsAnswer("d");
  await Bun.sleep(0);
  await inner.release();
  const answer = await after;
  expect(answer.value.map((d) => d.item_id)).toEqual(["d@v2"]);
  expect([answer.version, answer.updating]).toEqual(["2", false]);

  // a list is served at once while the next load is read, marked as updating
  inner.dataVersion = 3;
  const stale = await cache.dealsAnswer("d");
  expect([stale.value[0]!.item_id, stale.version, stale.updating]).toEqual(["d@v2", "2", true]);
  await inner.release();
});

test("cache: an empty previous answer waits for the newer one at most the bound, then says it is updating", async () => {
  const { inner, cache } = await afterAnEmptyAnswer(50);
  inner.dataVersion = 2;
  const answer = await cache.dealsAnswer("d"); // nothing released: the recomputation hangs
  expect([answer.value, answer.version, answer.updating]).toEqual([[], "1", true]);
  await inner.release();
});

/** A source that answers at once and counts its queries; its searches answer one item per word. */
class CountingSource extends ScriptedSource {
  queries = 0;
  override deals(day: string): Promise<Deal[]> {
    this.queries++;
    return Promise.resolve([{ item_id: `${day}@v${this.dataVersion}`, title: "x".repeat(1_000) } as Deal]);
  }
  override items(search: ItemSearch): Promise<ItemMatch[]> {
    this.queries++;
    return Promise.resolve(search.words.map((w) => ({ item_id: w, title: "t".repeat(500) } as ItemMatch)));
  }
  override alerts(): Promise<AlertView[]> {
    this.queries++;
    return Promise.resolve([]);
  }
}

const search = (word: string): ItemSearch => ({ words: [word], site: null, first: "a", last: "b", limit: 10 });

test("cache: a flood of searches never pushes out a day's list; the searches' part stays within its bounds", async () => {
  const inner = new CountingSource();
  const bounds = { searches: { maxEntries: 20, maxBytes: 8_000 } };
  const cache = new CachedSource(inner, { bounds, pinnedDay: () => "today" });
  await cache.deals("today");
  await cache.deals("yesterday");
  for (let i = 0; i < 500; i++) await cache.items(search(`w${i}`));
  await cache.alerts({ filter: { watchId: "w" }, first: "a", last: "b", limit: 5 });
  const searches = cache.parts.searches;
  expect(searches.size).toBeLessThanOrEqual(20);
  expect(searches.bytes).toBeLessThanOrEqual(8_000);
  expect(searches.size).toBeGreaterThan(5); // bounded by bytes here: each answer is ~600 bytes
  const before = inner.queries;
  expect(await idOf(cache.deals("today"))).toBe("today@v1");
  expect(await idOf(cache.deals("yesterday"))).toBe("yesterday@v1");
  expect(inner.queries).toBe(before); // both lists answered from the cache
  // the newest searches are still there, the oldest were dropped
  await cache.items(search("w499"));
  expect(inner.queries).toBe(before);
  await cache.items(search("w0"));
  expect(inner.queries).toBe(before + 1);
});

test("cache: days' lists are bounded too, and the pinned day (today) is never the one dropped", async () => {
  const inner = new CountingSource();
  const cache = new CachedSource(inner, {
    bounds: { days: { maxEntries: 3, maxBytes: 1_000_000 } },
    pinnedDay: () => "today",
  });
  await cache.deals("today");
  for (let d = 1; d <= 30; d++) await cache.deals(`2026-01-${String(d).padStart(2, "0")}`);
  expect(cache.parts.days.size).toBe(3);
  const before = inner.queries;
  await cache.deals("today");
  expect(inner.queries).toBe(before);
  // a byte bound smaller than one list: the pinned list is still kept, the others are not
  const tight = new CachedSource(new CountingSource(), {
    bounds: { days: { maxEntries: 10, maxBytes: 500 } },
    pinnedDay: () => "today",
  });
  await tight.deals("today");
  await tight.deals("other");
  expect(tight.parts.days.has("deals|today")).toBe(true);
  expect(tight.parts.days.has("deals|other")).toBe(false);
});

test("cache: a refused request runs no query; it still gets what the cache holds, even a version behind", async () => {
  const inner = new CountingSource();
  const cache = new CachedSource(inner);
  const refuse = () => {
    throw new Error("rate limited");
  };
  await cache.deals("d"); // computed for someone else
  expect(await idOf(cache.admitting(refuse).deals("d"))).toBe("d@v1");
  await expect(cache.admitting(refuse).items(search("new"))).rejects.toThrow("rate limited");
  expect(inner.queries).toBe(1);
  inner.dataVersion = 2; // a load: the refused request gets the previous list, and starts no recomputation
  const stale = await cache.admitting(refuse).dealsAnswer("d");
  expect([stale.value[0]!.item_id, stale.version, stale.updating]).toEqual(["d@v1", "1", false]);
  expect(inner.queries).toBe(1);
  // a request pays one token for all the queries it needs; with the bucket empty, the next is refused
  const limiter = new QueryLimiter({
    perClient: { capacity: 1, perMinute: 1 },
    allClients: { capacity: 100, perMinute: 100 },
    maxClients: 10,
  });
  const view = cache.admitting(limiter.forRequest("203.0.113.7"));
  await Promise.all([view.items(search("a")), view.items(search("b")), view.deals("other")]);
  expect(inner.queries).toBe(4);
  await expect(cache.admitting(limiter.forRequest("203.0.113.7")).items(search("c"))).rejects.toThrow(/Too many/);
  expect(inner.queries).toBe(4);
});
