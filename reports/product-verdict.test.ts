/**
 * The verdict at product level (product_discounts.sql: fake_discounts.sql over product_history.sql)
 * on a scripted 31-day history, against the verdict computed by hand
 * (test/product-verdict-history.ts): a seller who relists a listing with an inflated "original"
 * price gets no fresh history at product level. Real DuckDB, the real load path and the scheduled
 * query as reports/queries.ts runs it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shapeOf, stageRows } from "../batch/staging.ts";
import { transform } from "../batch/transform.ts";
import { DAILY_OFFERS } from "../shared/tables.ts";
import { offerDate } from "../shared/timestamp.ts";
import { HAND_VERDICTS, plainVerdict, productVerdictHistory } from "../test/product-verdict-history.ts";
import { inProcessLocalWarehouse } from "../test/seeded-warehouses.ts";
import { DuckDbEngine } from "../query/engine.ts";
import { DEFAULT_REPORT_SETTINGS, materializeReport, readReport, scheduledSql } from "./scheduled-queries.ts";
import { addDays, judgedOffersSql } from "../shared/sql-templates.ts";

const REPORT_DAY = addDays(offerDate(new Date().toISOString()), -2);

test("product verdict: a product's best price of the day against its 30-day low across every seller equals the verdict computed by hand; the relisted item alone has no history", async () => {
  const root = mkdtempSync(join(tmpdir(), "ofertas-product-verdict-"));
  const warehouse = await inProcessLocalWarehouse(root);
  const enc = new TextEncoder();
  const records = productVerdictHistory(REPORT_DAY).map((m, i) => ({
    topic: "deal-of-the-day",
    partition: 0,
    offset: String(i),
    key: null,
    value: enc.encode(JSON.stringify(m)),
    headers: {},
  }));
  const { rows } = await transform(records, new Date().toISOString());
  await warehouse.load(await stageRows(root, shapeOf(DAILY_OFFERS), rows));

  const engine = await DuckDbEngine.open(root, { readOnly: false });
  try {
    await materializeReport(engine, "product_discounts", "main", REPORT_DAY, DEFAULT_REPORT_SETTINGS);
    const verdicts = await readReport(engine, "product_discounts", "main", REPORT_DAY);
    assert.deepEqual(verdicts.map(plainVerdict), HAND_VERDICTS);
    // the relisted item, judged alone, has no history to be judged against
    const items = await engine.run(judgedOffersSql("duckdb", "main", REPORT_DAY));
    assert.equal(items.find((r) => r.item_id === "MLB3000000004")?.verdict, "insufficient_history");
  } finally {
    await engine.close();
  }
});

test("product verdict: the scheduled query reads 30 days of product_days and one day of daily_offers, every placeholder filled in", () => {
  const sql = scheduledSql("bigquery", "product_discounts", "p.ds", "2026-06-30", DEFAULT_REPORT_SETTINGS);
  assert.doesNotMatch(sql, /\{\{|@run_date/);
  const reads = [...sql.matchAll(/FROM `p\.ds\.(\w+)`\s*WHERE ([^\n]+)/g)].map((m) => `${m[1]}: ${m[2]}`);
  assert.deepEqual(reads, [
    "product_days: offer_date BETWEEN DATE_SUB(DATE '2026-07-01', INTERVAL 31 DAY) AND DATE_SUB(DATE '2026-07-01', INTERVAL 2 DAY)",
    "daily_offers: offer_date IN (DATE '2026-06-30') AND product_id IS NOT NULL AND TRUE",
  ]);
  // the verdict is fake_discounts.sql's own: its rules are in the text, once
  assert.equal(sql.match(/original_above_30d_high/g)?.length, 1);
});
