/**
 * The BigQuery SQL of the scheduled queries on the BigQuery emulator: the same synthetic
 * history (loaded through the real GCS + load job + MERGE path) and the same hand-written
 * answers as the DuckDB twins in scheduled-queries.test.ts.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import {
  EXPECTED_FAKE_DISCOUNTS,
  EXPECTED_PRICE_HISTORY_ITEM1,
  EXPECTED_TOP_DEALS,
  normalize,
  REPORT_DAY,
} from "../test/offer-history.ts";
import { emulatorQueryEngine, seededEmulatorDataset } from "../test/seeded-warehouses.ts";
import type { BigQueryEngine } from "../query/engine.ts";
import { DEFAULT_REPORT_SETTINGS, materialize, materializeReport, readReport } from "./scheduled-queries.ts";

const datasetId = `queries_${Date.now()}`;
let engine: BigQueryEngine;
let dataset: string;

before(async () => {
  dataset = await seededEmulatorDataset(datasetId);
  engine = emulatorQueryEngine();
});

test("emulator queries: price_history keeps the day's last observation, its min/max and the labels seen", async () => {
  await materializeReport(engine, "price_history", dataset, REPORT_DAY, DEFAULT_REPORT_SETTINGS);
  const rows = await readReport(engine, "price_history", dataset, REPORT_DAY);
  const item = rows.find((r) => r.item_id === "MLB1000000001")!;
  assert.deepEqual(normalize(item, Object.keys(EXPECTED_PRICE_HISTORY_ITEM1)), EXPECTED_PRICE_HISTORY_ITEM1);
  assert.equal(rows.length, 10);
});

test("emulator queries: fake_discounts gives the hand-written verdicts", async () => {
  await materializeReport(engine, "fake_discounts", dataset, REPORT_DAY, DEFAULT_REPORT_SETTINGS);
  const rows = await readReport(engine, "fake_discounts", dataset, REPORT_DAY);
  const keys = Object.keys(EXPECTED_FAKE_DISCOUNTS[0]!);
  assert.deepEqual(rows.map((r) => normalize(r, keys)), EXPECTED_FAKE_DISCOUNTS);
});

test("emulator queries: daily_top_deals ranks the real discounts per site and overall", async () => {
  // fake_discounts of the day was materialized by the test above (the emulator takes ~0.7 s per day)
  await materialize(engine, "daily_top_deals", dataset, REPORT_DAY, DEFAULT_REPORT_SETTINGS);
  const rows = await readReport(engine, "daily_top_deals", dataset, REPORT_DAY);
  const keys = Object.keys(EXPECTED_TOP_DEALS[0]!);
  assert.deepEqual(rows.map((r) => normalize(r, keys)), EXPECTED_TOP_DEALS);
});
