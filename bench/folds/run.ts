/**
 * Benchmark (not a test): what item_days costs the local warehouse now that it is folded by day
 * (batch/warehouse/day-folds.ts). A day of `n` real-shaped offers arrives in loads of 50,000 (the
 * open day: no fold, what every load of the day pays), then the first load of the next day folds
 * the whole day (once a day). Each load's time is printed, and the fold's share of the closing one.
 * The loads run in this process (a loader child in the daemon), DuckDB within its 64 MB.
 *
 *   bun run bench/folds/run.ts [offers of the day, default 1000000]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { LocalWarehouse } from "../../batch/warehouse/local-warehouse.ts";
import { DuckDbEngine } from "../../query/engine.ts";
import { stagedRealOffers } from "../../test/real-offers.ts";

const day = Number(process.argv[2] ?? 1_000_000);
const BATCH = 50_000;
const root = mkdtempSync(join(tmpdir(), "ofertas-bench-folds-"));
const warehouse = new LocalWarehouse({ root, keepStagedFiles: false, inProcess: true });
await warehouse.prepare();
const yesterday = new Date(Date.now() - 86_400_000).toISOString();
const openLoads: number[] = [];
let first = 6_000_000_000;
for (let loaded = 0; loaded < day; loaded += BATCH) {
  const batch = await stagedRealOffers(
    root,
    Math.min(BATCH, day - loaded),
    first += BATCH,
    `bench-day-${loaded}`,
    `d${loaded}`,
    yesterday,
  );
  const started = performance.now();
  await warehouse.load(batch);
  openLoads.push(performance.now() - started);
}
const closing = await stagedRealOffers(root, BATCH, first += BATCH, "bench-next-day", "next");
const started = performance.now();
await warehouse.load(closing);
const closeMs = performance.now() - started;
const engine = await DuckDbEngine.open(root);
const n = (await engine.run("SELECT count(*) AS n FROM item_days"))[0]?.n;
await engine.close();
const sorted = [...openLoads].sort((a, b) => a - b);
console.log(JSON.stringify({
  case: `a day of ${day} offers in loads of ${BATCH}, then the first load of the next day`,
  open_day_load_ms: { p50: Math.round(sorted[Math.floor(sorted.length / 2)]!), max: Math.round(sorted.at(-1)!) },
  first_load_ms: Math.round(openLoads[0]!),
  last_load_ms: Math.round(openLoads.at(-1)!),
  closing_load_ms: Math.round(closeMs),
  day_fold_ms: Math.round(closeMs - sorted[Math.floor(sorted.length / 2)]!),
  item_days_rows: Number(n),
  peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
}));
rmSync(root, { recursive: true, force: true });
