import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { FakeClock, startLocalServer } from "../../test/local-server.ts";
import { PoliteFetcher } from "./polite-fetch.ts";
import { scrapeView } from "./scrape-view.ts";

const fixture = (name: string) => readFile(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

/** Serves `pages[n-1]` for ?page=n (page 1 has no parameter). */
async function siteServing(pages: string[]) {
  const bodies = await Promise.all(pages.map(async (p) => (p.endsWith(".html") ? fixture(p) : p)));
  return startLocalServer((req, res) => {
    const page = Number(new URL(req.url ?? "/", "http://x").searchParams.get("page") ?? "1");
    const body = bodies[page - 1];
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body);
  });
}

const fetcher = () => new PoliteFetcher({ clock: new FakeClock(), minIntervalMs: 1000, retries: 1 });

test("scrape: follows ?page=N until a page has no cards", async () => {
  const server = await siteServing(["deals-br.html", "deals-br.html", "empty-results.html", "deals-br.html"]);
  try {
    const report = await scrapeView({ site: "MLB", view: "all", pages: 10 }, {
      fetcher: fetcher(),
      baseUrl: server.url,
      now: () => "2026-06-16T12:00:00Z",
    });
    assert.equal(report.pagesFetched, 3);
    assert.equal(report.offers.length, 6);
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.offers.map((o) => o.offer.page), [1, 1, 1, 2, 2, 2]);
    // offers record the public Mercado Livre URL, never the replay server
    assert.equal(report.offers[3]!.sourceUrl, "https://www.mercadolivre.com.br/ofertas?page=2");
    assert.deepEqual(server.requests.map((r) => r.url), [
      "/ofertas?site=MLB",
      "/ofertas?page=2&site=MLB",
      "/ofertas?page=3&site=MLB",
    ]);
  } finally {
    await server.close();
  }
});

test("scrape: stops at the page limit", async () => {
  const server = await siteServing(["deals-br.html", "deals-br.html", "deals-br.html"]);
  try {
    const report = await scrapeView({ site: "MLB", view: "lightning", pages: 2 }, {
      fetcher: fetcher(),
      baseUrl: server.url,
    });
    assert.equal(report.pagesFetched, 2);
    assert.equal(server.requests.length, 2);
    assert.ok(server.requests.every((r) => r.url?.includes("promotion_type=lightning")));
  } finally {
    await server.close();
  }
});

test("scrape: a block page is reported in errors, keeps earlier offers, and stops", async () => {
  const server = await siteServing(["deals-br.html", "blocked-login-wall.html", "deals-br.html"]);
  try {
    const report = await scrapeView({ site: "MLB", view: "all", pages: 3 }, {
      fetcher: fetcher(),
      baseUrl: server.url,
    });
    assert.equal(report.offers.length, 3);
    assert.equal(report.pagesFetched, 2);
    assert.equal(report.errors.length, 1);
    assert.equal(report.errors[0]!.kind, "blocked");
    assert.equal(report.errors[0]!.page, 2);
    assert.equal(report.errors[0]!.url, "https://www.mercadolivre.com.br/ofertas?page=2");
  } finally {
    await server.close();
  }
});

test("scrape: invalid cards are counted with reasons, valid ones kept", async () => {
  const html = (await fixture("search-br.html")).replace('id="__PRELOADED_STATE__"', 'id="gone"');
  const server = await siteServing([html]);
  try {
    const report = await scrapeView({ site: "MLB", view: "all", pages: 1 }, {
      fetcher: fetcher(),
      baseUrl: server.url,
    });
    assert.equal(report.offers.length, 1);
    assert.equal(report.invalid.length, 1);
    assert.match(report.invalid[0]!.errors.join(), /item_id: /);
  } finally {
    await server.close();
  }
});

test("scrape: an unreachable site is a network error, not an empty success", async () => {
  const server = await siteServing([]);
  const baseUrl = server.url;
  await server.close();
  const report = await scrapeView({ site: "MLB", view: "all", pages: 3 }, { fetcher: fetcher(), baseUrl });
  assert.equal(report.pagesFetched, 0);
  assert.equal(report.errors[0]?.kind, "network");
});
