/**
 * item_days on the BigQuery emulator, kept by the real load path (GCS, load job, MERGE, then the
 * item_days MERGE from the same staging table): it says what price_history.sql says of the same
 * days, and a batch loaded twice changes nothing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { historyBatch, REPORT_DAY } from "../test/offer-history.ts";
import { emulatorQueryEngine, emulatorWarehouse } from "../test/seeded-warehouses.ts";
import { integrationEnv } from "../test/integration-env.ts";
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

test("item_days on BigQuery: the loads keep what price_history.sql computes; a batch twice changes nothing", async () => {
  const datasetId = `item_days_${Date.now()}`;
  const warehouse = await emulatorWarehouse(datasetId);
  const spool = mkdtempSync(join(tmpdir(), "ofertas-item-days-bq-"));
  await warehouse.load(await historyBatch(spool));
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
});
