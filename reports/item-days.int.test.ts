/**
 * item_days on the BigQuery emulator, kept by the real load path, in both forms of its statements
 * (docs/emulators.md): production's (the daily_offers MERGE, then the item_days MERGE from the same
 * staging table) and the emulator's (an INSERT of new keys, then the touched item-days recomputed).
 * Loaded as two batches that share items and days, it says what price_history.sql says of the same
 * days, and a batch loaded again changes nothing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { historyBatch, REPORT_DAY } from "../test/offer-history.ts";
import { emulatorQueryEngine, emulatorWarehouse } from "../test/seeded-warehouses.ts";
import { integrationEnv } from "../test/integration-env.ts";
import { shapeOf, splitBatch } from "../batch/staging.ts";
import { DAILY_OFFERS } from "../shared/tables.ts";
import { addDays, renderSql } from "./sql-templates.ts";

const COMPARED = [
  "offer_date",
  "site",
  "item_id",
  "title",
  "currency",
  "min_price",
  "max_price",
  "last_price",
  "original_price",
  "displayed_discount_pct",
];

const plain = (rows: Array<Record<string, unknown>>) =>
  rows.map((r) =>
    COMPARED.map((
      c,
    ) => (r[c] === null || r[c] === undefined ? null : String(Number.isNaN(Number(r[c])) ? r[c] : Number(r[c]))))
  )
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

for (const forms of ["emulator", "production"] as const) {
  test(`item_days on BigQuery (${forms} forms): two loads keep what price_history.sql computes; a batch again changes nothing`, async () => {
    await check(forms);
  });
}

async function check(forms: "emulator" | "production") {
  const datasetId = `item_days_${forms}_${Date.now()}`;
  const warehouse = await emulatorWarehouse(datasetId, forms);
  const spool = mkdtempSync(join(tmpdir(), "ofertas-item-days-bq-"));
  // two batches of the same days and items (a day's observations split between them)
  const [a, b] = await splitBatch(await historyBatch(spool), spool, shapeOf(DAILY_OFFERS));
  await warehouse.load(a!);
  await warehouse.load(b!);
  const engine = emulatorQueryEngine();
  const dataset = `${integrationEnv.bigqueryProject}.${datasetId}`;
  const read = async () => {
    const history = renderSql("bigquery", "price_history", {
      dataset,
      reportDate: REPORT_DAY,
      days: { first: addDays(REPORT_DAY, -40), last: addDays(REPORT_DAY, 1) },
    });
    return {
      summary: plain(
        await engine.run(
          `SELECT ${COMPARED.join(", ")} FROM \`${dataset}.item_days\` WHERE offer_date >= DATE '2026-01-01'`,
        ),
      ),
      history: plain(await engine.run(`SELECT ${COMPARED.join(", ")} FROM (${history})`)),
    };
  };
  const first = await read();
  assert.ok(first.history.length > 40);
  assert.deepEqual(first.summary, first.history);
  await warehouse.load(await historyBatch(spool));
  assert.deepEqual((await read()).summary, first.summary);
}
