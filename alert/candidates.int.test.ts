/** The candidates' BigQuery SQL on the emulator: the same verdicts and lows as the DuckDB twin (candidates.test.ts). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { integrationEnv } from "../test/integration-env.ts";
import { EXPECTED_FAKE_DISCOUNTS, historyBatch, REPORT_DAY } from "../test/offer-history.ts";
import { emulatorWarehouse } from "../test/seeded-warehouses.ts";
import { BigQueryCandidates } from "./candidates.ts";

test("candidates on BigQuery: the scheduled queries' verdicts, the lows and the previous day, from item_days", async () => {
  const dataset = `candidates_${Date.now()}`;
  const warehouse = await emulatorWarehouse(dataset);
  const batch = await historyBatch(mkdtempSync(join(tmpdir(), "ofertas-candidates-bq-")));
  await warehouse.load(batch);
  const source = new BigQueryCandidates({
    projectId: integrationEnv.bigqueryProject,
    dataset,
    location: "US",
    apiEndpoint: integrationEnv.bigqueryEndpoint,
  });
  const rows = await source.observations(batch.ranges, REPORT_DAY, [7, 30]);
  for (const expected of EXPECTED_FAKE_DISCOUNTS) {
    // the day's last observation is the one the scheduled query judges (each observation has its own verdict)
    const row = rows.findLast((r) => r.item_id === expected.item_id)!;
    assert.ok(row, expected.item_id);
    assert.equal(row.verdict, expected.verdict, expected.item_id);
    assert.equal(row.real_discount_pct === null ? null : Number(row.real_discount_pct), expected.real_discount_pct);
    assert.equal(row.lows[30] === null ? null : Number(row.lows[30]), expected.min_price_30d);
  }
  // both of the day's observations of MLB1000000001, in scrape order, each judged at its own price
  const seen = rows.filter((r) => r.item_id === "MLB1000000001");
  assert.deepEqual(seen.map((r) => [r.price, r.real_discount_pct]), [["75.00", "25.00"], ["70.00", "30.00"]]);
  const drop = rows.findLast((r) => r.item_id === "MLB1000000001")!;
  assert.equal(drop.previous_price, "100.00");
  assert.equal(drop.lows[7], "100.00");
});
