/**
 * The stock rules (out_of_stock, back_in_stock) against their reference model
 * (test/alert-model/stock-reference.ts, written from docs/alerts.md "Stock"), over generated
 * scenarios: an item's and a product's stock from a watch's runs and the enricher, rules on an item
 * watch, a product watch or global, carried by loads of stock_observations cut anywhere, read and
 * announced again, judged behind, crashing while writing. The engine must decide exactly the
 * model's alerts, ids included. Seeded like the price rules' test (OFERTAS_PROPERTY_SEED, _RUNS).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import process from "node:process";
import { AFTER_ALL } from "../test/alert-model/generator.ts";
import { runEngine } from "../test/alert-model/harness.ts";
import { MemoryStockWarehouse } from "../test/alert-model/memory-stock.ts";
import { stockScenario } from "../test/alert-model/stock-generator.ts";
import { stockModelAlerts } from "../test/alert-model/stock-reference.ts";

const seed = Number(process.env.OFERTAS_PROPERTY_SEED ?? 20261206);
const numRuns = Number(process.env.OFERTAS_PROPERTY_RUNS ?? 1000);

test(`stock rules = reference model, ids included, however loads carry the observations (${numRuns} cases)`, {
  timeout: 300_000,
}, async () => {
  const info = console.log;
  console.log = () => {};
  try {
    await fc.assert(
      fc.asyncProperty(stockScenario, async ({ log, rules, carriage }) => {
        const loaded = log.filter((r) => !carriage.refused.has(r.offset));
        const expected = stockModelAlerts(loaded, rules);
        const decided = await runEngine(
          log,
          rules,
          carriage,
          new MemoryStockWarehouse(),
          AFTER_ALL,
          "stock_observations",
        );
        const summary = (a: { id: string; rule: string; start: number; n: number; at: number }) =>
          `${a.id} ${a.rule} #${a.n} of ${new Date(a.start).toISOString()} at ${new Date(a.at).toISOString()}`;
        assert.deepEqual(
          decided.map((a) =>
            summary({
              id: a.alert_id,
              rule: a.rule_key,
              start: Date.parse(a.episode_start!),
              n: a.alert_number!,
              at: Date.parse(a.observed_at!),
            })
          ).sort(),
          [
            ...new Set(
              expected.map((a) =>
                summary({ id: a.id, rule: a.rule, start: a.episode_start, n: a.number, at: a.observed_at })
              ),
            ),
          ].sort(),
        );
      }),
      { seed, numRuns },
    );
  } finally {
    console.log = info;
  }
});
