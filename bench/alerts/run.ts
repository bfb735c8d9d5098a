/**
 * Benchmark (not a test): does an alert evaluation cost more as the history grows? A local
 * warehouse holds `n` offers (and their item_days), a batch of 50,000 real-shaped offers of today
 * is loaded (through the real load path: daily_offers, then item_days), and the alerter's
 * evaluation of that load runs: the candidates' SQL (item_days of the touched items, the
 * scheduled queries' verdicts, the lows) and the rules against them. Five loads per size, the
 * median reported. The history's prices are 1.00, so today's prices start no episode: what is
 * measured is the evaluation every load pays, not the cost of writing alerts (alerts are rare).
 *
 * Two shapes of history:
 *   same-daily  the same volume every day, a longer history: 1M offers are 37 days, 10M are 370
 *               days of 27,000 offers a day (day 37 and day 370 of the same deployment)
 *   one-year    `n` spread over the past year (the growth benchmark's shape: 10× the rows a day)
 *
 *   bun run bench/alerts/run.ts [sizes, default 1000000,10000000] [--one-year]
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { LocalWarehouse } from "../../batch/warehouse/local-warehouse.ts";
import { DAILY_OFFERS } from "../../shared/tables.ts";
import { LOCAL_DATABASE_FILE } from "../../shared/warehouse-settings.ts";
import { offerDate } from "../../shared/timestamp.ts";
import type { Rule } from "../../shared/alert/rule.ts";
import { stagedRealOffers } from "../../test/real-offers.ts";
import { DuckDbCandidates } from "../../alert/candidates.ts";
import { activeRules, evaluate, lowDaysOf } from "../../alert/evaluator.ts";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const oneYear = process.argv.includes("--one-year");
const sizes = (args[0] ?? "1000000,10000000").split(",").map(Number);
const BATCH = 50_000;
const REPS = 5;
const PER_DAY = 27_000;
/** Items the history cycles through; the batches' MLB items are among them. */
const ITEMS = 2_000_000;
const FIRST_ITEM = 9_000_000_000;

/** `n` rows of history (SQL-generated from real rows), then item_days as the loads would have kept it. */
async function fill(root: string, n: number): Promise<number> {
  const warehouse = new LocalWarehouse({ root, keepStagedFiles: false, inProcess: true });
  await warehouse.prepare();
  await warehouse.load(await stagedRealOffers(root, 1_000, 1_000_000_000, "template"));
  const days = oneYear ? 365 : Math.ceil(n / PER_DAY);
  const db = await DuckDBInstance.create(join(root, LOCAL_DATABASE_FILE), { memory_limit: "4GB", threads: "2" });
  const c = await db.connect();
  const select = Object.keys(DAILY_OFFERS.columns).map((name) =>
    name === "offer_key"
      ? "md5(CAST(i AS VARCHAR))[1:32] AS offer_key"
      : name === "offer_date"
      ? `CAST(current_date - 1 - CAST(i * ${days} // ${n} AS INTEGER) AS DATE) AS offer_date`
      : name === "site"
      ? "'MLB' AS site"
      : name === "currency"
      ? "'BRL' AS currency"
      : name === "item_id"
      ? `'MLB' || CAST(${FIRST_ITEM} + i % ${ITEMS} AS VARCHAR) AS item_id`
      : name === "price"
      ? "CAST(1 AS DECIMAL(38, 9)) AS price"
      : name === "kafka_offset"
      ? "i AS kafka_offset"
      : name
  ).join(", ");
  await c.run("CREATE TEMP TABLE template AS SELECT * FROM daily_offers WHERE site = 'MLB' LIMIT 1");
  await c.run("DELETE FROM daily_offers");
  await c.run("DELETE FROM item_days");
  await c.run(`INSERT INTO daily_offers SELECT ${select} FROM template, range(${n}) t(i) ORDER BY offer_date`);
  // every (day, item) of this history is seen once: its item_days row is the offer's own
  await c.run(`INSERT INTO item_days
    SELECT offer_date, site, item_id, title, currency, url, price, price, price, original_price, discount_pct,
      scraped_at, kafka_partition, kafka_offset, [], 'history', now(), product_id
    FROM daily_offers ORDER BY offer_date`);
  await c.run("CHECKPOINT");
  c.closeSync();
  db.closeSync();
  return days;
}

const rules = activeRules(
  [],
  [
    { kind: "real_deal", min_real_discount_pct: 20, clear_after: "6h", rearm_after: null, absent_after: "3d" },
    { kind: "below", price: 1, clear_after: "6h", rearm_after: null, absent_after: "3d" },
    { kind: "new_low", days: 30, clear_after: "6h", rearm_after: null, absent_after: "3d" },
    { kind: "drop", min_drop_pct: 30, clear_after: "6h", rearm_after: null, absent_after: "3d" },
  ] as Rule[],
  ["hook"],
);

const results: Array<{ rows: number; median_ms: number }> = [];
for (const size of sizes) {
  const root = mkdtempSync(join(tmpdir(), "ofertas-bench-alerts-"));
  const t0 = performance.now();
  const days = await fill(root, size);
  const fillS = (performance.now() - t0) / 1000;
  const warehouse = new LocalWarehouse({ root, keepStagedFiles: false, inProcess: true });
  const source = new DuckDbCandidates(root);
  const times: number[] = [];
  const sqlTimes: number[] = [];
  let candidates = 0;
  let alerts = 0;
  for (let rep = 0; rep < REPS; rep++) {
    // today's load: real-shaped offers, their MLB items among the history's
    const batch = await stagedRealOffers(root, BATCH, FIRST_ITEM + rep * BATCH, `bench-alerts-${rep}`, `bench-${rep}`);
    await warehouse.load(batch);
    const started = performance.now();
    let found = 0;
    let sqlMs = 0;
    for (const day of batch.dates) {
      const t = performance.now();
      const rows = await source.observations(batch.ranges, day, lowDaysOf(rules));
      sqlMs += performance.now() - t;
      found += rows.length;
      alerts +=
        (await evaluate(rows, rules, new Map(), { decidedAt: new Date().toISOString(), source: `load:${batch.id}` }))
          .alerts.length;
    }
    times.push(performance.now() - started);
    sqlTimes.push(sqlMs);
    candidates = found;
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(REPS / 2)]!;
  results.push({ rows: size, median_ms: Math.round(median) });
  console.log(JSON.stringify({
    case: `one evaluation of a 50k-offer load (${oneYear ? "history over one year" : `${PER_DAY} offers a day`})`,
    history_rows: size,
    history_days: days,
    today: offerDate(new Date().toISOString()),
    candidates_per_load: candidates,
    alerts_over_all_loads: alerts,
    evaluation_ms: times.map(Math.round),
    of_which_sql_ms: sqlTimes.map(Math.round),
    median_ms: Math.round(median),
    ratio_to_first: Number((median / results[0]!.median_ms).toFixed(2)),
    fill_s: Math.round(fillS),
  }));
  rmSync(root, { recursive: true, force: true });
}
