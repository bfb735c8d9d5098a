/**
 * Benchmark (not a test): do the product summary fold and the product verdict cost more as the
 * history grows? A local warehouse holds `n` offers (a third of them listings of 200,000 catalog
 * products) and their product_days, as the loads would have folded them; today gets a load of
 * 50,000 real-shaped offers. Then, five times each:
 *
 *   fold     the first load of tomorrow, which folds today into item_days and product_days (the
 *            real load path: insertStaged with the day's fold plan, one transaction)
 *   verdict  the product verdict of today (product_discounts.sql as the scheduled query and the
 *            web view run it: fake_discounts.sql over product_history.sql)
 *
 * The median of each is reported with its ratio to the first size: both should read today's
 * offers and the prior 30 days of product summaries only, whatever the history's length
 * (docs/benchmarks.md: at most 1.3× from 1M to 10M, as for item_days).
 *
 *   bun run bench/products/run.ts [sizes, default 1000000,10000000]
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { insertStaged } from "../../batch/warehouse/duckdb-load.ts";
import { LocalWarehouse } from "../../batch/warehouse/local-warehouse.ts";
import { DuckDbEngine } from "../../query/engine.ts";
import { duckdbProductFoldSql } from "../../reports/product-days-sql.ts";
import { productDiscountsSql } from "../../reports/product-verdict-sql.ts";
import { addDays } from "../../shared/sql-templates.ts";
import { DAILY_OFFERS } from "../../shared/tables.ts";
import { LOCAL_DATABASE_FILE } from "../../shared/warehouse-settings.ts";
import { offerDate } from "../../shared/timestamp.ts";
import { stagedRealOffers } from "../../test/real-offers.ts";

const sizes = (process.argv[2] ?? "1000000,10000000").split(",").map(Number);
const BATCH = 50_000;
const REPS = 5;
const PER_DAY = 27_000;
const ITEMS = 2_000_000;
const PRODUCTS = 200_000;
const FIRST_ITEM = 9_000_000_000;

/** `n` offers of the days before today (SQL-generated from real rows) and their product_days. */
async function fill(root: string, n: number): Promise<number> {
  const warehouse = new LocalWarehouse({ root, keepStagedFiles: false, inProcess: true });
  await warehouse.prepare();
  await warehouse.load(await stagedRealOffers(root, 1_000, 1_000_000_000, "template"));
  const days = Math.ceil(n / PER_DAY);
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
      : name === "product_id"
      ? `CASE WHEN i % 3 = 0 THEN 'MLB' || CAST(800000000 + (i // 3) % ${PRODUCTS} AS VARCHAR) END AS product_id`
      : name === "price"
      ? "CAST(100 + i % 50 AS DECIMAL(38, 9)) AS price"
      : name === "kafka_offset"
      ? "i AS kafka_offset"
      : name
  ).join(", ");
  await c.run("CREATE TEMP TABLE template AS SELECT * FROM daily_offers WHERE site = 'MLB' LIMIT 1");
  await c.run("DELETE FROM daily_offers");
  await c.run(`INSERT INTO daily_offers SELECT ${select} FROM template, range(${n}) t(i) ORDER BY offer_date`);
  // every day before today folded, as the loads would have left it
  const today = offerDate(new Date().toISOString());
  for (let d = 1; d <= days; d++) {
    const sql = duckdbProductFoldSql(
      { day: addDays(today, -d), fold: "day", foldedAt: new Date().toISOString() },
      null,
    );
    await c.run(sql.write(0, 1));
  }
  await c.run("CHECKPOINT");
  c.closeSync();
  db.closeSync();
  return days;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const results: Array<{ fold: number; verdict: number }> = [];
for (const size of sizes) {
  const root = mkdtempSync(join(tmpdir(), "ofertas-bench-products-"));
  const t0 = performance.now();
  const days = await fill(root, size);
  const fillS = (performance.now() - t0) / 1000;
  const today = offerDate(new Date().toISOString());
  const warehouse = new LocalWarehouse({ root, keepStagedFiles: false, inProcess: true });
  await warehouse.load(await stagedRealOffers(root, BATCH, FIRST_ITEM, "bench-products-today", "bench-today"));
  // the first moment of tomorrow in São Paulo (UTC-3): never more than a day ahead of the clock
  const tomorrow = `${addDays(today, 1)}T03:00:30.000Z`;
  const folds: number[] = [];
  const verdicts: number[] = [];
  let products = 0;
  for (let rep = 0; rep < REPS; rep++) {
    // the first load of tomorrow: today is folded whole (again: a fold run again writes the same rows)
    const next = await stagedRealOffers(
      root,
      10,
      FIRST_ITEM + 100 + rep * 10,
      `bench-next-${rep}`,
      `next-${rep}`,
      tomorrow,
    );
    const started = performance.now();
    await insertStaged(join(root, LOCAL_DATABASE_FILE), next, { days: [today], late: [] });
    folds.push(performance.now() - started);
    const engine = await DuckDbEngine.open(root);
    try {
      const t = performance.now();
      products = (await engine.run(productDiscountsSql("duckdb", "main", today))).length;
      verdicts.push(performance.now() - t);
    } finally {
      await engine.close();
    }
  }
  const fold = median(folds);
  const verdict = median(verdicts);
  results.push({ fold, verdict });
  console.log(JSON.stringify({
    case:
      `product fold of a ${BATCH}-offer day, and the product verdict of that day (${PER_DAY} offers a day before it)`,
    history_rows: size,
    history_days: days,
    today,
    products_judged: products,
    fold_ms: folds.map(Math.round),
    verdict_ms: verdicts.map(Math.round),
    fold_median_ms: Math.round(fold),
    verdict_median_ms: Math.round(verdict),
    fold_ratio_to_first: Number((fold / results[0]!.fold).toFixed(2)),
    verdict_ratio_to_first: Number((verdict / results[0]!.verdict).toFixed(2)),
    fill_s: Math.round(fillS),
  }));
  rmSync(root, { recursive: true, force: true });
}
