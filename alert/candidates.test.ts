/**
 * What the alerter compares, from the real load path into a real DuckDB warehouse: the observations
 * of the report day with the verdicts fake_discounts.sql gives (the scheduled queries'
 * hand-written answers), their lows over the prior days and the previous day's price.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXPECTED_FAKE_DISCOUNTS, historyBatch, REPORT_DAY } from "../test/offer-history.ts";
import { inProcessLocalWarehouse } from "../test/seeded-warehouses.ts";
import { DuckDbCandidates } from "./candidates.ts";

test("candidates: the day's touched items with the scheduled queries' verdicts, their lows and the previous day", async () => {
  const root = mkdtempSync(join(tmpdir(), "ofertas-candidates-"));
  const warehouse = await inProcessLocalWarehouse(root);
  const batch = await historyBatch(root);
  await warehouse.load(batch);
  const rows = await new DuckDbCandidates(root).observations(batch.ranges, REPORT_DAY, [7, 30]);
  assert.ok(rows.length >= EXPECTED_FAKE_DISCOUNTS.length);
  for (const expected of EXPECTED_FAKE_DISCOUNTS) {
    // the day's last observation is the one the scheduled query judges (each observation has its own verdict)
    const row = rows.findLast((r) => r.item_id === expected.item_id)!;
    assert.ok(row, expected.item_id);
    assert.equal(row.verdict, expected.verdict, expected.item_id);
    assert.equal(row.real_discount_pct === null ? null : Number(row.real_discount_pct), expected.real_discount_pct);
    assert.equal(Number(row.price), expected.price);
    assert.equal(
      row.lows[30] === null ? null : Number(row.lows[30]),
      expected.min_price_30d,
      `${expected.item_id} low_30`,
    );
  }
  // MLB1000000001: 100.00 every day for 20 days, then 70.00 on the report day
  // both of the day's observations of MLB1000000001, in scrape order, each judged at its own price
  const seen = rows.filter((r) => r.item_id === "MLB1000000001");
  assert.deepEqual(seen.map((r) => [r.price, r.real_discount_pct]), [["75.00", "25.00"], ["70.00", "30.00"]]);
  const drop = rows.findLast((r) => r.item_id === "MLB1000000001")!;
  assert.equal(drop.previous_price, "100.00");
  assert.equal(drop.lows[7], "100.00");
  assert.equal(drop.watch_id, null);
  assert.match(drop.scraped_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  // positions no load covered hold nothing
  const elsewhere = batch.ranges.map((r) => ({ ...r, first: "900000000", last: "900000001" }));
  assert.deepEqual(await new DuckDbCandidates(root).observations(elsewhere, REPORT_DAY, [30]), []);
});
