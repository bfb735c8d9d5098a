import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { FakeClock, startLocalServer } from "../../test/local-server.ts";
import { PoliteFetcher } from "./polite-fetch.ts";
import { scrapeView, siteRedirects } from "./scrape-view.ts";

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

test("scrape: one absurd card is an invalid offer with a reason; the page's good cards are kept", async () => {
  const html = (await fixture("deals-br.html"))
    .replace("(3170)", "(99999999999999999999999)")
    .replace('aria-label="Agora: 139 reais com 99 centavos"', 'aria-label="Agora: 99999999999999999999999 reais"');
  const server = await siteServing([html]);
  try {
    const report = await scrapeView({ site: "MLB", view: "all", pages: 1 }, {
      fetcher: fetcher(),
      baseUrl: server.url,
    });
    assert.deepEqual(report.errors, []);
    assert.equal(report.offers.length + report.invalid.length, 3);
    assert.ok(report.invalid.length >= 1);
    assert.match(report.invalid.map((i) => i.errors.join()).join("|"), /reviews: must be at most|price: must be/);
  } finally {
    await server.close();
  }
});

test("scrape: a page with far more cards than a page holds is refused (too_many_cards) before any DOM is built", async () => {
  const card = '<div class="andes-card poly-card"><div class="poly-card__content"></div></div>';
  const server = await siteServing([`<html><body>${card.repeat(100_000)}</body></html>`]);
  try {
    const report = await scrapeView({ site: "MLB", view: "all", pages: 1 }, {
      fetcher: new PoliteFetcher({ clock: new FakeClock(), maxBytes: 16 * 1024 * 1024 }),
      baseUrl: server.url,
      maxCards: 120,
    });
    assert.equal(report.offers.length, 0);
    assert.equal(report.errors[0]?.kind, "too_many_cards");
  } finally {
    await server.close();
  }
});

test("scrape: a redirect off the site is an error of kind redirect, and the other host is never asked", async () => {
  const other = await startLocalServer((_req, res) => res.end("<html></html>"));
  const server = await startLocalServer((_req, res) => res.writeHead(302, { location: `${other.url}/ofertas` }).end());
  try {
    const report = await scrapeView({ site: "MLB", view: "all", pages: 2 }, {
      fetcher: fetcher(),
      baseUrl: server.url,
    });
    assert.equal(report.errors[0]?.kind, "redirect");
    assert.equal(other.requests.length, 0);
  } finally {
    await server.close();
    await other.close();
  }
});

test("scrape: redirects are followed only to https hosts of the same site", () => {
  const policy = siteRedirects("MLB", null);
  const from = new URL("https://www.mercadolivre.com.br/ofertas");
  assert.equal(policy(from, new URL("https://lista.mercadolivre.com.br/x")), true);
  assert.equal(policy(from, new URL("http://www.mercadolivre.com.br/x")), false, "not downgraded to http");
  assert.equal(policy(from, new URL("https://www.mercadolibre.com.ar/x")), false, "another site");
  assert.equal(policy(from, new URL("https://evil.example/x")), false);
  assert.equal(policy(from, new URL("https://www.mercadolivre.com.br.evil.example/x")), false);
});

test("scrape: a page of a few hundred thousand tiny elements is refused (too_large) before any DOM is built", async () => {
  const server = await siteServing([`<html><body>${"<span></span>".repeat(300_000)}</body></html>`]);
  try {
    const report = await scrapeView({ site: "MLB", view: "all", pages: 1 }, {
      fetcher: fetcher(),
      baseUrl: server.url,
    });
    assert.equal(report.errors[0]?.kind, "too_large");
    assert.match(report.errors[0]!.message, /300\d+ elements/);
  } finally {
    await server.close();
  }
});
