/**
 * The stock rules from the real load path into a real DuckDB warehouse: an item watch's runs see
 * the item for sale, then nothing for sale twice, then for sale again (an enricher's fetch among
 * them): one out_of_stock and one back_in_stock, each once per episode, whatever loads carry the
 * observations; a flap within clear_after alerts nothing more; the watch's silent first run is a
 * baseline (sql/duckdb/stock_candidates.sql, alert/stock-evaluator.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Rule } from "../shared/alert/rule.ts";
import { offerDate } from "../shared/timestamp.ts";
import { addDays } from "../shared/sql-templates.ts";
import { inProcessLocalWarehouse } from "../test/seeded-warehouses.ts";
import { itemStock, stockBatch } from "../test/stock-history.ts";
import { DuckDbCandidates } from "./candidates.ts";
import type { EpisodeState } from "./episodes.ts";
import type { ActiveRule } from "./evaluator.ts";
import { evaluateStock } from "./stock-evaluator.ts";

const DAY = addDays(offerDate(new Date().toISOString()), -1);
const at = (hour: number) => new Date(Date.parse(`${DAY}T12:00:00Z`) + hour * 3_600_000).toISOString();

const rule = (kind: "out_of_stock" | "back_in_stock", silent = false): ActiveRule => ({
  key: `watch:drill:${kind}`,
  rule: { kind, clear_after: "6h", rearm_after: null, absent_after: "3d" } as Rule,
  watchId: "drill",
  channels: ["hook"],
  silentFirstRun: silent,
  itemId: "MLB1234567890",
});
const RULES = [rule("out_of_stock"), rule("back_in_stock")];

async function judge(loads: ReadonlyArray<ReadonlyArray<Record<string, unknown>>>, rules = RULES) {
  const root = mkdtempSync(join(tmpdir(), "ofertas-stock-"));
  const warehouse = await inProcessLocalWarehouse(root);
  const source = new DuckDbCandidates(root);
  let states = new Map<string, EpisodeState>();
  const alerts = [];
  let offset = 0;
  for (const messages of loads) {
    const batch = await stockBatch(root, messages, offset);
    offset += messages.length;
    await warehouse.load(batch);
    const observations = [];
    for (const day of batch.dates) observations.push(...await source.stockObservations(batch.ranges, day));
    const result = await evaluateStock(observations, rules, states, { decidedAt: at(99), source: "test" });
    alerts.push(...result.alerts);
    states = new Map([...states, ...result.states]);
  }
  return alerts;
}

const RUNS = itemStock([
  { at: at(0), available: true },
  { at: at(1), available: false },
  { at: at(1.5), available: false, source: "enricher" },
  { at: at(2), available: false },
  { at: at(3), available: true },
  { at: at(4), available: true },
]);

test("stock: an item that sells out and comes back sends one out_of_stock and one back_in_stock, however loads carry the runs", async () => {
  for (const loads of [[RUNS], RUNS.map((m) => [m]), [RUNS.slice(0, 2), RUNS.slice(2, 5), RUNS.slice(5)]]) {
    const alerts = await judge(loads);
    assert.deepEqual(alerts.map((a) => [a.kind, a.observed_at]), [["out_of_stock", at(1)], ["back_in_stock", at(3)]]);
    const back = alerts[1]!;
    assert.match(back.why, /back in stock at R\$ 249,90 \(2 available\), sold by FERRAGENS SILVA/);
    assert.equal(back.price, "249.90");
    assert.equal(back.item_id, "MLB1234567890");
  }
});

test("stock: a flap within clear_after is the same episode; the watch's silent first run is a baseline", async () => {
  const flap = itemStock([
    { at: at(0), available: true },
    { at: at(1), available: false },
    { at: at(2), available: true },
    { at: at(3), available: false },
    { at: at(4), available: true },
    // out for longer than clear_after: a new episode each way
    { at: at(14), available: false },
    { at: at(21), available: true },
  ]);
  const alerts = await judge([flap]);
  assert.deepEqual(alerts.map((a) => [a.kind, a.observed_at]), [
    ["out_of_stock", at(1)],
    ["back_in_stock", at(2)],
    ["out_of_stock", at(14)],
    ["back_in_stock", at(21)],
  ]);
  const baseline = itemStock([{ at: at(0), available: false, watchRun: 1 }, { at: at(1), available: true }]);
  const silent = await judge([baseline], [rule("out_of_stock", true), rule("back_in_stock", true)]);
  assert.deepEqual(
    silent.map((a) => a.kind),
    ["back_in_stock"],
    "sold out at the first run: no alert, its return does",
  );
});
