/**
 * The embedded default for a user without a cloud account: staged NDJSON files (same names as
 * in GCS, without gzip: DuckDB reads them from the same disk) loaded into a DuckDB file with the
 * same tables and columns as BigQuery (batch/warehouse/duckdb-load.ts).
 *
 * In the daemon every DuckDB operation runs in a loader child (duckdb-loader.ts, kept and reused
 * by loader-pool.ts): DuckDB needs ~100 MB of native memory for a load, and it stays out of the
 * consumer's process. Tests and tools may load in process.
 */
import { mkdir, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
import { LOCAL_DATABASE_FILE } from "../../shared/warehouse-settings.ts";
import { faultPoint } from "../../shared/fault-points.ts";
import type { LoadBatch } from "../staging.ts";
import type { LoaderAnswer, LoaderJob } from "../runtime/duckdb-loader.ts";
import { LoaderPool } from "../runtime/loader-pool.ts";
import { type LoadResult, RowDataError, type Warehouse } from "./warehouse.ts";
import { DayFolds } from "./day-folds.ts";
import { DAILY_OFFERS } from "../../shared/tables.ts";

export interface LocalWarehouseOptions {
  /** Folder holding spool/ (batches being loaded), staging/ (kept files) and the database file. */
  root: string;
  /** Keep staged files after a successful load, under staging/ (default: delete them). */
  keepStagedFiles: boolean;
  /** Run DuckDB in this process (tests, tools) instead of in loader children (the daemon). */
  inProcess?: boolean;
}

const LOADER = new URL("../runtime/duckdb-loader.ts", import.meta.url).pathname;

export class LocalWarehouse implements Warehouse {
  readonly kind = "local";
  readonly databasePath: string;
  private readonly loaders = new LoaderPool(LOADER);
  /** Which days of item_days each load of daily_offers folds (day-folds.ts). */
  private readonly folds = new DayFolds();

  constructor(private readonly options: LocalWarehouseOptions) {
    this.databasePath = join(options.root, LOCAL_DATABASE_FILE);
  }

  async prepare(): Promise<void> {
    await mkdir(this.options.root, { recursive: true });
    await this.run({ op: "prepare", databasePath: this.databasePath });
  }

  async load(batch: LoadBatch): Promise<LoadResult> {
    if (batch.files.length === 0) return { inserted: 0, staged: [] };
    faultPoint("after_stage");
    const offers = batch.table === DAILY_OFFERS.name;
    if (offers && !this.folds.known) {
      const { state } = await this.runJob({ op: "fold-state", databasePath: this.databasePath });
      this.folds.learn(state?.seen ?? [], state?.folded ?? []);
    }
    const folds = offers ? this.folds.plan(batch.dates) : { days: [], late: [] };
    const { inserted } = await this.runJob({
      op: "load",
      databasePath: this.databasePath,
      batch: { table: batch.table, files: batch.files, dates: batch.dates, id: batch.id, ranges: batch.ranges },
      folds,
    });
    this.folds.done(folds);
    const staged = batch.files.map((f) => f.localPath);
    if (this.options.keepStagedFiles) {
      // the spool is cleared after the batch; a kept file moves to staging/ under the same name
      for (const f of batch.files) {
        const kept = join(this.options.root, f.path);
        await mkdir(dirname(kept), { recursive: true });
        await rename(f.localPath, kept);
      }
    }
    return { inserted, staged };
  }

  /** Ends the idle loader children; one under way finishes its load first, then ends. */
  async close(): Promise<void> {
    this.loaders.close();
  }

  private async run(job: LoaderJob): Promise<number> {
    return (await this.runJob(job)).inserted;
  }

  private async runJob(job: LoaderJob): Promise<Extract<LoaderAnswer, { ok: true }>> {
    const answer = this.options.inProcess
      ? await (await import("../runtime/duckdb-loader.ts")).runJob(job)
      : await this.loaders.run(job);
    if (answer.ok) return answer;
    if (answer.refused) throw new RowDataError(answer.message);
    throw new Error(answer.message);
  }
}
