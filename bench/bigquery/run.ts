/**
 * Benchmark (not a test): what one load costs on the BigQuery path, on the project's emulators,
 * statement by statement. Loads of 500, 2,000 and 8,000 real-shaped offers arrive one after the
 * other into one dataset (the table grows as a day does: 0, 500, 2,500 rows before each), through
 * the real load path (GCS upload, load job, then the statements that put the batch into
 * daily_offers and fold it into item_days). Each job's time, bytes and rows come from the job
 * runner's own report (`bigquery_job_done`).
 *
 *   scripts/emulators start && bun run bench/bigquery/run.ts [sizes=500,2000,8000] [--forms=emulator|production|both]
 *   bun run bench/bigquery/run.ts --day=1000000 [--batch=2000] [--forms=…]   a day of that many offers: one
 *     load more into it (the open day), then the first load of the next day (which folds it)
 *
 * With `production` forms (MERGE), the emulator joins every row of the target with every row of
 * the batch: a load's time grows with (table × batch), which is what this benchmark shows.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { BigQuery } from "@google-cloud/bigquery";
import { BigQueryWarehouse } from "../../batch/warehouse/bigquery-warehouse.ts";
import type { JobDone } from "../../batch/warehouse/bigquery-jobs.ts";
import { emulatorAuth } from "../../shared/gcp-emulator.ts";
import { stagedRealOffers } from "../../test/real-offers.ts";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const sizes = (process.argv.slice(2).find((a) => !a.startsWith("--")) ?? "500,2000,8000").split(",").map(Number);
const formsArg = arg("forms") ?? "both";
const forms = formsArg === "both" ? ["emulator", "production"] as const : [formsArg as "emulator" | "production"];
const day = arg("day") ? Number(arg("day")) : null;
const project = process.env.OFERTAS_BQ_PROJECT ?? "ofertas-local";
const bqEndpoint = process.env.OFERTAS_BQ_ENDPOINT ?? `http://127.0.0.1:${process.env.OFERTAS_BQ_PORT ?? 9050}`;
const gcsEndpoint = process.env.OFERTAS_GCS_ENDPOINT ?? `http://127.0.0.1:${process.env.OFERTAS_GCS_PORT ?? 4443}`;
/** A load still going after this is given up (the emulator's MERGE of thousands into thousands takes minutes). */
const GIVE_UP_MS = Number(arg("give-up-ms") ?? 600_000);
/** Offers per load while a day is filled (the emulator runs a load job inside the request that creates it). */
const FILL = Number(arg("fill") ?? 10_000);

function warehouseOf(dataset: string, form: "emulator" | "production", jobs: JobDone[]) {
  return new BigQueryWarehouse({
    projectId: project,
    dataset,
    location: "US",
    bucket: `bench-${dataset.replace(/_/g, "-")}`,
    bigqueryEndpoint: bqEndpoint,
    gcsEndpoint,
    createBucket: true,
    requirePartitionFilter: true,
    partitionExpirationDays: null,
    keepStagedFiles: false,
    pollIntervalMs: 1_000,
    jobTimeoutMs: GIVE_UP_MS,
    forms: form,
    onJob: (done) => jobs.push(done),
  });
}

/** Muted job lines: this benchmark prints its own. */
const quiet = () => {
  const info = console.log;
  console.log = (line: unknown) => {
    if (typeof line === "string" && line.includes('"bigquery_job_')) return;
    info(line);
  };
};
quiet();

const root = mkdtempSync(join(tmpdir(), "ofertas-bench-bq-"));
let firstItem = 5_000_000_000;

if (day !== null) {
  // a day (yesterday) already holding `day` offers (filled in loads of FILL), then one load more
  // of that day (the open day: no fold), then the first load of today (it folds yesterday)
  const yesterday = new Date(Date.now() - 86_400_000).toISOString();
  for (const form of forms) {
    const dataset = `bench_day_${form}_${Date.now()}`;
    const jobs: JobDone[] = [];
    const w = warehouseOf(dataset, form, jobs);
    await w.prepare();
    const t0 = performance.now();
    for (let filled = 0; filled < day; filled += FILL) {
      const n = Math.min(FILL, day - filled);
      await w.load(
        await stagedRealOffers(root, n, firstItem += 50_000, `bench-fill-${filled}`, `fill-${filled}`, yesterday),
      );
    }
    const fillS = Math.round((performance.now() - t0) / 1000);
    const batch = Number(arg("batch") ?? 2_000);
    for (const [what, at] of [["into the open day", yesterday], ["of the next day (it folds the day)", undefined]]) {
      jobs.length = 0;
      const started = performance.now();
      await w.load(await stagedRealOffers(root, batch, firstItem += batch, "bench-day", "bench-day", at));
      console.log(JSON.stringify({
        case: `one load of ${batch} offers ${what}, a day of ${day} offers`,
        forms: form,
        load_ms: Math.round(performance.now() - started),
        jobs: jobs.length,
        statements: jobs.map((j) => ({ what: j.what, ms: j.ms, rows: j.rows, bytes: j.bytesProcessed })),
        fill_s: fillS,
      }));
    }
    await new BigQuery({ projectId: project, apiEndpoint: bqEndpoint, ...emulatorAuth(bqEndpoint) })
      .dataset(dataset).delete({ force: true }).catch(() => {});
  }
} else {
  for (const form of forms) {
    const dataset = `bench_growth_${form}_${Date.now()}`;
    const jobs: JobDone[] = [];
    const w = warehouseOf(dataset, form, jobs);
    await w.prepare();
    let before = 0;
    for (const n of sizes) {
      const batch = await stagedRealOffers(root, n, firstItem += n, `bench-${n}`);
      jobs.length = 0;
      const started = performance.now();
      let outcome = "loaded";
      try {
        await w.load(batch);
      } catch (error) {
        outcome = `gave up: ${(error as Error).message.slice(0, 120)}`;
      }
      const ms = Math.round(performance.now() - started);
      console.log(JSON.stringify({
        case: `a load of ${n} offers into a table of ${before}`,
        forms: form,
        outcome,
        load_ms: ms,
        ms_per_1000_offers: Math.round(ms * 1000 / n),
        jobs: jobs.length,
        statements: jobs.map((j) => ({ what: j.what, ms: j.ms, rows: j.rows })),
      }));
      if (outcome !== "loaded") break;
      before += n;
    }
    await new BigQuery({ projectId: project, apiEndpoint: bqEndpoint, ...emulatorAuth(bqEndpoint) })
      .dataset(dataset).delete({ force: true }).catch(() => {});
  }
}
rmSync(root, { recursive: true, force: true });
