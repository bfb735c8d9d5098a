/**
 * A flood of distinct item searches from one client, over real HTTP against a seeded local
 * DuckDB warehouse (no Kafka): the client's burst is answered, every search after it is a 429
 * with Retry-After and runs no query, the searches' part of the cache stays within its bound,
 * and the deals page keeps its cached answer all along (the day's list is read once, before the
 * flood; `/` answers 200 from the cache throughout, to the flooding client too). The latency of
 * `/` during such a flood is measured by bench/web/flood.ts, not asserted here.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningServer, serve } from "../shared/serve.ts";
import { FRESH_DAY, seedWarehouse } from "./browser-fixtures.ts";
import { createWebApp } from "./app.tsx";
import type { Deal } from "./deals.ts";
import { DuckDbSource } from "./duckdb-source.ts";
import type { ItemMatch, ItemSearch } from "./item-search.ts";
import { QueryLimiter } from "./query-limiter.ts";
import { CachedSource } from "./source.ts";

/** The local warehouse, counting what it is asked. */
class CountingSource extends DuckDbSource {
  dealsReads = 0;
  searches = 0;
  override deals(day: string): Promise<Deal[]> {
    this.dealsReads++;
    return super.deals(day);
  }
  override items(search: ItemSearch): Promise<ItemMatch[]> {
    this.searches++;
    return super.items(search);
  }
}

const BURST = 30;
const SEARCH_ENTRIES = 12;
const FLOOD = 150;

let root: string;
let server: RunningServer;
let base: string;
let source: CountingSource;
let cache: CachedSource;

before(async () => {
  root = mkdtempSync(join(tmpdir(), "ofertas-web-flood-"));
  await seedWarehouse(root);
  source = new CountingSource(root);
  cache = new CachedSource(source, {
    pinnedDay: () => FRESH_DAY,
    bounds: { searches: { maxEntries: SEARCH_ENTRIES, maxBytes: 1_000_000 } },
  });
  const limiter = new QueryLimiter({
    perClient: { capacity: BURST, perMinute: 6 },
    allClients: { capacity: 100_000, perMinute: 100_000 },
    maxClients: 1_000,
  });
  const app = createWebApp({ source: cache, demo: false, today: () => FRESH_DAY, limiter });
  // served like web/server.ts serves it: the connecting address (127.0.0.1) is the client
  server = serve(app.fetch, { port: 0, hostname: "127.0.0.1", maxRequestBodySize: 16 * 1024 });
  base = `http://127.0.0.1:${server.port}`;
});

after(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

test("flood: distinct /items?q= from one client are rate limited; `/` keeps its cached answer throughout", async () => {
  const first = await fetch(`${base}/`);
  assert.equal(first.status, 200);
  const firstPage = await first.text();
  assert.match(firstPage, /Fresh offer/);
  assert.equal(source.dealsReads, 1, "the day's list computed once, before the flood");

  const statuses = new Map<number, number>();
  const retryAfter = new Set<string>();
  const deals: number[] = [];
  // ten at a time, each a search nobody asked before, with `/` asked between the waves
  for (let wave = 0; wave < FLOOD / 10; wave++) {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => fetch(`${base}/items?q=fresh+w${wave * 10 + i}`)),
    );
    for (const res of answers) {
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 429) {
        retryAfter.add(res.headers.get("retry-after") ?? "missing");
        assert.match(await res.text(), /Too many new questions/);
      } else await res.arrayBuffer();
    }
    const home = await fetch(`${base}/`);
    deals.push(home.status);
    assert.equal(await home.text(), firstPage, "the same list, from the cache");
  }
  console.log(`  flood statuses ${JSON.stringify(Object.fromEntries(statuses))}; retry-after ${[...retryAfter]}`);

  const answered = statuses.get(200) ?? 0;
  // the burst less the first `/` (it was not cached yet: it paid a token), and what the bucket
  // refilled meanwhile (6 a minute)
  assert.ok(answered >= BURST - 1 && answered <= BURST + 3, `${answered} searches answered`);
  assert.equal((statuses.get(429) ?? 0) + answered, FLOOD, "every other search was a 429");
  assert.ok([...retryAfter].every((s) => /^[1-9]\d*$/.test(s)), "each 429 says when to come back");
  assert.equal(source.searches, answered, "a refused search runs no query");
  assert.ok(cache.parts.searches.size <= SEARCH_ENTRIES, "the searches' part stays within its bound");
  assert.deepEqual([...new Set(deals)], [200], "`/` answered throughout");
  assert.equal(source.dealsReads, 1, "and never recomputed: the flood did not push its answer out");
  const api = (await (await fetch(`${base}/api/deals`)).json()) as { updating: boolean };
  assert.equal(api.updating, false);
});
