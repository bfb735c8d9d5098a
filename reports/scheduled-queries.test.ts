/**
 * The scheduled queries' known answers on the local warehouse (DuckDB twins), from the
 * synthetic history in test/offer-history.ts: the same data and expectations as the BigQuery
 * SQL on the emulator (scheduled-queries.int.test.ts).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import {
  EXPECTED_FAKE_DISCOUNTS,
  EXPECTED_PRICE_HISTORY_ITEM1,
  EXPECTED_TOP_DEALS,
  normalize,
  REPORT_DAY,
} from "../test/offer-history.ts";
import { seededLocalWarehouse } from "../test/seeded-warehouses.ts";
import { DuckDbEngine } from "../query/engine.ts";
import { DEFAULT_REPORT_SETTINGS, materializeReport, readReport, scheduledSql } from "./scheduled-queries.ts";

let root: string;
let engine: DuckDbEngine;

before(async () => {
  root = await seededLocalWarehouse();
  engine = await DuckDbEngine.open(root, { readOnly: false });
});

after(async () => {
  await engine.close();
  rmSync(root, { recursive: true, force: true });
});

test("local queries: price_history keeps the day's last observation, its min/max and the labels seen", async () => {
  await materializeReport(engine, "price_history", "main", REPORT_DAY, DEFAULT_REPORT_SETTINGS);
  const rows = await readReport(engine, "price_history", "main", REPORT_DAY);
  const item = rows.find((r) => r.item_id === "MLB1000000001")!;
  assert.deepEqual(normalize(item, Object.keys(EXPECTED_PRICE_HISTORY_ITEM1)), EXPECTED_PRICE_HISTORY_ITEM1);
  // the 02:30 UTC scrape of July 1st is June 30th in São Paulo
  assert.ok(rows.some((r) => r.item_id === "MLA2000000001"));
  assert.equal(rows.length, 10, "one row per item seen that day");
});

test("local queries: fake_discounts gives the hand-written verdicts", async () => {
  await materializeReport(engine, "fake_discounts", "main", REPORT_DAY, DEFAULT_REPORT_SETTINGS);
  const rows = await readReport(engine, "fake_discounts", "main", REPORT_DAY);
  const keys = Object.keys(EXPECTED_FAKE_DISCOUNTS[0]!);
  assert.deepEqual(rows.map((r) => normalize(r, keys)), EXPECTED_FAKE_DISCOUNTS);
});

test("local queries: daily_top_deals ranks the real discounts per site and overall", async () => {
  await materializeReport(engine, "daily_top_deals", "main", REPORT_DAY, DEFAULT_REPORT_SETTINGS);
  const rows = await readReport(engine, "daily_top_deals", "main", REPORT_DAY);
  const keys = Object.keys(EXPECTED_TOP_DEALS[0]!);
  assert.deepEqual(rows.map((r) => normalize(r, keys)), EXPECTED_TOP_DEALS);
  // top 1: the best per site and the best overall
  await materializeReport(engine, "daily_top_deals", "main", REPORT_DAY, { ...DEFAULT_REPORT_SETTINGS, topN: 1 });
  const top1 = await readReport(engine, "daily_top_deals", "main", REPORT_DAY);
  assert.deepEqual(top1.map((r) => r.item_id), ["MLA2000000001", "MLB1000000001"]);
});

test("local queries: the tolerance and the minimum history are parameters", async () => {
  // with a 50-point tolerance the "raised before the discount" item is forgiven; the inflated original is not
  await materializeReport(engine, "fake_discounts", "main", REPORT_DAY, {
    ...DEFAULT_REPORT_SETTINGS,
    tolerancePct: 50,
  });
  const rows = await readReport(engine, "fake_discounts", "main", REPORT_DAY);
  const verdict = (item: string) => rows.find((r) => r.item_id === item)!.verdict;
  assert.equal(verdict("MLB1000000002"), "real");
  assert.equal(verdict("MLA2000000002"), "inflated");
  // and min_history_days: 2 days of history are enough → MLB1000000006 gets a verdict
  await materializeReport(engine, "fake_discounts", "main", REPORT_DAY, {
    ...DEFAULT_REPORT_SETTINGS,
    minHistoryDays: 2,
  });
  const relaxed = await readReport(engine, "fake_discounts", "main", REPORT_DAY);
  assert.equal(relaxed.find((r) => r.item_id === "MLB1000000006")!.verdict, "real");
  assert.equal(relaxed.find((r) => r.item_id === "MLB1000000003")!.verdict, "insufficient_history");
});

test("queries: every scheduled query filters on the partition column and only reads the partitions it needs", () => {
  for (const name of ["price_history", "fake_discounts", "daily_top_deals", "product_discounts"] as const) {
    const sql = scheduledSql("bigquery", name, "p.ds", REPORT_DAY, DEFAULT_REPORT_SETTINGS);
    for (const from of sql.matchAll(/FROM `p\.ds\.(\w+)`[\s\S]*?WHERE ([^\n]+)/g)) {
      assert.match(
        from[2]!,
        /offer_date (=|BETWEEN|IN \(DATE '[\d-]+'\))/,
        `${name} reads ${from[1]} with a partition filter`,
      );
    }
    assert.match(sql, /DATE '2026-07-01'/, "run_date is the day after the report day");
    assert.doesNotMatch(sql, /\{\{|@run_date/, "every placeholder filled in");
  }
});
