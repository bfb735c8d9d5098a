/**
 * The alert engine against its reference model with the real warehouse under it: the generated
 * scenarios (test/alert-model/generator.ts) loaded through the consumer's transform, staging and
 * DuckDB load with its day folds, judged through the alerter's own SQL (alert_candidates.sql: the
 * load's rows by their Kafka positions, lows, previous days and fake_discounts.sql's verdicts),
 * must decide exactly the model's alerts, ids included. Fewer cases than the in-memory property
 * test (alert/engine.property.test.ts): each one is a DuckDB file and its loads.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import process from "node:process";
import { AFTER_ALL, scenario } from "../test/alert-model/generator.ts";
import { runEngine } from "../test/alert-model/harness.ts";
import { DuckDbAlertWarehouse, withRealKeys } from "../test/alert-model/duckdb-warehouse.ts";
import { modelAlerts } from "../test/alert-model/reference.ts";

const seed = Number(process.env.OFERTAS_PROPERTY_SEED ?? 20261206);
const numRuns = Number(process.env.OFERTAS_PROPERTY_DUCKDB_RUNS ?? 40);

test(`alert engine on DuckDB = reference model, ids included (${numRuns} cases)`, { timeout: 600_000 }, async () => {
  const info = console.log;
  console.log = () => {};
  try {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ log, rules, carriage }) => {
        const keyed = await withRealKeys(log);
        const expected = modelAlerts(keyed.filter((r) => !carriage.refused.has(r.offset)), rules);
        const warehouse = new DuckDbAlertWarehouse();
        try {
          const decided = await runEngine(keyed, rules, carriage, warehouse, AFTER_ALL);
          assert.deepEqual(
            // a product's alert is the product's (its item id names the listing with the best price)
            decided.map((a) => `${a.alert_id} ${a.rule_key} ${a.product_id ?? a.item_id} ${a.observed_at}`).sort(),
            expected.map((a) => `${a.id} ${a.rule} ${a.item} ${new Date(a.observed_at).toISOString()}`).sort(),
          );
        } finally {
          warehouse.close();
        }
      }),
      { seed, numRuns },
    );
  } finally {
    console.log = info;
  }
});
