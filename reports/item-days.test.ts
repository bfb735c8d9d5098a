/**
 * item_days, as the loads keep it, says what price_history.sql says of the same days (lowest,
 * highest, last price, "original", discount shown, title): the alerter's summary is the
 * scheduled query's answer, kept current instead of recomputed. Loading a batch again changes
 * nothing; a batch of the same day folds in. Real DuckDB, the real load path.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shapeOf, stageRows } from "../batch/staging.ts";
import { transform } from "../batch/transform.ts";
import { DAILY_OFFERS } from "../shared/tables.ts";
import { historyBatch, REPORT_DAY } from "../test/offer-history.ts";
import { sampleMessage } from "../test/sample-offer.ts";
import { inProcessLocalWarehouse } from "../test/seeded-warehouses.ts";
import { DuckDbEngine } from "./query-engine.ts";
import { addDays, renderSql } from "./sql-templates.ts";

const COMPARED =
  "offer_date, site, item_id, title, currency, min_price, max_price, last_price, original_price, displayed_discount_pct";

async function compare(root: string): Promise<{ summary: unknown[]; history: unknown[] }> {
  const engine = await DuckDbEngine.open(root);
  try {
    const history = renderSql("duckdb", "price_history", {
      dataset: "main",
      reportDate: REPORT_DAY,
      days: { first: addDays(REPORT_DAY, -40), last: addDays(REPORT_DAY, 1) },
    });
    return {
      summary: await engine.run(`SELECT ${COMPARED} FROM item_days ORDER BY ALL`),
      history: await engine.run(`SELECT ${COMPARED} FROM (${history}) ORDER BY ALL`),
    };
  } finally {
    await engine.close();
  }
}

test("item_days: the loads keep what price_history.sql computes, and a batch loaded twice changes nothing", async () => {
  const root = mkdtempSync(join(tmpdir(), "ofertas-item-days-"));
  const warehouse = await inProcessLocalWarehouse(root);
  const batch = await historyBatch(root);
  await warehouse.load(batch);
  const first = await compare(root);
  assert.ok(first.history.length > 40, `${first.history.length} item-days`);
  assert.deepEqual(first.summary, first.history);

  // the same batch again (a retry after a crash): nothing changes
  await warehouse.load(await historyBatch(root));
  assert.deepEqual((await compare(root)).summary, first.summary);

  // a later batch of the report day: a new low, a later last price, and a watch
  const enc = new TextEncoder();
  const records = [
    sampleMessage({
      item_id: "MLB1000000001",
      price: "60.00",
      original_price: "100.00",
      discount_pct: 40,
      scraped_at: `${REPORT_DAY}T23:00:00Z`,
      scrape_id: "late-scrape",
      watch_id: "w1",
    }),
    sampleMessage({
      item_id: "MLB1000000001",
      price: "65.00",
      original_price: "100.00",
      discount_pct: 35,
      scraped_at: `${REPORT_DAY}T22:00:00Z`,
      scrape_id: "late-scrape-2",
      watch_id: "w2",
    }),
  ].map((m, i) => ({
    topic: "t2",
    partition: 0,
    offset: String(i),
    key: null,
    value: enc.encode(JSON.stringify(m)),
    headers: {},
  }));
  const { rows } = await transform(records, "2026-07-01T03:00:00Z");
  await warehouse.load(await stageRows(root, shapeOf(DAILY_OFFERS), rows));
  const after = await compare(root);
  assert.deepEqual(after.summary, after.history);
  const engine = await DuckDbEngine.open(root);
  try {
    const [row] = await engine.run(
      `SELECT last_price, min_price, watch_ids FROM item_days WHERE item_id = 'MLB1000000001' AND offer_date = DATE '${REPORT_DAY}'`,
    );
    assert.deepEqual(row, { last_price: "60.000000000", min_price: "60.000000000", watch_ids: ["w1", "w2"] });
  } finally {
    await engine.close();
  }
});
