/**
 * Product details end to end on the real cluster: the scrape route (a process) scrapes saved
 * listing pages served locally, the enricher details the offers from saved product pages served
 * by the same replay server, the batch consumer (a process, details feed on) loads them into
 * `product_details`. A second scrape within the freshness window, read by a restarted enricher
 * (its ledger rebuilt from the details topic), fetches no product page again.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DuckDBInstance } from "@duckdb/node-api";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { indexPages, indexProductPages, replayHandler } from "../scripts/replay-server.ts";
import { TOPICS } from "../shared/kafka.ts";
import type { OfferMessage } from "../shared/offer.ts";
import { serve } from "../shared/serve.ts";
import { LOCAL_DATABASE_FILE } from "../shared/warehouse-settings.ts";
import { consumerEnv, startConsumerProcess, uncommitted, waitFor } from "../test/consumer-helpers.ts";
import { integrationEnv } from "../test/integration-env.ts";
import { createTestTopic, readTopic } from "../test/kafka-helpers.ts";
import { startRouteProcess, waitReady } from "../test/route-process.ts";
import { startEnricher } from "./enricher.ts";
import { productUrlOf } from "./offer-enricher.ts";

const REPO = new URL("..", import.meta.url).pathname;
const FIXTURES = `${REPO}edge/scraper/fixtures`;

test("enrichment: a scrape ends with rows in product_details; a second one within the freshness window fetches no product page", async () => {
  const [offers, offersDlq, details, detailsDlq, stock] = await Promise.all([
    createTestTopic("enrich-offers"),
    createTestTopic("enrich-offers-dlq", TOPICS.deadLetters),
    createTestTopic("enrich-details", TOPICS.details),
    createTestTopic("enrich-details-dlq", TOPICS.detailsDeadLetters),
    createTestTopic("enrich-stock", TOPICS.stock),
  ]);
  const group = `test-enrich-${Date.now()}`;
  const root = `${REPO}.ofertas/test/warehouse-enrich-${Date.now()}`;
  mkdirSync(root, { recursive: true });

  // the saved pages, served like Mercado Livre; product page requests are counted
  const productRequests: string[] = [];
  const handler = replayHandler(indexPages(FIXTURES), indexProductPages(FIXTURES));
  const replay = serve((request) => {
    if (new URL(request.url).pathname !== "/ofertas") productRequests.push(new URL(request.url).pathname);
    return handler(request);
  }, { port: 0, hostname: "127.0.0.1", maxRequestBodySize: 1024 });

  const shared = {
    KAFKA_BROKERS: integrationEnv.kafkaBrokers,
    OFERTAS_TOPIC: offers,
    OFERTAS_DLQ_TOPIC: offersDlq,
    OFERTAS_DETAILS_TOPIC: details,
    OFERTAS_DETAILS_DLQ_TOPIC: detailsDlq,
    OFERTAS_STOCK_TOPIC: stock,
    OFERTAS_ML_BASE_URL: `http://127.0.0.1:${replay.port}`,
    OFERTAS_MIN_INTERVAL_MS: "0",
  };
  const enricherEnv = { ...shared, OFERTAS_ENRICHER_GROUP: `${group}-enricher`, OFERTAS_DETAILS_PER_SCRAPE: "100" };
  const route = await startRouteProcess("bun", shared);
  const consumer = startConsumerProcess(consumerEnv({ topic: offers, dlq: offersDlq, group }, {
    ...shared,
    OFERTAS_WAREHOUSE: "local",
    OFERTAS_LOCAL_DIR: root,
    OFERTAS_CONSUMER_DETAILS: "true",
    OFERTAS_BATCH_INTERVAL_MS: "700",
  }));
  let enricher = await startEnricher(enricherEnv);
  try {
    await enricher.joined;
    assert.equal((await waitReady(route.url)).status, 200);

    const scrape = async () => {
      const res = await fetch(`${route.url}/scrape`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"site":"MLB","pages":2}',
      });
      assert.equal(res.status, 200, await res.clone().text());
      return (await res.json()) as { produced: number };
    };
    const first = await scrape();
    assert.ok(first.produced > 0);
    const produced = (await readTopic(offers, (m) => m.length >= first.produced)).map((m) =>
      JSON.parse(m.value!) as OfferMessage
    );
    const detailable = new Set(produced.filter((o) => productUrlOf(o)).map((o) => o.item_id));
    assert.ok(detailable.size >= 2, `${detailable.size} offers with a product page`);

    await waitFor(
      "every offer read by the enricher",
      () => uncommitted(offers, `${group}-enricher`),
      (n) => n === 0,
      60_000,
    );
    assert.equal(productRequests.length, detailable.size, "one product page per item, none for ads");
    await waitFor("the details loaded", () => uncommitted(details, `${group}.details`), (n) => n === 0, 60_000);

    // a restarted enricher knows what it detailed (from the details topic), and fetches nothing again
    await enricher.stop();
    enricher = await startEnricher(enricherEnv);
    await enricher.joined;
    assert.ok(enricher.ledger.size >= detailable.size, `ledger rebuilt: ${enricher.ledger.size} items`);
    const second = await scrape();
    assert.equal(second.produced, first.produced);
    await waitFor(
      "the second scrape read by the enricher",
      () => uncommitted(offers, `${group}-enricher`),
      (n) => n === 0,
      60_000,
    );
    assert.equal(productRequests.length, detailable.size, "no product page fetched again within the window");
  } finally {
    await enricher.stop();
    await route.stop();
    await consumer.stop();
    await replay.stop();
  }

  const db = await DuckDBInstance.create(join(root, LOCAL_DATABASE_FILE), { access_mode: "READ_ONLY" });
  const c = await db.connect();
  const rows = (await c.runAndReadAll(
    `SELECT item_id, page_kind, shown_item_id, title, category_path, attributes, detail_date FROM product_details ORDER BY item_id`,
  )).getRowObjectsJson() as Array<Record<string, unknown>>;
  c.closeSync();
  db.closeSync();
  assert.equal(rows.length, productRequests.length, "one row per item per day");
  for (const row of rows) {
    assert.equal(row.page_kind, "product");
    assert.equal(row.shown_item_id, "MLB1234567890"); // the saved page's own item
    assert.equal(row.title, "Furadeira de Impacto 650W");
    assert.deepEqual(row.category_path, ["Ferramentas", "Ferramentas Elétricas"]);
    assert.equal(JSON.parse(String(row.attributes)).length, 3);
  }
  assert.ok(consumer.output().includes('"table":"product_details"'), "the details feed logged its loads");
  rmSync(root, { recursive: true, force: true });
});
