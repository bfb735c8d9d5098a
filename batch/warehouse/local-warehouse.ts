/**
 * The embedded default for a user without a cloud account: staged NDJSON files (same names as
 * in GCS, without gzip: DuckDB reads them from the same disk) loaded into a DuckDB file with the
 * same tables and columns as BigQuery (batch/warehouse/duckdb-load.ts).
 *
 * In the daemon every DuckDB operation runs in a child process (duckdb-loader.ts): DuckDB needs
 * ~100 MB of native memory for a load, and it stays out of the consumer's process. An idle child
 * is reused for the next operation: starting one per load cost ~0.15 s of CPU each time, more
 * than a small load itself (bench/consume). An operation that finds no idle child (the two feeds
 * loading at once, a retry while a timed-out load still runs) gets a new one, so no load waits
 * behind another. A child that dies is not reused; one without work for LOADER_IDLE_MS ends, so
 * an idle consumer does not keep the memory. Tests and tools may load in process.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
import process from "node:process";
import { LOCAL_DATABASE_FILE } from "../../shared/warehouse-settings.ts";
import { faultPoint } from "../fault-points.ts";
import type { LoadBatch } from "../staging.ts";
import type { LoaderAnswer, LoaderJob } from "./duckdb-loader.ts";
import { createInterface } from "node:readline";
import { type LoadResult, RowDataError, type Warehouse } from "./warehouse.ts";

export interface LocalWarehouseOptions {
  /** Folder holding spool/ (batches being loaded), staging/ (kept files) and the database file. */
  root: string;
  /** Keep staged files after a successful load, under staging/ (default: delete them). */
  keepStagedFiles: boolean;
  /** Run DuckDB in this process (tests, tools) instead of a child per operation (the daemon). */
  inProcess?: boolean;
}

const LOADER = new URL("./duckdb-loader.ts", import.meta.url).pathname;
/** A loader child with no job for this long ends (loads come every interval while data flows). */
const LOADER_IDLE_MS = 30_000;
/** Idle children kept at most (one per feed of the daemon). */
const MAX_IDLE_LOADERS = 2;

export class LocalWarehouse implements Warehouse {
  readonly kind = "local";
  readonly databasePath: string;
  private readonly idleLoaders: LoaderProcess[] = [];
  private closed = false;

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
    const inserted = await this.run({
      op: "load",
      databasePath: this.databasePath,
      batch: { table: batch.table, files: batch.files, dates: batch.dates },
    });
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
    this.closed = true;
    for (const loader of this.idleLoaders.splice(0)) loader.stop();
  }

  private async run(job: LoaderJob): Promise<number> {
    if (this.options.inProcess) {
      const { insertStaged, prepareDatabase } = await import("./duckdb-load.ts");
      if (job.op === "prepare") {
        await prepareDatabase(job.databasePath);
        return 0;
      }
      return insertStaged(job.databasePath, job.batch);
    }
    const answer = await this.withLoader((loader) => loader.run(job));
    if (answer.ok) return answer.inserted;
    if (answer.refused) throw new RowDataError(answer.message);
    throw new Error(answer.message);
  }

  /**
   * Runs on an idle loader child (or a new one), then keeps it for the next operation. A kept
   * child may have died while idle before its end was noticed: the operation then runs again on
   * a new child (operations are idempotent; a load adds only the rows the table lacks).
   */
  private async withLoader<T>(work: (loader: LoaderProcess) => Promise<T>): Promise<T> {
    let loader = this.idleLoaders.pop();
    while (loader && !loader.alive) loader = this.idleLoaders.pop();
    if (loader) {
      try {
        return await work(loader);
      } catch (error) {
        if (!(error instanceof LoaderEnded)) throw error;
      } finally {
        this.keepOrStop(loader);
      }
    }
    const fresh = new LoaderProcess(LOADER_IDLE_MS, (ended) => {
      const at = this.idleLoaders.indexOf(ended);
      if (at >= 0) this.idleLoaders.splice(at, 1);
    });
    try {
      return await work(fresh);
    } finally {
      this.keepOrStop(fresh);
    }
  }

  private keepOrStop(loader: LoaderProcess): void {
    if (loader.alive && !this.closed && this.idleLoaders.length < MAX_IDLE_LOADERS) {
      loader.idleSince();
      this.idleLoaders.push(loader);
    } else loader.stop();
  }
}

/** The loader child ended before it answered. */
class LoaderEnded extends Error {}

/** A loader child: one job at a time, one answer line per job line. */
class LoaderProcess {
  private readonly child: ChildProcess;
  private pending: { resolve(answer: LoaderAnswer): void; reject(error: Error): void } | null = null;
  private ended: string | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly idleMs: number, onEnd: (loader: LoaderProcess) => void) {
    this.child = spawn(process.execPath, ["run", LOADER], { stdio: ["pipe", "pipe", "inherit"] });
    createInterface({ input: this.child.stdout!, crlfDelay: Infinity }).on("line", (line) => {
      const pending = this.pending;
      this.pending = null;
      try {
        pending?.resolve(JSON.parse(line) as LoaderAnswer);
      } catch {
        pending?.reject(new Error(`the DuckDB loader answered something else than JSON: ${line.slice(0, 200)}`));
      }
    });
    const end = (why: string) => {
      this.ended ??= why;
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.pending?.reject(new LoaderEnded(`the DuckDB loader ended (${why}) without an answer`));
      this.pending = null;
      onEnd(this);
    };
    this.child.on("error", (error) => end(error.message));
    this.child.on("exit", (code, signal) => end(signal ?? `exit ${code}`));
    this.child.stdin!.on("error", () => {}); // a dead child's pipe: reported by "exit"
  }

  get alive(): boolean {
    return this.ended === null;
  }

  run(job: LoaderJob): Promise<LoaderAnswer> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    return new Promise((resolve, reject) => {
      if (this.ended !== null) return reject(new LoaderEnded(`the DuckDB loader ended (${this.ended})`));
      this.pending = { resolve, reject };
      this.child.stdin!.write(`${JSON.stringify(job)}\n`);
    });
  }

  /** Ends the child once it has had no job for idleMs. */
  idleSince(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop(), this.idleMs);
    // a pending idle stop never keeps a process alive that is otherwise done
    (this.idleTimer as { unref?: () => void }).unref?.();
  }

  /** Ends the child; a job under way is not committed (DuckDB's write-ahead log). */
  stop(): void {
    if (this.ended !== null) return;
    if (this.pending) this.child.kill("SIGKILL");
    else this.child.stdin!.end();
  }
}
