/**
 * item_days on the BigQuery emulator, folded by the real load path in both forms of its
 * statements (docs/emulators.md): production's (a MERGE into daily_offers, each fold one
 * transaction) and the emulator's (an INSERT of new keys, each fold a DELETE job and a query job
 * appending). Loaded as two batches that share items and days, the days the stream moved past say
 * what price_history.sql says of them and the day being scraped stays open; the first load of the
 * next day folds it; late rows fold their items again; a batch loaded again changes nothing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { historyBatch, REPORT_DAY } from "../test/offer-history.ts";
import { emulatorQueryEngine, emulatorWarehouse } from "../test/seeded-warehouses.ts";
import { integrationEnv } from "../test/integration-env.ts";
import { shapeOf, splitBatch, stageRows } from "../batch/staging.ts";
import { transform } from "../batch/transform.ts";
import { DAILY_OFFERS } from "../shared/tables.ts";
import { sampleMessage } from "../test/sample-offer.ts";
import { addDays, renderSql } from "../shared/sql-templates.ts";

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
  test(`item_days on BigQuery (${forms} forms): closed days as price_history.sql says, the open day folded by the next day's load, late rows, a batch again`, async () => {
    await check(forms);
  });
}

async function check(forms: "emulator" | "production") {
  const datasetId = `item_days_${forms}_${Date.now()}`;
  const warehouse = await emulatorWarehouse(datasetId, forms);
  const spool = mkdtempSync(join(tmpdir(), "ofertas-item-days-bq-"));
  const load = async (messages: Array<Record<string, unknown>>, topic: string) => {
    const enc = new TextEncoder();
    const { rows } = await transform(
      messages.map((m, i) => ({
        topic,
        partition: 0,
        offset: String(i),
        key: null,
        value: enc.encode(JSON.stringify(m)),
        headers: {},
      })),
      "2026-07-01T03:00:00Z",
    );
    await warehouse.load(await stageRows(spool, shapeOf(DAILY_OFFERS), rows));
  };
  // two batches of the same days and items (a day's observations split between them)
  const [a, b] = await splitBatch(await historyBatch(spool), spool, shapeOf(DAILY_OFFERS));
  await warehouse.load(a!);
  await warehouse.load(b!);
  const engine = emulatorQueryEngine();
  const dataset = `${integrationEnv.bigqueryProject}.${datasetId}`;
  const read = async (lastDay: string) => {
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
      history: plain(
        await engine.run(`SELECT ${COMPARED.join(", ")} FROM (${history}) WHERE offer_date <= DATE '${lastDay}'`),
      ),
    };
  };
  const open = await read(addDays(REPORT_DAY, -1));
  assert.ok(open.history.length > 30);
  assert.deepEqual(open.summary, open.history, "the days before the report day folded, the report day open");

  await load([sampleMessage({ item_id: "MLB1000000099", scraped_at: `${addDays(REPORT_DAY, 1)}T12:00:00Z` })], "t1");
  const closed = await read(REPORT_DAY);
  assert.ok(closed.history.length > open.history.length);
  assert.deepEqual(closed.summary, closed.history, "the next day's first load folded the report day");

  await warehouse.load(await historyBatch(spool));
  assert.deepEqual((await read(REPORT_DAY)).summary, closed.summary, "a batch again changes nothing");

  await load([
    sampleMessage({
      item_id: "MLB1000000001",
      price: "60.00",
      original_price: "100.00",
      discount_pct: 40,
      scraped_at: `${REPORT_DAY}T23:00:00Z`,
      scrape_id: "late-scrape",
    }),
  ], "t2");
  const late = await read(REPORT_DAY);
  assert.deepEqual(late.summary, late.history, "late rows folded their item again");
  assert.notDeepEqual(late.summary, closed.summary);
}
