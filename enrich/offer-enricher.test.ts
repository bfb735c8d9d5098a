/**
 * The enricher's decisions, on the project's own product page and a scripted upstream: details
 * produced under the contract, nothing fetched twice within the freshness window, the per-scrape
 * cap, no ad links, a pause after a challenge, a backoff after a failure.
 */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { parseProductPage } from "../edge/scraper/product/parse-product-page.ts";
import { FetchFailure } from "../edge/scraper/polite-fetch.ts";
import type { OfferMessage } from "../shared/offer.ts";
import { type DetailsMessage, validateDetailsMessage } from "../shared/contract/details-message.ts";
import { sampleMessage } from "../test/sample-offer.ts";
import { type StockMessage, validateStockMessage } from "../shared/contract/stock-message.ts";
import { FreshnessLedger } from "./freshness.ts";
import { OfferEnricher, productUrlOf } from "./offer-enricher.ts";

const ITEM_PAGE = readFileSync(new URL("../edge/scraper/fixtures/product/item-br.html", import.meta.url), "utf8");
const CHALLENGE = readFileSync(
  new URL("../edge/scraper/fixtures/challenge-micro-landing.html", import.meta.url),
  "utf8",
);
const DAY = 86_400_000;

function setup(pages: (url: URL) => string = () => ITEM_PAGE, perScrape = 3) {
  let now = Date.parse("2026-11-26T12:00:00Z");
  const fetched: string[] = [];
  const produced: DetailsMessage[] = [];
  const stock: StockMessage[] = [];
  const enricher = new OfferEnricher({
    fetchPage: (url) => {
      fetched.push(url.toString());
      return Promise.resolve(pages(url));
    },
    parse: parseProductPage,
    produce: (m) => {
      produced.push(m);
      return Promise.resolve();
    },
    produceStock: (m) => {
      stock.push(m);
      return Promise.resolve();
    },
    ledger: new FreshnessLedger(7 * DAY),
    perScrape,
    challengePauseMs: 600_000,
    failureBackoffMs: 3_600_000,
    now: () => now,
  });
  return { enricher, fetched, produced, stock, advance: (ms: number) => (now += ms) };
}

let sequence = 0;
const offer = (overrides: Record<string, unknown> = {}) => {
  const id = `MLB${7_000_000_000 + sequence++}`;
  return sampleMessage({
    item_id: id,
    url: `https://produto.mercadolivre.com.br/MLB-${id.slice(3)}-furadeira-_JM`,
    product_id: null,
    ...overrides,
  }) as unknown as OfferMessage;
};

test("enricher: an offer's page becomes a details message the contract accepts, keyed by the offer's item", async () => {
  const { enricher, fetched, produced } = setup();
  const o = offer();
  expect(await enricher.handle(o)).toEqual({ outcome: "detailed" });
  expect(fetched).toEqual([o.url]);
  expect(produced).toHaveLength(1);
  const m = produced[0]!;
  expect(validateDetailsMessage(m).ok).toBe(true);
  expect(m.item_id).toBe(o.item_id);
  expect(m.shown_item_id).toBe("MLB1234567890"); // the page's own item
  expect(m.page_kind).toBe("product");
  expect(m.attributes).toHaveLength(3);
  expect(m.fetched_at).toBe("2026-11-26T12:00:00.000Z");
});

test("enricher: an item detailed within the freshness window is not fetched again; after it, it is", async () => {
  const { enricher, fetched, advance } = setup();
  const o = offer();
  await enricher.handle(o);
  advance(6 * DAY);
  expect(await enricher.handle({ ...o, scrape_id: "scrape-0002" })).toEqual({ outcome: "fresh" });
  expect(fetched).toHaveLength(1);
  advance(DAY + 1);
  expect((await enricher.handle({ ...o, scrape_id: "scrape-0003" })).outcome).toBe("detailed");
  expect(fetched).toHaveLength(2);
});

test("enricher: at most perScrape pages for one scrape's offers; the next scrape has its own", async () => {
  const { enricher, fetched } = setup(undefined, 2);
  const outcomes = [];
  for (let i = 0; i < 4; i++) outcomes.push((await enricher.handle(offer())).outcome);
  expect(outcomes).toEqual(["detailed", "detailed", "capped", "capped"]);
  expect((await enricher.handle(offer({ scrape_id: "scrape-other" }))).outcome).toBe("detailed");
  expect(fetched).toHaveLength(3);
});

test("enricher: ads and links that are not product pages are never fetched", async () => {
  const { enricher, fetched } = setup();
  expect((await enricher.handle(offer({ sponsored: true }))).outcome).toBe("not_a_product_link");
  expect((await enricher.handle(offer({ url: "https://www.mercadolivre.com.br/ofertas" }))).outcome).toBe(
    "not_a_product_link",
  );
  expect(fetched).toEqual([]);
  expect(
    productUrlOf({ site: "MLB", sponsored: false, url: "https://www.mercadolivre.com.br/x/p/MLB22246671#wid=MLB1" }),
  )
    .toEqual(new URL("https://www.mercadolivre.com.br/x/p/MLB22246671"));
  expect(productUrlOf({ site: "MLA", sponsored: false, url: "https://www.mercadolivre.com.br/x/p/MLB22246671" }))
    .toBeNull();
});

test("enricher: a challenge pauses every fetch; the pause ends", async () => {
  let challenged = true;
  const { enricher, fetched, produced, advance } = setup(() => (challenged ? CHALLENGE : ITEM_PAGE), 100);
  expect((await enricher.handle(offer())).outcome).toBe("challenge");
  expect((await enricher.handle(offer())).outcome).toBe("paused");
  expect(fetched).toHaveLength(1);
  challenged = false;
  advance(600_001);
  expect((await enricher.handle(offer())).outcome).toBe("detailed");
  expect(produced).toHaveLength(1);
});

test("enricher: a failed fetch backs that item off; other items go on", async () => {
  const failing = offer();
  const { enricher, fetched, advance } = setup((url) => {
    if (url.toString() === failing.url) throw new FetchFailure("http", url.toString(), 404, 1, "HTTP 404");
    return ITEM_PAGE;
  });
  const first = await enricher.handle(failing);
  expect(first.outcome).toBe("fetch_failed");
  expect(first.detail).toContain("http");
  expect((await enricher.handle({ ...failing, scrape_id: "scrape-0009" })).outcome).toBe("fresh");
  expect((await enricher.handle(offer())).outcome).toBe("detailed");
  advance(3_600_001);
  expect((await enricher.handle({ ...failing, scrape_id: "scrape-0010" })).outcome).toBe("fetch_failed");
  expect(fetched.filter((u) => u === failing.url)).toHaveLength(2);
});

test("freshness ledger: bounded; the oldest entries go first", () => {
  const ledger = new FreshnessLedger(DAY, 3);
  for (let i = 0; i < 5; i++) ledger.markDetailed(`MLB${i}`, 1_000 + i);
  expect(ledger.size).toBe(3);
  expect(ledger.isFresh("MLB0", 2_000)).toBe(false);
  expect(ledger.isFresh("MLB4", 2_000)).toBe(true);
});

test("enricher: each page it details says what it said of the stock too, for the listing it was fetched for", async () => {
  const { enricher, stock } = setup();
  const o = offer();
  expect(await enricher.handle(o)).toEqual({ outcome: "detailed" });
  expect(stock.map((m) => [m.subject, m.item_id, m.available, m.available_quantity, m.source, m.watch_id])).toEqual([
    ["item", o.item_id, true, 2, "enricher", null],
  ]);
  expect(validateStockMessage(stock[0]).ok).toBe(true);
});
