/**
 * The local warehouse's loads, in a process of their own: `bun run batch/warehouse/duckdb-loader.ts`
 * reads one job as JSON on stdin ({op: "prepare"} or {op: "load", batch}) and answers one JSON
 * line on stdout. DuckDB's native memory (its buffers, the insert) lives and dies with this short
 * process, so the consumer's memory does not carry it, and DuckDB's threads are not its own.
 */
import process from "node:process";
import type { LoadBatch } from "../staging.ts";
import { insertStaged, prepareDatabase } from "./duckdb-load.ts";
import { RowDataError } from "./warehouse.ts";

export type LoaderJob = { op: "prepare"; databasePath: string } | {
  op: "load";
  databasePath: string;
  batch: Pick<LoadBatch, "table" | "files" | "dates">;
};

export type LoaderAnswer = { ok: true; inserted: number } | { ok: false; refused: boolean; message: string };

if (import.meta.main) {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  const job = JSON.parse(input) as LoaderJob;
  let answer: LoaderAnswer;
  try {
    if (job.op === "prepare") {
      await prepareDatabase(job.databasePath);
      answer = { ok: true, inserted: 0 };
    } else {
      answer = { ok: true, inserted: await insertStaged(job.databasePath, job.batch) };
    }
  } catch (error) {
    answer = error instanceof RowDataError
      ? { ok: false, refused: true, message: error.warehouseMessage }
      : { ok: false, refused: false, message: (error as Error).message };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
  process.exit(0);
}
