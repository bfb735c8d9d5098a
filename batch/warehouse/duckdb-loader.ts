/**
 * The local warehouse's loads, in a process of their own: `bun run batch/warehouse/duckdb-loader.ts`
 * reads jobs, one JSON object per line on stdin ({op: "prepare"} or {op: "load", batch}), runs
 * them one after another and answers each with one JSON line on stdout; it ends with its stdin.
 * DuckDB's native memory (its buffers, the insert) lives in this process, not in the consumer's,
 * and DuckDB's threads are not the consumer's. The database file is opened per job, so readers
 * get it between loads.
 */
import process from "node:process";
import { createInterface } from "node:readline";
import type { LoadBatch } from "../staging.ts";
import { insertStaged, prepareDatabase } from "./duckdb-load.ts";
import { RowDataError } from "./warehouse.ts";

export type LoaderJob = { op: "prepare"; databasePath: string } | {
  op: "load";
  databasePath: string;
  batch: Pick<LoadBatch, "table" | "files" | "dates" | "id" | "ranges">;
};

export type LoaderAnswer = { ok: true; inserted: number } | { ok: false; refused: boolean; message: string };

export async function runJob(job: LoaderJob): Promise<LoaderAnswer> {
  try {
    if (job.op === "prepare") {
      await prepareDatabase(job.databasePath);
      return { ok: true, inserted: 0 };
    }
    return { ok: true, inserted: await insertStaged(job.databasePath, job.batch) };
  } catch (error) {
    return error instanceof RowDataError
      ? { ok: false, refused: true, message: error.warehouseMessage }
      : { ok: false, refused: false, message: (error as Error).message };
  }
}

if (import.meta.main) {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() === "") continue;
    const answer = await runJob(JSON.parse(line) as LoaderJob);
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  }
  process.exit(0);
}
