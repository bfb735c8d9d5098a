/**
 * The local warehouse's loads, in a process of their own: `bun run batch/runtime/duckdb-loader.ts`
 * answers jobs ({op: "prepare"}, {op: "fold-state"} or {op: "load", batch, folds}) one after another through shared/rpc/
 * (JSON lines on stdin and stdout); it ends with its stdin, or at once when the consumer is gone.
 * DuckDB's native memory (its buffers, the insert) lives in this process, not in the consumer's,
 * and DuckDB's threads are not the consumer's. The database file is opened per job, so readers
 * get it between loads.
 */
import { answerInChild } from "../../shared/rpc/child-port.ts";
import type { LoadBatch } from "../staging.ts";
import { foldState, insertStaged, prepareDatabase } from "../warehouse/duckdb-load.ts";
import type { FoldPlan } from "../warehouse/day-folds.ts";
import { RowDataError } from "../warehouse/warehouse.ts";

export type LoaderJob =
  | { op: "prepare"; databasePath: string }
  | { op: "fold-state"; databasePath: string }
  | {
    op: "load";
    databasePath: string;
    batch: Pick<LoadBatch, "table" | "files" | "dates" | "id" | "ranges">;
    folds?: FoldPlan;
  };

export type LoaderAnswer =
  | { ok: true; inserted: number; state?: { seen: string[]; folded: string[] } }
  | { ok: false; refused: boolean; message: string };

export async function runJob(job: LoaderJob): Promise<LoaderAnswer> {
  try {
    if (job.op === "prepare") {
      await prepareDatabase(job.databasePath);
      return { ok: true, inserted: 0 };
    }
    if (job.op === "fold-state") return { ok: true, inserted: 0, state: await foldState(job.databasePath) };
    return { ok: true, inserted: await insertStaged(job.databasePath, job.batch, job.folds) };
  } catch (error) {
    return error instanceof RowDataError
      ? { ok: false, refused: true, message: error.warehouseMessage }
      : { ok: false, refused: false, message: (error as Error).message };
  }
}

if (import.meta.main) answerInChild<LoaderJob>(runJob);
