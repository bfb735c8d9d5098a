/**
 * What web.browser.test.ts shows: the synthetic 31-day history of the scheduled-query tests, a day
 * of 60 fresh offers (pages), an offer whose title is markup, what two watches found, their
 * watches, and two alerts as the consumer loads them.
 */
import { rawRecords } from "../test/raw-records.ts";
import { alertRows } from "../test/alert-rows.ts";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parsePage } from "../edge/scraper/parse-page.ts";
import { toOfferMessage } from "../shared/offer.ts";
import { shapeOf, stageRows } from "../batch/staging.ts";
import { transform } from "../batch/transform.ts";
import type { LocalWarehouse } from "../batch/warehouse/local-warehouse.ts";
import { ALERTS, DAILY_OFFERS } from "../shared/tables.ts";
import type { RunRecord } from "../shared/watch/watch-run.ts";
import { historyBatch, REPORT_DAY } from "../test/offer-history.ts";
import { sampleMessage } from "../test/sample-offer.ts";
import { inProcessLocalWarehouse } from "../test/seeded-warehouses.ts";
import type { WatchView } from "./watch-source.ts";

export const FRESH_DAY = "2026-07-02";
export const XSS_TITLE = `<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> Headphones`;

const run = (overrides: Partial<RunRecord>): RunRecord => ({
  type: "run",
  watch_id: "ps5",
  slot: `${FRESH_DAY}T17:00:00.000Z`,
  tick_id: "t",
  started_at: `${FRESH_DAY}T17:00:01.000Z`,
  finished_at: `${FRESH_DAY}T17:00:04.000Z`,
  outcome: "ok",
  scrape_id: "fresh-day-watch-ps5",
  pages_fetched: 1,
  offers: 3,
  produced: 3,
  invalid: 0,
  errors: [],
  failures: 0,
  backoff_until: null,
  ...overrides,
});
export const WATCHES: WatchView[] = [
  {
    id: "drill",
    name: "The drill I want",
    target: { site: "MLB", view: "item", item: "MLB7700000000", pages: 1 },
    period: { cron: "0 9 * * *", time_zone: "America/Sao_Paulo" },
    enabled: true,
    created_at: `${FRESH_DAY}T10:00:00.000Z`,
    updated_at: `${FRESH_DAY}T10:00:00.000Z`,
    status: {
      running: null,
      last_run: run({
        watch_id: "drill",
        outcome: "challenge",
        produced: 0,
        offers: 0,
        failures: 2,
        backoff_until: `${FRESH_DAY}T19:00:00.000Z`,
        errors: [{ kind: "challenge", page: 1, message: "challenge: a proof-of-work page" }],
      }),
      next_run: `${FRESH_DAY}T19:00:00.000Z`,
      backoff_until: `${FRESH_DAY}T19:00:00.000Z`,
      failures: 2,
    },
  },
  {
    id: "ps5",
    name: "PS5 slim",
    target: { site: "MLB", view: "search", query: "playstation 5 slim", pages: 2 },
    period: { every: "30m" },
    enabled: true,
    created_at: `${FRESH_DAY}T10:00:00.000Z`,
    updated_at: `${FRESH_DAY}T10:00:00.000Z`,
    status: {
      running: null,
      last_run: run({}),
      next_run: `${FRESH_DAY}T17:30:00.000Z`,
      backoff_until: null,
      failures: 0,
    },
  },
];

const ALERT_BASE = {
  type: "alert",
  schema_version: 1,
  rule_key: "watch:ps5:real_deal",
  watch_id: "ps5",
  site: "MLB",
  item_id: "MLB1000000001",
  offer_date: REPORT_DAY,
  title: "Fone Bluetooth",
  currency: "BRL",
  url: "https://produto.mercadolivre.com.br/MLB-1000000001-x-_JM",
  verdict: "real",
  channels: ["hook", "mail"],
  source: "batch:b",
} as const;
export const ALERT_RECORDS = [
  {
    ...ALERT_BASE,
    alert_id: "b".repeat(24),
    kind: "real_deal",
    price: "75.00",
    real_discount_pct: "25.00",
    why: "A real discount: R$ 75,00 is 25% below the lowest price of the prior 30 days (R$ 100,00).",
    decided_at: `${REPORT_DAY}T15:00:00.000Z`,
  },
  {
    ...ALERT_BASE,
    alert_id: "c".repeat(24),
    kind: "below",
    price: "70.00",
    real_discount_pct: null,
    why: "R$ 70,00 is at or below your price of R$ 72,00.",
    decided_at: `${REPORT_DAY}T23:59:00.000Z`,
  },
  {
    type: "delivery",
    schema_version: 1,
    alert_id: "b".repeat(24),
    channel: "hook",
    state: "delivered",
    attempts: 1,
    detail: "204 No Content",
    at: `${REPORT_DAY}T15:00:01.000Z`,
  },
  {
    type: "delivery",
    schema_version: 1,
    alert_id: "b".repeat(24),
    channel: "mail",
    state: "delivered",
    attempts: 1,
    detail: "250 OK",
    at: `${REPORT_DAY}T15:00:01.000Z`,
  },
  {
    type: "delivery",
    schema_version: 1,
    alert_id: "c".repeat(24),
    channel: "hook",
    state: "retrying",
    attempts: 2,
    detail: "500 Internal Server Error",
    at: `${REPORT_DAY}T23:59:30.000Z`,
  },
];

export async function loadMessages(root: string, warehouse: LocalWarehouse, messages: Record<string, unknown>[]) {
  const { rows, deadLetters } = await transform(rawRecords("web", messages), "2026-07-03T00:00:00Z");
  assert.deepEqual(deadLetters.map((d) => d.reason), []);
  await warehouse.load(await stageRows(root, shapeOf(DAILY_OFFERS), rows));
}

/** The offers of the project's own saved deals page (edge/scraper/fixtures/deals-br.html), scraped on `day`. */
export function fixturePageOffers(day: string): Record<string, unknown>[] {
  const url = "https://www.mercadolivre.com.br/ofertas";
  const page = parsePage(readFileSync(new URL("../edge/scraper/fixtures/deals-br.html", import.meta.url), "utf8"), {
    url,
  });
  return page.cards.flatMap((c) =>
    c.ok
      ? [
        toOfferMessage(c.offer, { scrape_id: "fresh-day-page", scraped_at: `${day}T18:00:00Z`, source_url: url }),
      ]
      : []
  );
}

/** Loads everything above into a local warehouse at `root`. */
export async function seedWarehouse(root: string): Promise<void> {
  const warehouse = await inProcessLocalWarehouse(root);
  await warehouse.load(await historyBatch(root));
  await loadMessages(root, warehouse, [
    ...Array.from({ length: 60 }, (_, i) =>
      sampleMessage({
        item_id: `MLB77000000${String(i).padStart(2, "0")}`,
        title: `Fresh offer ${i}`,
        scrape_id: "fresh-day-scrape",
        scraped_at: `${FRESH_DAY}T15:00:00Z`,
        position: i + 1,
      })),
    sampleMessage({
      item_id: "MLB7800000000",
      title: XSS_TITLE,
      scrape_id: "fresh-day-xss",
      scraped_at: `${FRESH_DAY}T16:00:00Z`,
    }),
    // what two watches found that day (one item seen by both, and by an ad-hoc scrape)
    ...Array.from({ length: 3 }, (_, i) =>
      sampleMessage({
        item_id: `MLB79000000${i}`,
        title: `Playstation 5 Slim ${i}`,
        scrape_id: "fresh-day-watch-ps5",
        scraped_at: `${FRESH_DAY}T17:00:00Z`,
        source_url: "https://lista.mercadolivre.com.br/playstation-5-slim",
        watch_id: "ps5",
        position: i + 1,
      })),
    sampleMessage({
      item_id: "MLB7700000000",
      scrape_id: "fresh-day-watch-drill",
      scraped_at: `${FRESH_DAY}T17:30:00Z`,
      watch_id: "drill",
      position: null,
      page: null,
    }),
  ]);
  // two alerts about the genuine drop, as the consumer loads them: one delivered, one still retrying
  await warehouse.load(await stageRows(root, shapeOf(ALERTS), alertRows(ALERT_RECORDS, "2026-07-01T00:00:00Z")));
  // the day before: found by item search, not in the fresh day's list the other tests count
  await loadMessages(root, warehouse, fixturePageOffers("2026-07-01"));
}
