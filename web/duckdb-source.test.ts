/**
 * The web view's verdicts on the local warehouse are the scheduled queries' own: for the report
 * day of the synthetic history, the list computed on the fly (today's price history by
 * price_history.sql, then fake_discounts.sql) gives the hand-written verdicts.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { EXPECTED_FAKE_DISCOUNTS, EXPECTED_PRICE_HISTORY_ITEM1, REPORT_DAY } from "../test/offer-history.ts";
import { seededLocalWarehouse } from "../test/seeded-warehouses.ts";
import { addDays } from "../shared/sql-templates.ts";
import { DuckDbSource } from "./duckdb-source.ts";

let root: string;
before(async () => {
  root = await seededLocalWarehouse();
});
after(() => rmSync(root, { recursive: true, force: true }));

test("web on DuckDB: the day's verdicts, computed on the fly, are the scheduled queries' verdicts", async () => {
  const deals = await new DuckDbSource(root).deals(REPORT_DAY);
  const byId = new Map(deals.map((d) => [`${d.site}/${d.item_id}`, d]));
  assert.equal(deals.length, EXPECTED_FAKE_DISCOUNTS.length);
  for (const e of EXPECTED_FAKE_DISCOUNTS) {
    const d = byId.get(`${e.site}/${e.item_id}`);
    assert.ok(d, e.item_id);
    assert.equal(d.verdict, e.verdict, e.item_id);
    assert.equal(d.reason, e.reason, e.item_id);
    assert.equal(d.history_days, e.history_days, e.item_id);
    assert.equal(d.real_discount_pct === null ? null : Number(d.real_discount_pct), e.real_discount_pct, e.item_id);
    assert.equal(d.min_price_30d === null ? null : Number(d.min_price_30d), e.min_price_30d, e.item_id);
    assert.match(d.url, /^https:\/\//);
  }
});

test("web on DuckDB: an item's history by price_history.sql, one point per day seen", async () => {
  const history = await new DuckDbSource(root).history("MLB", "MLB1000000001", addDays(REPORT_DAY, -89), REPORT_DAY);
  assert.equal(history.points.length, 21, "20 days at 100, then the report day");
  const last = history.points[history.points.length - 1]!;
  assert.equal(last.offer_date, REPORT_DAY);
  assert.equal(Number(last.min_price), Number(EXPECTED_PRICE_HISTORY_ITEM1.min_price));
  assert.equal(Number(last.max_price), Number(EXPECTED_PRICE_HISTORY_ITEM1.max_price));
  assert.deepEqual(last.labels, EXPECTED_PRICE_HISTORY_ITEM1.labels);
});

test("web on DuckDB: no warehouse yet reads as no offers, not as an error", async () => {
  assert.deepEqual(await new DuckDbSource(join(root, "nothing-here")).deals(REPORT_DAY), []);
});
