/**
 * The scrape route's Hono app against the real 3-broker cluster: what lands on the topic (keys,
 * headers, values) for scrapes and ingests, and what it answers when Kafka is down. The HTTP
 * contract itself (statuses, limits, provenance) is unit-tested in app.test.ts.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { kafkaConfigFromEnv } from "../shared/kafka.ts";
import { validateOfferMessage } from "../shared/offer.ts";
import { sampleOffer } from "../test/sample-offer.ts";
import { integrationEnv } from "../test/integration-env.ts";
import { createTestTopic, readTopic } from "../test/kafka-helpers.ts";
import { createApp } from "./app.ts";
import { OfferProducer } from "./offer-producer.ts";
import { createRouteMetrics } from "./route-metrics.ts";
import { PoliteFetcher } from "./scraper/polite-fetch.ts";
import { scrapeView } from "./scraper/scrape-view.ts";
import { FakeClock, type LocalServer, startLocalServer } from "../test/local-server.ts";

const TOKEN = "test-token-0123456789abcdef";
let topic: string;
let producer: OfferProducer;
let pages: LocalServer;
let app: ReturnType<typeof createApp>;
let metrics: ReturnType<typeof createRouteMetrics>;

before(async () => {
  topic = await createTestTopic("route");
  producer = new OfferProducer(kafkaConfigFromEnv({ KAFKA_BROKERS: integrationEnv.kafkaBrokers }, "test-route"), {
    topic,
  });
  const deals = await readFile(new URL("./scraper/fixtures/deals-br.html", import.meta.url), "utf8");
  const blocked = await readFile(new URL("./scraper/fixtures/blocked-login-wall.html", import.meta.url), "utf8");
  pages = await startLocalServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const body = url.searchParams.get("promotion_type") === "lightning"
      ? blocked
      : url.searchParams.get("page")
      ? "<html><body><div id=results></div></body></html>"
      : deals;
    res.writeHead(200, { "content-type": "text/html" }).end(body);
  });
  const fetcher = new PoliteFetcher({ clock: new FakeClock(), retries: 0 });
  metrics = createRouteMetrics();
  app = createApp({
    config: { token: TOKEN, maxBodyBytes: 64 * 1024, sites: ["MLB", "MLA"], maxPages: 5 },
    producer,
    metrics,
    scrape: (request) => scrapeView(request, { fetcher, baseUrl: pages.url }),
  });
});

after(async () => {
  await producer.close();
  await pages.close();
});

const post = (path: string, body: string | undefined, headers: Record<string, string> = {}) =>
  app.fetch(
    new Request(`http://route${path}`, {
      method: "POST",
      body,
      headers: { authorization: `Bearer ${TOKEN}`, ...headers },
    }),
  );
const json = { "content-type": "application/json" };

test("route: /healthz, /readyz with the cluster up", async () => {
  assert.equal((await app.fetch(new Request("http://route/healthz"))).status, 200);
  const ready = await app.fetch(new Request("http://route/readyz"));
  assert.equal(ready.status, 200, await ready.clone().text());
  assert.match(((await ready.json()) as { kafka: string }).kafka, /6 partitions/);
});

test("route: POST /scrape produces every valid offer, keyed by item id, with the contract's headers", async () => {
  const res = await post("/scrape", JSON.stringify({ site: "MLB", view: "all", pages: 3 }), json);
  const body = (await res.json()) as Record<string, unknown>;
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(body.pages_fetched, 2, "page 2 has no cards: pagination stops");
  assert.equal(body.offers, 3);
  assert.equal(body.produced, 3);
  assert.deepEqual(body.errors, []);

  const scrapeId = body.scrape_id as string;
  const messages = (await readTopic(topic, (m) => m.filter((x) => x.headers.scrape_id === scrapeId).length >= 3))
    .filter((m) => m.headers.scrape_id === scrapeId);
  assert.equal(messages.length, 3);
  for (const m of messages) {
    const value = JSON.parse(m.value!) as Record<string, unknown>;
    assert.ok(validateOfferMessage(value).ok, m.value!);
    assert.equal(m.key, value.item_id, "key = item id");
    assert.deepEqual(m.headers, { schema_version: "1", scrape_id: scrapeId, "content-type": "application/json" });
    assert.equal(value.source_url, "https://www.mercadolivre.com.br/ofertas");
  }
  assert.deepEqual(messages.map((m) => m.key).sort(), ["MLB4340888693", "MLB5419371492", "MLB6225112300"]);
});

test("route: a blocked page is reported in errors, not swallowed (502 when nothing was scraped)", async () => {
  const res = await post("/scrape", JSON.stringify({ view: "lightning" }), json);
  assert.equal(res.status, 502);
  const body = (await res.json()) as { errors: Array<{ kind: string }>; produced: number };
  assert.equal(body.errors[0]?.kind, "blocked");
  assert.equal(body.produced, 0);
  assert.ok(metrics.errors.get({ kind: "blocked" }) >= 1);
});

test("route: POST /offers takes a JSON array and NDJSON; invalid items are rejected with reasons", async () => {
  const good = sampleOffer({ item_id: "MLB1000000001" });
  const bad = sampleOffer({ item_id: "MLB1000000002", price: "-1.00" });
  const res = await post("/offers", JSON.stringify([good, bad]), { ...json, "x-scrape-id": "ingest-array-1" });
  const body = (await res.json()) as Record<string, unknown>;
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(body.produced, 1);
  assert.equal(body.rejected, 1);
  assert.deepEqual(body.rejected_offers, [{
    index: 1,
    errors: ['price: must be a non-negative decimal string with two places like "1299.90", got "-1.00"'],
  }]);

  const ndjson = [
    JSON.stringify(sampleOffer({ item_id: "MLB1000000003" })),
    "{not json",
    JSON.stringify(sampleOffer({ item_id: "MLB1000000004", site: "MLX" })),
  ].join("\n");
  const res2 = await post("/offers", ndjson, {
    "content-type": "application/x-ndjson",
    "x-scrape-id": "ingest-ndjson-1",
  });
  const body2 = (await res2.json()) as {
    produced: number;
    rejected_offers: Array<{ index: number; errors: string[] }>;
  };
  assert.equal(res2.status, 200);
  assert.equal(body2.produced, 1);
  assert.match(body2.rejected_offers[0]!.errors[0]!, /line 2: malformed JSON/);
  assert.match(body2.rejected_offers[1]!.errors.join(), /site: unknown site code "MLX"/);

  const read = await readTopic(
    topic,
    (m) => m.some((x) => x.key === "MLB1000000001") && m.some((x) => x.key === "MLB1000000003"),
  );
  const ingested = read.filter((m) => m.key === "MLB1000000001" || m.key === "MLB1000000003");
  assert.equal(ingested.length, 2);
  assert.deepEqual(ingested.map((m) => m.headers.scrape_id).sort(), ["ingest-array-1", "ingest-ndjson-1"]);
  assert.ok(
    !read.some((m) => m.key === "MLB1000000002" || m.key === "MLB1000000004"),
    "rejected offers are not produced",
  );
});

test("route: /metrics is Prometheus text with the route's counters and histogram", async () => {
  const res = await app.fetch(new Request("http://route/metrics"));
  assert.match(res.headers.get("content-type") ?? "", /text\/plain; version=0\.0\.4/);
  const text = await res.text();
  for (
    const name of [
      "ofertas_scrapes_total",
      "ofertas_pages_fetched_total",
      "ofertas_offers_produced_total",
      "ofertas_offers_invalid_total",
      "ofertas_errors_total",
      "ofertas_produce_duration_seconds_bucket",
    ]
  ) {
    assert.match(text, new RegExp(`^${name}`, "m"), name);
  }
  assert.match(text, /^ofertas_offers_produced_total\{source="scrape"\} [1-9]/m);
  assert.match(text, /^ofertas_offers_invalid_total\{reason="price"\} [1-9]/m);
});

test("route: with Kafka down, /readyz fails and writes answer 503 without claiming anything was sent", async () => {
  const dead = new OfferProducer(
    kafkaConfigFromEnv({ KAFKA_BROKERS: "127.0.0.1:1", KAFKA_CONNECTION_TIMEOUT_MS: "300" }, "test-dead"),
    { topic, sendTimeoutMs: 2_000 },
  );
  const deadApp = createApp({
    config: { token: null, maxBodyBytes: 64 * 1024, sites: ["MLB"], maxPages: 2 },
    producer: dead,
    metrics: createRouteMetrics(),
    scrape: () => {
      throw new Error("must not scrape while Kafka is down");
    },
  });
  try {
    const ready = await deadApp.fetch(new Request("http://route/readyz"));
    assert.equal(ready.status, 503);
    assert.match(await ready.text(), /Kafka unreachable/);

    const scrape = await deadApp.fetch(new Request("http://route/scrape", { method: "POST" }));
    assert.equal(scrape.status, 503);
    assert.match(await scrape.text(), /nothing was scraped or sent/);

    const ingest = await deadApp.fetch(
      new Request("http://route/offers", { method: "POST", body: JSON.stringify([sampleOffer()]), headers: json }),
    );
    assert.equal(ingest.status, 503);
    const body = (await ingest.json()) as { produced: number; not_produced: number };
    assert.equal(body.produced, 0);
    assert.equal(body.not_produced, 1);
  } finally {
    await dead.close();
  }
});
