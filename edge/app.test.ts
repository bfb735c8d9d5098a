/**
 * The route's HTTP contract, with the in-memory producer (no Kafka): statuses, bodies, limits,
 * provenance and metric labels. What lands on a real topic is in app.int.test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { sampleOffer } from "../test/sample-offer.ts";
import { type AppDeps, createApp } from "./app.ts";
import { MemoryProducer } from "./memory-producer.ts";
import { createRouteMetrics } from "./route-metrics.ts";
import type { ScrapeReport } from "./scraper/scrape-view.ts";

const TOKEN = "test-token-0123456789abcdef";
const NOW = Date.parse("2026-06-16T14:05:00Z");
const json = { "content-type": "application/json" };
const ndjson = { "content-type": "application/x-ndjson" };

function route(overrides: Partial<Omit<AppDeps, "config">> & { config?: Partial<AppDeps["config"]> } = {}) {
  const producer = new MemoryProducer();
  const metrics = createRouteMetrics();
  const scraped: ScrapeReport = { pagesFetched: 1, offers: [], invalid: [], errors: [] };
  const app = createApp({
    producer,
    metrics,
    scrape: () => Promise.resolve(scraped),
    now: () => NOW,
    ...overrides,
    config: { token: TOKEN, maxBodyBytes: 64 * 1024, sites: ["MLB", "MLA"], maxPages: 5, ...overrides.config },
  });
  const post = (path: string, body: string | undefined, headers: Record<string, string> = json) =>
    app.fetch(
      new Request(`http://route${path}`, {
        method: "POST",
        body,
        headers: { authorization: `Bearer ${TOKEN}`, ...headers },
      }),
    );
  return { app, producer, metrics, post };
}

const offers = (...items: unknown[]) => JSON.stringify(items);

test("route: bad requests get 4xx with a clear message", async () => {
  const { post } = route();
  const cases: Array<[string, string | undefined, Record<string, string>, number, RegExp]> = [
    ["/scrape", "{nope", json, 400, /malformed JSON/],
    ["/scrape", '{"site":"MLB"}', { "content-type": "text/plain" }, 415, /application\/json/],
    ["/scrape", '{"site":"MLM"}', json, 400, /site must be one of MLB, MLA/],
    ["/scrape", '{"view":"everything"}', json, 400, /view must be one of/],
    ["/scrape", '{"pages":0}', json, 400, /pages must be between 1 and 5/],
    ["/scrape", '{"pages":6}', json, 400, /pages must be between 1 and 5/],
    ["/scrape", '{"pages":"2"}', json, 400, /pages must be a number/],
    ["/scrape", '{"url":"http://169.254.169.254/"}', json, 400, /invalid request/],
    ["/scrape", '{"view":"category","category":"MLA1051"}', json, 400, /MLB category id/],
    ["/scrape", '{"view":"category"}', json, 400, /needs a category id/],
    ["/offers", "{}", json, 400, /JSON array/],
    ["/offers", "[]", { "content-type": "text/csv" }, 415, /x-ndjson/],
    ["/offers", "", json, 400, /empty/],
    ["/offers", "[]", { ...json, "x-scrape-id": "a b" }, 400, /X-Scrape-Id/],
  ];
  for (const [path, body, headers, status, message] of cases) {
    const res = await post(path, body, headers);
    const text = await res.text();
    assert.equal(res.status, status, `${path} ${body}: ${text}`);
    assert.match(text, message, `${path} ${body}`);
  }
});

test("route: bodies over the limit get 413", async () => {
  const { post } = route();
  const res = await post("/offers", offers(sampleOffer({ title: "x".repeat(70 * 1024) })));
  assert.equal(res.status, 413);
  assert.match(await res.text(), /larger than 65536 bytes/);
});

test("route: write routes need the bearer token; read routes do not; errors never echo it", async () => {
  const { app } = route();
  const noAuth = await app.fetch(new Request("http://route/offers", { method: "POST", body: "[]", headers: json }));
  assert.equal(noAuth.status, 401);
  const wrong = await app.fetch(
    new Request("http://route/scrape", {
      method: "POST",
      headers: { authorization: "Bearer wrong-token-wrong-token" },
    }),
  );
  assert.equal(wrong.status, 401);
  assert.ok(!(await wrong.text()).includes("wrong-token"));
  const malformed = await app.fetch(
    new Request("http://route/scrape", { method: "POST", headers: { authorization: `Basic ${TOKEN}` } }),
  );
  assert.equal(malformed.status, 400);
  assert.ok(!(await malformed.text()).includes(TOKEN));
  assert.equal((await app.fetch(new Request("http://route/metrics"))).status, 200);
  assert.equal((await app.fetch(new Request("http://route/healthz"))).status, 200);
});

test("route: POST /offers produces the valid offers and lists the rejected ones with a reason per field", async () => {
  const { post, producer } = route();
  const res = await post(
    "/offers",
    offers(sampleOffer({ item_id: "MLB1000000001" }), sampleOffer({ item_id: "MLB1000000002", price: "-1.00" })),
    { ...json, "x-scrape-id": "ingest-array-1" },
  );
  const body = (await res.json()) as Record<string, unknown>;
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(body.produced, 1);
  assert.equal(body.rejected, 1);
  assert.deepEqual(body.rejected_offers, [{
    index: 1,
    errors: ['price: must be a non-negative decimal string with two places like "1299.90", got "-1.00"'],
  }]);
  assert.equal(producer.sent[0]!.scrape_id, "ingest-array-1");
  assert.equal(producer.sent[0]!.scraped_at, new Date(NOW).toISOString(), "the server's clock");
  assert.equal(producer.sent[0]!.source_url, producer.sent[0]!.url, "the offer's own URL by default");

  const lines = [
    JSON.stringify(sampleOffer({ item_id: "MLB1000000003" })),
    "{not json",
    JSON.stringify(sampleOffer({ site: "MLX" })),
  ];
  const res2 = await post("/offers", lines.join("\n"), { ...ndjson, "x-scrape-id": "ingest-ndjson-1" });
  const body2 = (await res2.json()) as {
    produced: number;
    rejected_offers: Array<{ index: number; errors: string[] }>;
  };
  assert.equal(res2.status, 200);
  assert.equal(body2.produced, 1);
  assert.match(body2.rejected_offers[0]!.errors[0]!, /line 2: malformed JSON/);
  assert.match(body2.rejected_offers[1]!.errors.join(), /site: unknown site code "MLX"/);
});

test("route: all-invalid ingest is 422 and produces nothing", async () => {
  const { post, producer } = route();
  const res = await post("/offers", offers({ title: "x" }));
  assert.equal(res.status, 422);
  const body = (await res.json()) as { rejected_offers: Array<{ errors: string[] }> };
  assert.ok(body.rejected_offers[0]!.errors.includes("item_id: is required"));
  assert.equal(producer.sent.length, 0);
});

test("route: values a warehouse cannot load are refused at the door (lone surrogate, 1e20, 1e30, absurd prices, year 0100)", async () => {
  const { post, producer } = route();
  const res = await post(
    "/offers",
    offers(
      sampleOffer({ title: "a\ud800b" }),
      sampleOffer({ position: 1e20 }),
      sampleOffer({ position: 2 ** 63 }),
      sampleOffer({ reviews: 1e30 }),
      sampleOffer({ price: "9999999999999.99", original_price: "0.01", discount_pct: null }),
    ),
  );
  const body = (await res.json()) as { rejected_offers: Array<{ errors: string[] }> };
  assert.equal(res.status, 422);
  assert.deepEqual(body.rejected_offers.map((r) => r.errors[0]!.split(":")[0]), [
    "title",
    "position",
    "position",
    "reviews",
    "price",
  ]);
  assert.equal(producer.sent.length, 0);
});

test("route: provenance belongs to the server (scrape_id from the header only, scraped_at from the clock, source_url on the site)", async () => {
  const { post, producer } = route();
  const bad = [
    sampleOffer({ scrape_id: "body-chosen-id" } as never),
    sampleOffer({ scraped_at: "2001-01-01T00:00:00Z" } as never),
    sampleOffer({ scraped_at: "9999-12-31T23:59:59Z" } as never),
    sampleOffer({ source_url: "https://evil.example/ofertas" } as never),
    sampleOffer({ url: "https://www.mercadolivre.com.br\\@evil.example/x" }),
  ];
  const res = await post("/offers", offers(...bad), { ...json, "x-scrape-id": "header-id-1" });
  const body = (await res.json()) as { scrape_id: string; rejected_offers: Array<{ errors: string[] }> };
  assert.equal(res.status, 422);
  assert.equal(body.scrape_id, "header-id-1");
  const reasons = body.rejected_offers.map((r) => r.errors.join(" | "));
  assert.match(reasons[0]!, /scrape_id: comes from the X-Scrape-Id header/);
  assert.match(reasons[1]!, /scraped_at: set by the server/);
  assert.match(reasons[2]!, /scraped_at: set by the server/);
  assert.match(reasons[3]!, /source_url: must be on the MLB site's own domain/);
  assert.match(reasons[4]!, /url: must be a plain https URL/);
  assert.equal(producer.sent.length, 0);
});

test("route: an operator can open a backfill window for scraped_at; outside it the value is refused", async () => {
  const { post, producer } = route({ config: { backfillDays: 31 } });
  const inside = new Date(NOW - 30 * 86_400_000).toISOString();
  const res = await post(
    "/offers",
    offers(
      sampleOffer({ item_id: "MLB2000000001", scraped_at: inside } as never),
      sampleOffer({ item_id: "MLB2000000002", scraped_at: new Date(NOW - 40 * 86_400_000).toISOString() } as never),
      sampleOffer({ item_id: "MLB2000000003", scraped_at: "9999-12-31T23:59:59Z" } as never),
    ),
    { ...json, "x-scrape-id": "backfill-1" },
  );
  const body = (await res.json()) as { produced: number; rejected_offers: Array<{ errors: string[] }> };
  assert.equal(res.status, 200);
  assert.equal(body.produced, 1);
  assert.equal(producer.sent[0]!.scraped_at, inside);
  assert.match(
    body.rejected_offers.map((r) => r.errors.join()).join(),
    /within the backfill window \(the last 31 days\)/,
  );
});

test("route: offers per request and problems listed are bounded (5 MB of '1\\n' lines is a short 413)", async () => {
  const { post } = route({ config: { maxBodyBytes: 6 * 1024 * 1024, maxOffersPerRequest: 1_000 } });
  const res = await post("/offers", "1\n".repeat(2_500_000), ndjson);
  const text = await res.text();
  assert.equal(res.status, 413);
  assert.ok(text.length < 200, text);
  assert.match(text, /at most 1000 offers/);
  const arrayRes = await post("/offers", JSON.stringify(Array.from({ length: 1_001 }, () => 1)));
  assert.equal(arrayRes.status, 413);

  const many = await post("/offers", JSON.stringify(Array.from({ length: 1_000 }, () => 1)));
  const body = (await many.json()) as {
    rejected: number;
    rejected_offers: unknown[];
    rejected_offers_not_listed: number;
  };
  assert.equal(many.status, 422);
  assert.equal(body.rejected, 1_000);
  assert.equal(body.rejected_offers.length, 100);
  assert.equal(body.rejected_offers_not_listed, 900);
});

test("route: metric labels come from closed sets, whatever field names a body carries", async () => {
  const { post, app } = route({ config: { maxBodyBytes: 6 * 1024 * 1024 } });
  const hostile = Array.from(
    { length: 1_000 },
    (_, i) => ({ ...sampleOffer(), [`__proto__${i}`]: 1, [`x${i}`.repeat(20)]: 2 }),
  );
  await post("/offers", JSON.stringify(hostile));
  await post("/offers", JSON.stringify([{ ...sampleOffer(), ["__proto__"]: 1 }]));
  const metrics = await (await app.fetch(new Request("http://route/metrics"))).text();
  const labels = [...metrics.matchAll(/ofertas_offers_invalid_total\{reason="([^"]*)"\}/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(labels)].sort(), ["unknown_field"]);
  assert.ok(metrics.length < 10_000, `${metrics.length} bytes of metrics`);
});

test("route: a scrape that fails after the request was accepted is the upstream's fault (502), never the caller's (400)", async () => {
  const { post } = route({ scrape: () => Promise.reject(new RangeError("cents must be a non-negative safe integer")) });
  const res = await post("/scrape", "{}");
  assert.equal(res.status, 502);
  assert.match(await res.text(), /the scrape failed/);
});

test("route: scrapes are bounded; past the queue a caller gets 429 with Retry-After", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const { post } = route({
    config: { maxConcurrentScrapes: 1, maxQueuedScrapes: 1 },
    scrape: async () => {
      await gate;
      return { pagesFetched: 1, offers: [], invalid: [], errors: [] };
    },
  });
  const first = post("/scrape", "{}");
  const second = post("/scrape", "{}");
  await new Promise((r) => setTimeout(r, 10));
  const third = await post("/scrape", "{}");
  assert.equal(third.status, 429);
  assert.match(third.headers.get("retry-after") ?? "", /^\d+$/);
  release();
  assert.equal((await first).status, 200);
  assert.equal((await second).status, 200);
});

test("route: with Kafka down, /readyz fails and writes answer 503 without claiming anything was sent", async () => {
  const { app, producer, post } = route({
    scrape: () => {
      throw new Error("must not scrape while Kafka is down");
    },
  });
  producer.down = true;
  const ready = await app.fetch(new Request("http://route/readyz"));
  assert.equal(ready.status, 503);
  assert.match(await ready.text(), /unreachable/);
  const scrape = await post("/scrape", "{}");
  assert.equal(scrape.status, 503);
  assert.match(await scrape.text(), /nothing was scraped or sent/);
  const ingest = await post("/offers", offers(sampleOffer()));
  assert.equal(ingest.status, 503);
  const body = (await ingest.json()) as { produced: number; not_produced: number };
  assert.equal(body.produced, 0);
  assert.equal(body.not_produced, 1);
});
