/**
 * Benchmark (not a test): does a load cost more as the local warehouse grows? A batch of 50,000
 * offers of today is loaded into `daily_offers` holding 0, 1M, 5M and 10M rows spread over the
 * past year (a year of scraping), seven times each (a new batch each time); prints the median
 * load time and its ratio to the empty table.
 *
 * With --same-day the rows already there are all of today: the day a batch lands in is itself
 * that big (a busy day's later batches), the case a per-day anti-join pays for.
 *
 *   bun run bench/growth/run.ts [sizes, default 0,1000000,5000000,10000000] [--same-day]
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { LocalWarehouse } from "../../batch/warehouse/local-warehouse.ts";
import { DAILY_OFFERS } from "../../shared/tables.ts";
import { LOCAL_DATABASE_FILE } from "../../shared/warehouse-settings.ts";
import { stagedRealOffers } from "../../test/real-offers.ts";
import { inProcessLocalWarehouse } from "../../test/seeded-warehouses.ts";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const sameDay = process.argv.includes("--same-day");
const sizes = (args[0] ?? "0,1000000,5000000,10000000").split(",").map(Number);
const BATCH = 50_000;
/** Loads per table size; the median is reported (a load that checkpoints takes longer). */
const REPS = 7;
const batchOf = (root: string, firstId: number) => stagedRealOffers(root, BATCH, firstId, `growth-${firstId}`);

/** Fills the table with `n` rows over the past 365 days (SQL-generated from one real row). */
async function fill(root: string, n: number): Promise<void> {
  if (n === 0) return;
  const warehouse = new LocalWarehouse({ root, keepStagedFiles: false, inProcess: true });
  await warehouse.load(await batchOf(root, 1_000_000_000)); // real rows to copy one from
  const db = await DuckDBInstance.create(join(root, LOCAL_DATABASE_FILE));
  const c = await db.connect();
  const columns = Object.keys(DAILY_OFFERS.columns);
  const select = columns.map((name) =>
    name === "offer_key"
      ? "md5(CAST(i AS VARCHAR))[1:32] AS offer_key"
      : name === "offer_date"
      ? (sameDay
        ? "offer_date"
        : "CAST(current_date - 1 - CAST(i * 365 // " + n + " AS INTEGER) AS DATE) AS offer_date")
      : name === "item_id"
      ? "'MLB' || CAST(9000000000 + i % 2000000 AS VARCHAR) AS item_id"
      : name === "kafka_offset"
      ? "i AS kafka_offset"
      : name
  ).join(", ");
  await c.run("CREATE TEMP TABLE template AS SELECT * FROM daily_offers LIMIT 1");
  await c.run(`DELETE FROM daily_offers`);
  await c.run(`INSERT INTO daily_offers SELECT ${select} FROM template, range(${n}) t(i) ORDER BY offer_date`);
  await c.run("CHECKPOINT");
  c.closeSync();
  db.closeSync();
}

const results: Array<{ rows: number; median_ms: number }> = [];
for (const size of sizes) {
  const root = mkdtempSync(join(tmpdir(), "ofertas-growth-"));
  const warehouse = await inProcessLocalWarehouse(root);
  const t0 = performance.now();
  await fill(root, size);
  const fillS = (performance.now() - t0) / 1000;
  const times: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const batch = await batchOf(root, 100_000_000 * (rep + 1));
    const started = performance.now();
    await warehouse.load(batch);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(REPS / 2)]!;
  results.push({ rows: size, median_ms: Math.round(median) });
  console.log(JSON.stringify({
    case: `load 50k offers of today into daily_offers${sameDay ? " (all rows of today)" : ""}`,
    table_rows: size,
    load_ms: times.map(Math.round),
    median_ms: Math.round(median),
    ratio_to_empty: Number((median / results[0]!.median_ms).toFixed(2)),
    fill_s: Math.round(fillS),
  }));
  rmSync(root, { recursive: true, force: true });
}
