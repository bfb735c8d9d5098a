/**
 * item_days, as the loads fold it, says what price_history.sql says of the same days (lowest,
 * highest, last price, "original", discount shown, title) for every day the stream has moved
 * past, and holds nothing of the day being scraped. Loading a batch again changes nothing; late
 * rows of a folded day fold its items again. Real DuckDB, the real load path.
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
import { DuckDbEngine } from "../query/engine.ts";
import { addDays, renderSql } from "../shared/sql-templates.ts";

const COMPARED =
  "offer_date, site, item_id, title, currency, min_price, max_price, last_price, original_price, displayed_discount_pct";

async function compare(root: string, lastDay: string): Promise<{ summary: unknown[]; history: unknown[] }> {
  const engine = await DuckDbEngine.open(root);
  try {
    const history = renderSql("duckdb", "price_history", {
      dataset: "main",
      reportDate: REPORT_DAY,
      days: { first: addDays(REPORT_DAY, -40), last: addDays(REPORT_DAY, 1) },
    });
    return {
      summary: await engine.run(`SELECT ${COMPARED} FROM item_days ORDER BY ALL`),
      history: await engine.run(
        `SELECT ${COMPARED} FROM (${history}) WHERE offer_date <= DATE '${lastDay}' ORDER BY ALL`,
      ),
    };
  } finally {
    await engine.close();
  }
}

test("item_days: the days the stream moved past say what price_history.sql says; the day being scraped stays open; late rows fold their items again; a batch twice changes nothing", async () => {
  const root = mkdtempSync(join(tmpdir(), "ofertas-item-days-"));
  const warehouse = await inProcessLocalWarehouse(root);
  const enc = new TextEncoder();
  const load = async (messages: Array<Record<string, unknown>>, topic: string) => {
    const records = messages.map((m, i) => ({
      topic,
      partition: 0,
      offset: String(i),
      key: null,
      value: enc.encode(JSON.stringify(m)),
      headers: {},
    }));
    const { rows } = await transform(records, "2026-07-01T03:00:00Z");
    await warehouse.load(await stageRows(root, shapeOf(DAILY_OFFERS), rows));
  };
  await warehouse.load(await historyBatch(root));
  const open = await compare(root, addDays(REPORT_DAY, -1));
  assert.ok(open.history.length > 30, `${open.history.length} item-days`);
  assert.deepEqual(open.summary, open.history, "every day before the report day folded, the report day open");

  // the first load of the next day closes the report day
  await load([sampleMessage({ item_id: "MLB1000000099", scraped_at: `${addDays(REPORT_DAY, 1)}T12:00:00Z` })], "t1");
  const first = await compare(root, REPORT_DAY);
  assert.ok(first.history.length > open.history.length);
  assert.deepEqual(first.summary, first.history);

  // the same batch again (a retry after a crash): nothing changes
  await warehouse.load(await historyBatch(root));
  assert.deepEqual((await compare(root, REPORT_DAY)).summary, first.summary);

  // late rows of the (folded) report day: a new low, a later last price, and a watch
  await load([
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
  ], "t2");
  const after = await compare(root, REPORT_DAY);
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
