/**
 * The route's /openapi.json: a valid OpenAPI document (by an OpenAPI validator), describing every
 * route the app has and nothing else, with every example accepted by the schema it illustrates.
 */
import { memoryWatchStore } from "../test/watch-processes.ts";
import { test } from "node:test";
import assert from "node:assert/strict";
import { Validator } from "@seriousme/openapi-schema-validator";
import { exampleProblems, openApiPath } from "../shared/openapi/openapi.ts";
import { createApp } from "./app.ts";
import { routeOperations } from "./api-doc.ts";
import { MemoryProducer } from "./memory-producer.ts";
import { createRouteMetrics } from "./route-metrics.ts";
import { ScrapeService } from "./scrape-service.ts";
import { Ticker } from "./watches/ticker.ts";

const CONFIG = {
  token: "doc-token-0123456789abcdef",
  maxBodyBytes: 1 << 20,
  sites: ["MLB", "MLM"] as const,
  maxPages: 5,
};

function app() {
  const producer = new MemoryProducer();
  const metrics = createRouteMetrics();
  const scrape = () => Promise.resolve({ pagesFetched: 0, offers: [], invalid: [], errors: [] });
  const service = new ScrapeService({ producer, metrics, scrape, maxConcurrent: 1, maxQueued: 1 });
  const store = memoryWatchStore();
  const ticker = new Ticker(store, service, { timeoutMs: 1_000, backoff: { baseMs: 1, maxMs: 2 }, pagesPerHour: 100 });
  return createApp({
    producer,
    metrics,
    scrape,
    service,
    watches: { store, ticker },
    config: { ...CONFIG, sites: [...CONFIG.sites] },
  });
}

/** "GET /watches/{id}" for every route the Hono app answers. */
const routesOf = (hono: ReturnType<typeof app>) =>
  new Set(
    hono.routes.filter((r) => r.method !== "ALL").map((r) =>
      `${r.method} ${openApiPath(r.path.replace(/\/$/, "") || "/")}`
    ),
  );

test("route api: /openapi.json is a valid OpenAPI 3.1 document describing every route, and only those", async () => {
  const hono = app();
  const res = await hono.fetch(new Request("http://route/openapi.json"));
  assert.equal(res.status, 200);
  const doc = await res.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
  const checked = await new Validator().validate(doc as never);
  assert.equal(checked.valid, true, JSON.stringify(checked.errors));
  assert.equal(doc.openapi, "3.1.0");
  const described = new Set(
    Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)),
  );
  assert.deepEqual([...routesOf(hono)].filter((r) => !described.has(r)), [], "routes the document does not describe");
  assert.deepEqual([...described].filter((r) => !routesOf(hono).has(r)), [], "described routes the app does not have");
});

test("route api: every example validates against the schema it illustrates; the scrape answer's is a saved page's", () => {
  const operations = routeOperations({ sites: ["MLB"], maxPages: 5 });
  assert.deepEqual(exampleProblems(operations), []);
  const scrape = operations.find((o) => o.path === "/scrape")!.responses[200]!.example as {
    coverage: { cards: number };
  };
  assert.equal(scrape.coverage.cards, 3, "the coverage of the saved page's 3 cards");
  const offers = operations.find((o) => o.path === "/offers")!.body!.example as unknown[];
  assert.equal(offers.length, 3);
});

test("route api: the reference page lists every operation, with no script and a CSP that allows none", async () => {
  const res = await app().fetch(new Request("http://route/api"));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-security-policy"), "default-src 'none'");
  const html = await res.text();
  assert.doesNotMatch(html, /<script/i);
  for (const op of routeOperations({ sites: ["MLB"], maxPages: 5 })) {
    assert.ok(html.includes(`<code>${op.method.toUpperCase()} ${op.path}</code>`), `${op.method} ${op.path}`);
  }
});
