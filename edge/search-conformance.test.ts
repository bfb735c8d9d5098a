/**
 * The real search pages of ../shared/ml-pages through the route, as a caller asks for them:
 * `POST /scrape {"view":"search","query":…}` builds the site's search URL, the polite fetcher
 * reads it from a local server of the saved pages, and every offer produced equals the page's
 * expected/ file, field by field, in page order.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { indexPages, indexProductPages, indexSearchPages, replayHandler } from "../scripts/replay-server.ts";
import { type RunningServer, serve } from "../shared/serve.ts";
import {
  cardMisses,
  type ExpectedPage,
  ML_EXPECTED_DIR,
  ML_PAGES_DIR,
  mlPagesAvailable,
  mlPagesSkip,
} from "../test/ml-pages.ts";
import { createApp } from "./app.ts";
import { MemoryProducer } from "./memory-producer.ts";
import { createRouteMetrics } from "./route-metrics.ts";
import { PoliteFetcher } from "./scraper/polite-fetch.ts";
import { scrapeView } from "./scraper/scrape-view.ts";

const SEARCHES = [
  { page: "lista-br-2026-01-playstation5slim-polycard", site: "MLB", query: "playstation 5 slim" },
  { page: "lista-br-2025-11-caneta-polycard-preloaded-state", site: "MLB", query: "Caneta Esferográfica Azul" },
  { page: "listado-mx-2025-05-nintendo-switch-polycard", site: "MLM", query: "nintendo switch" },
];

let replay: RunningServer | null = null;

before(() => {
  if (!mlPagesAvailable) return;
  replay = serve(
    replayHandler(indexPages(ML_PAGES_DIR), indexProductPages(ML_PAGES_DIR), indexSearchPages(ML_PAGES_DIR)),
    { port: 0, hostname: "127.0.0.1", maxRequestBodySize: 1024 },
  );
});
after(async () => {
  await replay?.stop();
});

for (const search of SEARCHES) {
  test(`search through the route: ${search.site} "${search.query}" gives ${search.page}'s expected offers`, {
    skip: mlPagesSkip,
  }, async () => {
    const expected = JSON.parse(readFileSync(`${ML_EXPECTED_DIR}/${search.page}.json`, "utf8")) as ExpectedPage;
    const producer = new MemoryProducer();
    const fetcher = new PoliteFetcher({ minIntervalMs: 0, maxBytes: 4 * 1024 * 1024 });
    const baseUrl = `http://127.0.0.1:${replay!.port}`;
    const app = createApp({
      producer,
      metrics: createRouteMetrics(),
      scrape: (request) => scrapeView(request, { fetcher, baseUrl }),
      config: { token: null, maxBodyBytes: 4096, sites: ["MLB", "MLM"], maxPages: 5 },
    });
    const res = await app.fetch(
      new Request("http://route/scrape", {
        method: "POST",
        headers: { "content-type": "application/json" },
        // two pages asked: the second (_Desde_…) is the end of the saved results
        body: JSON.stringify({ site: search.site, view: "search", query: search.query, pages: 2 }),
      }),
    );
    const body = await res.json() as { offers: number; invalid: number; pages_fetched: number };
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.pages_fetched, 2);
    assert.equal(body.invalid, 0);
    assert.equal(producer.sent.length, expected.card_count, "every card of the page, once");
    assert.deepEqual(cardMisses(producer.sent as unknown as Array<Record<string, unknown>>, expected), []);
    const source = new URL(producer.sent[0]!.source_url);
    assert.equal(source.hostname, search.site === "MLB" ? "lista.mercadolivre.com.br" : "listado.mercadolibre.com.mx");
    assert.ok(producer.sent.every((m) => m.watch_id === null && m.page === 1));
  });
}
