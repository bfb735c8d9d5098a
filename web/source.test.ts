/**
 * The cache in front of the warehouse: one query per question and data version, concurrent
 * requests sharing it; after a load, the previous answer at once while one recomputation runs,
 * then the new one; a failed computation is not remembered.
 */
import { expect, test } from "bun:test";
import type { AlertView } from "./alerts.ts";
import type { Deal } from "./deals.ts";
import type { ItemMatch } from "./item-search.ts";
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

  items(): Promise<ItemMatch[]> {
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
  const cache = new CachedSource(inner, 64, waitMs);
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
