/**
 * The product and stock candidates' BigQuery SQL on the emulator (sql/bigquery/product_candidates.sql,
 * stock_candidates.sql): the same boards, verdicts, lows and previous observations as their DuckDB
 * twins (product-candidates.test.ts, stock.test.ts), and the stock rules decide the same alerts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Rule } from "../shared/alert/rule.ts";
import { shapeOf, stageRows } from "../batch/staging.ts";
import { transform } from "../batch/transform.ts";
import { DAILY_OFFERS } from "../shared/tables.ts";
import { offerDate } from "../shared/timestamp.ts";
import { addDays } from "../shared/sql-templates.ts";
import { integrationEnv } from "../test/integration-env.ts";
import { productVerdictHistory } from "../test/product-verdict-history.ts";
import { emulatorWarehouse } from "../test/seeded-warehouses.ts";
import { itemStock, stockBatch } from "../test/stock-history.ts";
import { BigQueryCandidates } from "./candidates.ts";
import { evaluateStock } from "./stock-evaluator.ts";

const DAY = addDays(offerDate(new Date().toISOString()), -2);

function candidates(dataset: string) {
  return new BigQueryCandidates({
    projectId: integrationEnv.bigqueryProject,
    dataset,
    location: "US",
    apiEndpoint: integrationEnv.bigqueryEndpoint,
  });
}

test("product candidates on BigQuery: each observation's board, the verdicts at product level, the lows and the previous day", async () => {
  const dataset = `product_candidates_${Date.now()}`;
  const warehouse = await emulatorWarehouse(dataset);
  const spool = mkdtempSync(join(tmpdir(), "ofertas-product-candidates-bq-"));
  const enc = new TextEncoder();
  const { rows } = await transform(
    productVerdictHistory(DAY).map((m, i) => ({
      topic: "deal-of-the-day",
      partition: 0,
      offset: String(i),
      key: null,
      value: enc.encode(JSON.stringify(m)),
      headers: {},
    })),
    new Date().toISOString(),
  );
  const batch = await stageRows(spool, shapeOf(DAILY_OFFERS), rows);
  await warehouse.load(batch);
  const seen = await candidates(dataset).productObservations(batch.ranges, DAY, [7], ["MLB|MLB7770001"]);
  assert.deepEqual(seen.map((o) => [o.observed_item_id, o.board.map((l) => `${l.item_id} ${l.price}`)]), [
    ["MLB3000000001", ["MLB3000000001 200.00"]],
    ["MLB3000000004", ["MLB3000000001 200.00", "MLB3000000004 171.00"]],
    ["MLB3000000001", ["MLB3000000001 195.00", "MLB3000000004 171.00"]],
  ]);
  const relisted = seen[1]!.board[1]!;
  assert.deepEqual(
    [relisted.verdict, relisted.real_discount_pct, relisted.min_price_30d, relisted.history_days, relisted.seller],
    ["inflated", "5.00", "180.00", 30, "LOJA B"],
  );
  assert.deepEqual(seen[1]!.lows, { 7: "190.00", 30: "180.00" });
  assert.deepEqual([seen[1]!.previous_price, seen[1]!.previous_day], ["190.00", addDays(DAY, -1)]);
});

test("stock candidates on BigQuery: each observation with its subject's previous one; out and back once each way", async () => {
  const dataset = `stock_candidates_${Date.now()}`;
  const warehouse = await emulatorWarehouse(dataset);
  const spool = mkdtempSync(join(tmpdir(), "ofertas-stock-candidates-bq-"));
  const at = (hour: number) => new Date(Date.parse(`${DAY}T12:00:00Z`) + hour * 3_600_000).toISOString();
  const runs = itemStock([
    { at: at(0), available: true },
    { at: at(1), available: false },
    { at: at(1.5), available: false, source: "enricher" },
    { at: at(2), available: false },
    { at: at(3), available: true },
  ]);
  const first = await stockBatch(spool, runs.slice(0, 2), 0);
  const second = await stockBatch(spool, runs.slice(2), 2);
  await warehouse.load(first);
  await warehouse.load(second);
  const source = candidates(dataset);
  const observed = await source.stockObservations(second.ranges, DAY);
  assert.deepEqual(observed.map((o) => [o.observed_at, o.available, o.previous_available, o.previous_at]), [
    [at(1.5), false, false, at(1)],
    [at(2), false, false, at(1.5)],
    [at(3), true, false, at(2)],
  ]);
  const rules = (["out_of_stock", "back_in_stock"] as const).map((kind) => ({
    key: `watch:drill:${kind}`,
    rule: { kind, clear_after: "6h", rearm_after: null, absent_after: "3d" } as Rule,
    watchId: "drill",
    channels: ["hook"],
    silentFirstRun: false,
    itemId: "MLB1234567890",
  }));
  const all = [...await source.stockObservations(first.ranges, DAY), ...observed];
  const result = await evaluateStock(all, rules, new Map(), { decidedAt: new Date().toISOString(), source: "test" });
  assert.deepEqual(result.alerts.map((a) => [a.kind, a.observed_at]), [["out_of_stock", at(1)], [
    "back_in_stock",
    at(3),
  ]]);
});
