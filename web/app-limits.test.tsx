/**
 * The view's limits at the HTTP level: a client out of tokens gets 429 with Retry-After while
 * every cached answer is still served (and other clients are not held up); X-Forwarded-For is
 * believed only with trusted proxies; the watches' routes answer 503 with Retry-After until the
 * watches are read; a question over its BigQuery bounds is a 503 that says so; a wrong parameter
 * is a 400 that names it (a page for pages, JSON for /api/).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { QueryLimitError } from "../query/engine.ts";
import { createWebApp, type WebDeps } from "./app.tsx";
import type { Deal } from "./deals.ts";
import type { ItemMatch, ItemSearch } from "./item-search.ts";
import { MemorySource } from "./memory-source.ts";
import { QueryLimiter } from "./query-limiter.ts";
import { CachedSource } from "./source.ts";
import { MemoryWatchSource } from "./watch-source.ts";

const DAY = "2026-06-30";
const DEAL = {
  site: "MLB",
  item_id: "MLB1000000001",
  title: "Fone Bluetooth",
  price: "70.00",
  verdict: "real",
  real_discount_pct: "30.00",
  watch_ids: [],
} as unknown as Deal;

/** Bun's server as Hono sees it: the connecting address of each request. */
const from = (address: string) => ({ requestIP: () => ({ address }) });

function limitedApp(overrides: Partial<WebDeps> = {}) {
  const source = new MemorySource({ [DAY]: [DEAL] });
  const limiter = new QueryLimiter({
    perClient: { capacity: 2, perMinute: 1 },
    allClients: { capacity: 1_000, perMinute: 1_000 },
    maxClients: 100,
  });
  const app = createWebApp({ source: new CachedSource(source), demo: false, today: () => DAY, limiter, ...overrides });
  const get = (path: string, env: unknown, headers: Record<string, string> = {}) =>
    app.fetch(new Request(`http://web${path}`, { headers }), env);
  return { source, get };
}

test("limits: a client out of tokens gets 429 with Retry-After; cached answers still come; others are not held up", async () => {
  const { get } = limitedApp();
  const a = from("203.0.113.7");
  assert.equal((await get("/", a)).status, 200); // the day's list: a token
  assert.equal((await get("/items?q=fone", a)).status, 200); // a search: the second
  const page = await get("/items?q=bluetooth", a);
  assert.equal(page.status, 429);
  assert.match(page.headers.get("retry-after") ?? "", /^[1-9]\d*$/);
  assert.match(await page.text(), /Too many new questions from you/);
  const api = await get("/api/items?q=other", a);
  assert.equal(api.status, 429);
  assert.match(((await api.json()) as { error: string }).error, /Too many/);
  // what is cached is served whatever the bucket holds
  for (const path of ["/", "/?page=1", "/api/deals", "/deals.csv", "/items?q=fone"]) {
    assert.equal((await get(path, a)).status, 200, path);
  }
  assert.equal((await get("/items?q=bluetooth", from("198.51.100.9"))).status, 200, "another client");
  // a client cannot pick a fresh bucket by writing X-Forwarded-For: it is not believed by default
  const spoofed = await get("/items?q=spoofed", a, { "x-forwarded-for": "192.0.2.1" });
  assert.equal(spoofed.status, 429);
});

test("limits: behind trusted proxies the client is the address the farthest one saw", async () => {
  const { get } = limitedApp({ trustedProxyHops: 1 });
  const proxy = from("10.0.0.1"); // every request comes from the proxy
  const as = (client: string) => ({ "x-forwarded-for": `6.6.6.6, ${client}` });
  assert.equal((await get("/items?q=a", proxy, as("203.0.113.7"))).status, 200);
  assert.equal((await get("/items?q=b", proxy, as("203.0.113.7"))).status, 200);
  assert.equal((await get("/items?q=c", proxy, as("203.0.113.7"))).status, 429);
  assert.equal((await get("/items?q=c", proxy, as("203.0.113.8"))).status, 200, "another client behind the proxy");
});

test("limits: the watches' routes answer 503 with Retry-After until the watches are read, then 200", async () => {
  const watches = new MemoryWatchSource(null);
  const app = createWebApp({ source: new MemorySource({}), watches, demo: false, today: () => DAY });
  const get = (path: string) => app.fetch(new Request(`http://web${path}`));
  for (const path of ["/watches", "/api/watches", "/watches/ps5/alerts.atom"]) {
    const res = await get(path);
    assert.equal(res.status, 503, path);
    assert.match(res.headers.get("retry-after") ?? "", /^\d+$/, path);
    assert.match(await res.text(), /still being read/, path);
  }
  assert.equal((await get("/alerts.atom")).status, 200, "every alert does not depend on the watches");
  watches.watches = [];
  assert.equal((await get("/watches")).status, 200);
  assert.deepEqual(await (await get("/api/watches")).json(), { watches: [] });
  // read, and no such watch: a feed for it is a watch that never was
  assert.equal((await get("/watches/ps5/alerts.atom")).status, 404);
});

test("limits: a question over its BigQuery bounds is a 503 that says so, not a crash", async () => {
  class CostlySource extends MemorySource {
    override items(_search: ItemSearch): Promise<ItemMatch[]> {
      const bounds = { maxBytesBilled: 2048 * 1024 * 1024, jobTimeoutMs: 30_000 };
      return Promise.reject(new QueryLimitError("bytes", bounds, "Query exceeded limit for bytes billed"));
    }
  }
  const app = createWebApp({ source: new CachedSource(new CostlySource({})), demo: false, today: () => DAY });
  const page = await app.fetch(new Request("http://web/items?q=fone"));
  assert.equal(page.status, 503);
  assert.match(await page.text(), /more of the warehouse than the view allows/);
  const api = await app.fetch(new Request("http://web/api/items?q=fone"));
  assert.equal(api.status, 503);
  assert.match(((await api.json()) as { error: string }).error, /narrower/);
});

test("limits: a wrong parameter is a 400 naming it; an empty one counts as absent", async () => {
  const app = createWebApp({ source: new CachedSource(new MemorySource({ [DAY]: [DEAL] })), demo: false });
  const get = (path: string) => app.fetch(new Request(`http://web${path}`));
  const page = await get("/?site=XX");
  assert.equal(page.status, 400);
  assert.match(await page.text(), /site must be one of MLB/);
  const cases: Array<[string, RegExp]> = [
    ["/api/deals?page=0", /^page must be a whole number/],
    ["/api/deals?date=2026-13-45", /^date must be a day/],
    ["/api/deals?watch=Bad%20Id", /^watch is not a watch id/],
    ["/api/items?site=bogus", /^site must be one of/],
    [`/api/items?q=${"x".repeat(201)}`, /^q must be at most 200/],
    ["/api/items/MLB/MLB1000000001/history?date=yesterday", /^date must be a day/],
  ];
  for (const [path, message] of cases) {
    const res = await get(path);
    assert.equal(res.status, 400, path);
    assert.match(((await res.json()) as { error: string }).error, message, path);
  }
  assert.equal((await get(`/?site=&verdict=&date=${DAY}&utm_source=x`)).status, 200);
});
