/**
 * The demo's history produces every verdict: loaded into a local warehouse through the consumer's
 * own transform and staging, the web view's DuckDB source judges today's offers as each scenario
 * intends (real, inflated twice over, not enough history).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shapeOf, stageRows } from "../batch/staging.ts";
import { transform } from "../batch/transform.ts";
import { toOfferMessage } from "../shared/offer.ts";
import { DAILY_OFFERS } from "../shared/tables.ts";
import { SITES } from "../shared/sites.ts";
import { offerDate } from "../shared/timestamp.ts";
import { realCards } from "../test/real-offers.ts";
import { inProcessLocalWarehouse } from "../test/seeded-warehouses.ts";
import { DuckDbSource } from "../web/duckdb-source.ts";
import type { Deal } from "../web/deals.ts";
import { DEMO_DAYS, demoHistory, type Scenario, scenarioOf } from "./demo-history.ts";

let root: string;
const now = new Date();
const cards = realCards();
const history = demoHistory(cards, now);
let deals: Deal[];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "ofertas-demo-"));
  const enc = new TextEncoder();
  const records = history.flatMap((day, d) =>
    day.offers.map((offer, i) => ({
      topic: "demo",
      partition: 0,
      offset: String(d * 10_000 + i),
      key: null,
      headers: {},
      value: enc.encode(JSON.stringify(toOfferMessage(offer, {
        scrape_id: `demo-${day.day}`,
        scraped_at: day.scrapedAt,
        source_url: `https://${SITES[offer.site].dealsHost}/ofertas`,
      }))),
    }))
  );
  const { rows, deadLetters } = await transform(records, now.toISOString());
  expect(deadLetters.map((d) => d.reason)).toEqual([]);
  const warehouse = await inProcessLocalWarehouse(root);
  await warehouse.load(
    await stageRows(root, shapeOf(DAILY_OFFERS), rows, [
      { topic: "demo", partition: 0, first: "0", last: String(records.length) },
    ]),
  );
  deals = await new DuckDbSource(root).deals(offerDate(now.toISOString()));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

test("demo history: 31 days, the last one today", () => {
  expect(history.length).toBe(DEMO_DAYS);
  expect(history.at(-1)!.day).toBe(offerDate(now.toISOString()));
});

test("demo history: every scenario gets the verdict it is written for", () => {
  const expected: Record<Scenario, Deal["verdict"]> = {
    genuine_drop: "real",
    raised_first: "inflated",
    back_from_sale: "inflated",
    new_item: "insufficient_history",
  };
  const unique = [...new Map(cards.map((c) => [`${c.site}/${c.item_id}`, c])).keys()];
  const byKey = new Map(deals.map((d) => [`${d.site}/${d.item_id}`, d]));
  expect(deals.length).toBe(unique.length);
  const seen = new Set<string>();
  unique.forEach((key, i) => {
    const deal = byKey.get(key);
    expect(deal, key).toBeDefined();
    expect(`${scenarioOf(i)} ${deal!.verdict}`).toBe(`${scenarioOf(i)} ${expected[scenarioOf(i)]}`);
    seen.add(deal!.verdict);
  });
  expect([...seen].sort()).toEqual(["inflated", "insufficient_history", "real"]);
});
