/**
 * The BigQuery SQL of item_details and deals_by_category on the emulator: the same history and
 * details (loaded through GCS, load jobs and MERGE) and the same answers as the DuckDB twins.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { EXPECTED_DEALS_BY_CATEGORY } from "../test/details-history.ts";
import { normalize, REPORT_DAY } from "../test/offer-history.ts";
import { emulatorQueryEngine, seededEmulatorDataset } from "../test/seeded-warehouses.ts";
import type { BigQueryEngine } from "../query/engine.ts";
import { dealsByCategorySql, itemDetailsSql } from "../shared/sql-templates.ts";

const datasetId = `details_queries_${Date.now()}`;
let engine: BigQueryEngine;
let dataset: string;

before(async () => {
  dataset = await seededEmulatorDataset(datasetId, { details: true });
  engine = emulatorQueryEngine();
});

test("emulator queries: item_details keeps each item's latest details within the 30 days", async () => {
  const rows = await engine.run(itemDetailsSql("bigquery", dataset, REPORT_DAY));
  const byItem = new Map(rows.map((r) => [r.item_id, r]));
  assert.deepEqual([...byItem.keys()].sort(), ["MLA2000000001", "MLA2000000002", "MLB1000000001", "MLB1000000002"]);
  assert.equal(byItem.get("MLB1000000001")!.top_category, "Informática");
});

test("emulator queries: deals_by_category counts the day's verdicts per category", async () => {
  const rows = await engine.run(dealsByCategorySql("bigquery", dataset, REPORT_DAY));
  assert.deepEqual(
    rows.map((r) => normalize(r, Object.keys(EXPECTED_DEALS_BY_CATEGORY[0]!))),
    EXPECTED_DEALS_BY_CATEGORY,
  );
});
