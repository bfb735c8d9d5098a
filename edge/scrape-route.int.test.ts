/**
 * The real entry point, `edge/scrape-route.ts`, started as a process on Bun and on Deno,
 * spoken to over HTTP like `curl` would, producing to the real 3-broker cluster.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { sampleOffer } from "../test/sample-offer.ts";
import { integrationEnv } from "../test/integration-env.ts";
import { createTestTopic, readTopic } from "../test/kafka-helpers.ts";
import { indexPages, replayHandler } from "../scripts/replay-server.ts";
import { type RunningServer, serve } from "../shared/serve.ts";
import { ROUTE_COMMANDS, type Runtime, startRouteProcess, waitReady } from "../test/route-process.ts";

const TOKEN = "entry-token-0123456789";
const REPO = new URL("..", import.meta.url).pathname;

let replay: RunningServer;

before(() => {
  // the project's own fixtures, served like Mercado Livre
  replay = serve(replayHandler(indexPages(`${REPO}edge/scraper/fixtures`)), {
    port: 0,
    hostname: "127.0.0.1",
    maxRequestBodySize: 1024,
  });
});
after(async () => {
  await replay.stop();
});

for (const runtime of Object.keys(ROUTE_COMMANDS) as Runtime[]) {
  test(`entry on ${runtime}: health, ingest and scrape produce to Kafka, SIGTERM exits cleanly`, async () => {
    const topic = await createTestTopic(`entry-${runtime}`);
    const route = await startRouteProcess(runtime, {
      KAFKA_BROKERS: integrationEnv.kafkaBrokers,
      OFERTAS_TOPIC: topic,
      OFERTAS_TOKEN: TOKEN,
      OFERTAS_ML_BASE_URL: `http://127.0.0.1:${replay.port}`,
      OFERTAS_MIN_INTERVAL_MS: "0",
    });
    const auth = { authorization: `Bearer ${TOKEN}` };
    try {
      assert.equal((await fetch(`${route.url}/healthz`)).status, 200);
      const ready = await waitReady(route.url);
      assert.equal(ready.status, 200, await ready.text());

      const ingest = await fetch(`${route.url}/offers`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/x-ndjson", "x-scrape-id": `entry-${runtime}-ingest` },
        body: `${JSON.stringify(sampleOffer({ item_id: "MLB2000000001" }))}\n${
          JSON.stringify(sampleOffer({ item_id: "MLB2000000002", position: 2 }))
        }\n`,
      });
      assert.equal(ingest.status, 200, await ingest.clone().text());
      assert.equal(((await ingest.json()) as { produced: number }).produced, 2);

      const scrape = await fetch(`${route.url}/scrape`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: '{"pages":2}',
      });
      const body = (await scrape.json()) as { produced: number; scrape_id: string; pages_fetched: number };
      assert.equal(scrape.status, 200, JSON.stringify(body));
      assert.ok(body.produced > 0, "produced > 0");

      const unauthorized = await fetch(`${route.url}/scrape`, { method: "POST" });
      assert.equal(unauthorized.status, 401);

      const messages = await readTopic(topic, (m) => m.length >= 2 + body.produced);
      assert.equal(messages.length, 2 + body.produced);
      const scraped = messages.filter((m) => m.headers.scrape_id === body.scrape_id);
      assert.equal(scraped.length, body.produced);
      for (const m of messages) {
        const value = JSON.parse(m.value!) as { item_id: string; scrape_id: string };
        assert.equal(m.key, value.item_id);
        assert.equal(m.headers.scrape_id, value.scrape_id);
        assert.equal(m.headers.schema_version, "1");
        assert.equal(m.headers["content-type"], "application/json");
      }
    } finally {
      const code = await route.stop();
      assert.equal(code, 0, `graceful exit on SIGTERM; output:\n${route.output()}`);
    }
  });
}
