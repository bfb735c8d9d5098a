/**
 * The alert engine against its reference model (test/alert-model/reference.ts, written from
 * docs/alerts.md), over thousands of generated scenarios: price paths, rules, and every way the
 * pipeline may carry them (loads cut anywhere, read and announced again, an alerter loads behind,
 * crashes while writing, rows refused, messages produced twice). The engine must decide exactly
 * the model's alerts, ids included, and never one alert id with two meanings. Seeded:
 * OFERTAS_PROPERTY_SEED and OFERTAS_PROPERTY_RUNS reproduce or widen a run.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import process from "node:process";
import { AFTER_ALL, scenario } from "../test/alert-model/generator.ts";
import { runEngine } from "../test/alert-model/harness.ts";
import { MemoryAlertWarehouse } from "../test/alert-model/memory-warehouse.ts";
import { modelAlerts } from "../test/alert-model/reference.ts";

const seed = Number(process.env.OFERTAS_PROPERTY_SEED ?? 20261206);
const numRuns = Number(process.env.OFERTAS_PROPERTY_RUNS ?? 2000);

test(`alert engine = reference model, ids included, however loads carry the observations (${numRuns} cases)`, {
  timeout: 300_000,
}, async () => {
  // the engine logs a line per alert: thousands of cases would bury the test's own output
  const info = console.log;
  console.log = () => {};
  try {
    await check();
  } finally {
    console.log = info;
  }
});

async function check() {
  await fc.assert(
    fc.asyncProperty(scenario, async ({ log, rules, carriage }) => {
      const loaded = log.filter((r) => !carriage.refused.has(r.offset));
      const expected = modelAlerts(loaded, rules);
      const decided = await runEngine(log, rules, carriage, new MemoryAlertWarehouse(), AFTER_ALL);
      const summary = (a: { id: string; rule: string; item: string; start: number; n: number; at: number }) =>
        `${a.id} ${a.rule} ${a.item} #${a.n} of ${new Date(a.start).toISOString()} at ${new Date(a.at).toISOString()}`;
      assert.deepEqual(
        decided.map((a) =>
          summary({
            id: a.alert_id,
            rule: a.rule_key,
            // a product's alert is the product's (its item id names the listing with the best price)
            item: a.product_id ?? a.item_id!,
            start: Date.parse(a.episode_start!),
            n: a.alert_number!,
            at: Date.parse(a.observed_at!),
          })
        ).sort(),
        expected.map((a) =>
          summary({ id: a.id, rule: a.rule, item: a.item, start: a.episode_start, n: a.number, at: a.observed_at })
        ).sort(),
      );
    }),
    { seed, numRuns },
  );
}
