/**
 * Products and stock on the real cluster, end to end: the real route (a product watch and an item
 * watch whose pages a test script changes: the project's saved item page, test/product-pages.ts),
 * the real consumer (offers, product_days, stock_observations, announcements) and the real
 * alerter, delivering to a local webhook receiver.
 *
 *  - the product's page shows seller A's listing (140.00) and seller B's (145.00) in its buy box,
 *    in turn, run after run: one product history (both listings under the product, each seller a
 *    line of the product's page) and one `below` episode, which names the product;
 *  - then it shows nothing for sale for a few runs, then A again: one `out_of_stock` and one
 *    `back_in_stock` for the product, and no second `below` (the episode did not end);
 *  - an item's own page goes unavailable and comes back: one `out_of_stock` and one
 *    `back_in_stock` for the item.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TOPICS } from "../shared/kafka.ts";
import { type RunningServer, serve } from "../shared/serve.ts";
import { offerDate } from "../shared/timestamp.ts";
import { consumerEnv, createConsumerTopics, startConsumerProcess, waitFor } from "../test/consumer-helpers.ts";
import { startDaemon } from "../test/daemon-process.ts";
import { integrationEnv } from "../test/integration-env.ts";
import { createTestTopic } from "../test/kafka-helpers.ts";
import { type BuyBox, catalogPage, itemPage } from "../test/product-pages.ts";
import { freePort, startRouteProcess, waitReady } from "../test/route-process.ts";
import { createWebApp } from "../web/app.tsx";
import { DuckDbSource } from "../web/duckdb-source.ts";

const TOKEN = "products-token-0123456789";
const PRODUCT = "MLB7770099";
const SELLERS: BuyBox[] = [
  { itemId: "MLB3100000001", seller: "LOJA A", price: "140.00" },
  { itemId: "MLB3100000002", seller: "LOJA B", price: "145.00" },
];
const ITEM = "MLB3100000003";

/** What the pages show now: the product's buy box takes turns; null is nothing for sale. */
let productForSale = true;
let itemForSale = true;
let productFetches = 0;
let site: RunningServer;
let hook: RunningServer;
const hooks: Array<Record<string, unknown>> = [];
let root: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), "ofertas-products-"));
  site = serve((request) => {
    const path = new URL(request.url).pathname;
    const html = path.endsWith(`/p/${PRODUCT}`)
      ? catalogPage(PRODUCT, "Console X 1 TB", productForSale ? SELLERS[productFetches++ % 2]! : null)
      : path.startsWith(`/MLB-${ITEM.slice(3)}`)
      ? itemPage(ITEM, itemForSale ? "99.00" : null)
      : null;
    return html === null
      ? new Response("not here", { status: 404 })
      : new Response(html, { headers: { "content-type": "text/html" } });
  }, { port: 0, hostname: "127.0.0.1", maxRequestBodySize: 1024 });
  hook = serve(async (request) => {
    hooks.push(...(JSON.parse(await request.text()).alerts as Array<Record<string, unknown>>));
    return new Response(null, { status: 204 });
  }, { port: 0, hostname: "127.0.0.1", maxRequestBodySize: 1 << 20 });
});

after(async () => {
  await Promise.all([site?.stop(), hook?.stop()]);
  rmSync(root, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const kinds = () =>
  [...new Map(hooks.map((a) => [a.alert_id, a])).values()].map((a) => `${a.kind}:${a.product_id ?? a.item_id}`);

test(
  "products end to end: sellers taking turns in the buy box are one product and one below episode; stock out and back once each way",
  {
    timeout: 300_000,
  },
  async () => {
    const offers = await createConsumerTopics("products");
    const topics = {
      OFERTAS_WATCHES_TOPIC: await createTestTopic("p-watches", TOPICS.watches),
      OFERTAS_WATCH_RUNS_TOPIC: await createTestTopic("p-runs", TOPICS.watchRuns),
      OFERTAS_LOADS_TOPIC: await createTestTopic("p-loads", TOPICS.loads),
      OFERTAS_ALERTS_TOPIC: await createTestTopic("p-alerts", TOPICS.alerts),
      OFERTAS_ALERT_STATE_TOPIC: await createTestTopic("p-state", TOPICS.alertState),
      OFERTAS_STOCK_TOPIC: await createTestTopic("p-stock", TOPICS.stock),
      OFERTAS_STOCK_DLQ_TOPIC: await createTestTopic("p-stock-dlq", TOPICS.stockDeadLetters),
    };
    const shared = { KAFKA_BROKERS: integrationEnv.kafkaBrokers, OFERTAS_TOPIC: offers.topic, ...topics };
    const route = await startRouteProcess("bun", {
      ...shared,
      OFERTAS_TOKEN: TOKEN,
      OFERTAS_ML_BASE_URL: `http://127.0.0.1:${site.port}`,
      OFERTAS_MIN_INTERVAL_MS: "0",
      OFERTAS_WATCH_TICK_EVERY: "1s",
      OFERTAS_WATCH_MIN_PERIOD: "1s",
      OFERTAS_WATCH_PAGES_PER_HOUR: "3600",
    });
    const consumer = startConsumerProcess(
      consumerEnv(offers, {
        ...topics,
        OFERTAS_LOCAL_DIR: root,
        OFERTAS_BATCH_INTERVAL_MS: "1000",
        OFERTAS_CONSUMER_STOCK: "true",
      }),
    );
    const alerter = startDaemon("alert/alerter.ts", {
      ...shared,
      OFERTAS_LOCAL_DIR: root,
      OFERTAS_ALERTER_GROUP: `alerter-${Date.now()}`,
      OFERTAS_CONSUMER_GROUP: offers.group,
      OFERTAS_ALERT_CHANNELS: JSON.stringify({ hook: `json://127.0.0.1:${hook.port}/hook` }),
      OFERTAS_ALERT_ALLOW_LOOPBACK: "true",
      OFERTAS_ALERT_RETRY_BASE: "300ms",
      OFERTAS_ALERTER_PORT: String(await freePort()),
    });
    const auth = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
    // the route answers 503 until it has read the watches from Kafka: the PUT is tried again then
    const put = async (id: string, body: unknown) => {
      const res = await waitFor(
        `the watch ${id} written`,
        () => fetch(`${route.url}/watches/${id}`, { method: "PUT", headers: auth, body: JSON.stringify(body) }),
        (r) => r.status !== 503,
        60_000,
      );
      assert.equal(res.status, 201, await res.clone().text());
    };
    try {
      assert.equal((await waitReady(route.url)).status, 200);
      const stockRules = [{ kind: "out_of_stock", clear_after: "1h" }, { kind: "back_in_stock", clear_after: "1h" }];
      await put("console", {
        target: { site: "MLB", view: "item", item: `https://www.mercadolivre.com.br/console-x/p/${PRODUCT}` },
        period: { every: "2s" },
        alerts: { rules: [{ kind: "below", price: 150, clear_after: "1h" }, ...stockRules] },
      });
      await put("controle", {
        target: { site: "MLB", view: "item", item: ITEM },
        period: { every: "2s" },
        alerts: { rules: stockRules },
      });

      // phase 1: both sellers take turns in the buy box, both under the target
      await waitFor("both sellers seen", () => Promise.resolve(productFetches), (n) => n >= 6, 90_000);
      await waitFor("the below alert", () => Promise.resolve(kinds()), (k) => k.includes(`below:${PRODUCT}`), 90_000);
      await sleep(6_000);
      assert.deepEqual(kinds().filter((k) => k.startsWith("below")), [`below:${PRODUCT}`], "one episode, whoever wins");
      const below = hooks.find((a) => a.kind === "below")!;
      assert.equal(below.item_id, SELLERS[0]!.itemId, "the alert names the listing with the best price");
      assert.equal(below.price, "140.00");

      // phase 2: nothing for sale on the product's page and on the item's, then both for sale again
      productForSale = false;
      itemForSale = false;
      await waitFor(
        "both out_of_stock alerts",
        () => Promise.resolve(kinds()),
        (k) => k.includes(`out_of_stock:${PRODUCT}`) && k.includes(`out_of_stock:${ITEM}`),
        90_000,
      );
      await sleep(5_000);
      productForSale = true;
      itemForSale = true;
      await waitFor(
        "both back_in_stock alerts",
        () => Promise.resolve(kinds()),
        (k) => k.includes(`back_in_stock:${PRODUCT}`) && k.includes(`back_in_stock:${ITEM}`),
        90_000,
      );
      await sleep(6_000);
      assert.deepEqual(kinds().sort(), [
        `back_in_stock:${ITEM}`,
        `back_in_stock:${PRODUCT}`,
        `below:${PRODUCT}`,
        `out_of_stock:${ITEM}`,
        `out_of_stock:${PRODUCT}`,
      ], "once each: no second below after the product came back, no repeat of a stock alert");

      // one product history: both listings under the product, a line for each seller on its page
      const web = createWebApp({ source: new DuckDbSource(root), demo: false });
      const today = offerDate(new Date().toISOString());
      const view =
        await (await web.fetch(new Request(`http://ofertas.local/api/products/MLB/${PRODUCT}?date=${today}`)))
          .json() as { days: Array<{ seller_key: string }>; stock: Array<{ available: boolean }> };
      assert.deepEqual([...new Set(view.days.map((d) => d.seller_key))].sort(), ["LOJA A", "LOJA B"]);
      assert.ok(
        view.stock.some((s) => !s.available) && view.stock.at(-1)?.available,
        "the stock went out and came back",
      );
    } finally {
      await alerter.stop();
      await route.stop();
      await consumer.stop();
    }
  },
);
