/**
 * A scrape of an item's or product's page sends what the page said of the stock to the stock
 * topic, with the watch's id and run, for sale or not; when Kafka does not take it, the scrape is
 * not produced (a watch's run records it and runs again), never a silent loss of "sold out".
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { StockMessage } from "../shared/contract/stock-message.ts";
import { ProduceError } from "../shared/safe-producer.ts";
import { MemoryProducer } from "./memory-producer.ts";
import { createRouteMetrics } from "./route-metrics.ts";
import { ScrapeService } from "./scrape-service.ts";
import type { ScrapeReport } from "./scraper/scrape-view.ts";

const SOLD_OUT: ScrapeReport = {
  pagesFetched: 1,
  offers: [],
  invalid: [],
  errors: [{ kind: "unavailable", page: 1, url: "https://www.mercadolivre.com.br/p/MLB22246671", message: "x" }],
  stock: [{
    site: "MLB",
    subject: "product",
    item_id: null,
    product_id: "MLB22246671",
    title: "Console PlayStation 5 Slim 1 TB",
    available: false,
    available_quantity: null,
    price: null,
    seller: null,
    observedAt: "2026-06-16T14:05:00.000Z",
    pageUrl: "https://www.mercadolivre.com.br/p/MLB22246671",
  }],
};

function service(stockDown = false) {
  const sent: StockMessage[] = [];
  const svc = new ScrapeService({
    producer: new MemoryProducer(),
    scrape: () => Promise.resolve(SOLD_OUT),
    metrics: createRouteMetrics(),
    maxConcurrent: 1,
    maxQueued: 1,
    stock: {
      send: (messages) => {
        if (stockDown) return Promise.reject(new ProduceError(0, messages.length, new Error("down")));
        sent.push(...messages);
        return Promise.resolve({ produced: messages.length });
      },
    },
  });
  return { svc, sent };
}

const request = {
  site: "MLB" as const,
  view: "item" as const,
  pages: 1,
  item: "https://www.mercadolivre.com.br/p/MLB22246671",
};

test("scrape: a product page with nothing for sale is a stock observation of the watch's run", async () => {
  const { svc, sent } = service();
  const admission = svc.submit(request, { watchId: "ps5", watchRun: 4 });
  assert.ok(admission.accepted);
  const result = (await admission.result)!;
  assert.equal(result.outcome, "failed", "no offer: the run says unavailable");
  assert.deepEqual(sent.map((m) => [m.subject, m.product_id, m.available, m.source, m.watch_id, m.watch_run]), [
    ["product", "MLB22246671", false, "route", "ps5", 4],
  ]);
});

test("scrape: a stock observation Kafka did not take makes the scrape not produced", async () => {
  const { svc } = service(true);
  const admission = svc.submit(request, { watchId: "ps5", watchRun: 4 });
  assert.ok(admission.accepted);
  assert.equal((await admission.result)!.outcome, "not_produced");
});
