/**
 * Where batches end up. Two real implementations behind one interface: BigQuery (GCS staging
 * + load job + MERGE) and the embedded local default (DuckDB file), plus an in-memory twin for
 * unit tests. All are idempotent by the table's key: loading the same rows twice, in the same
 * or in different batches, leaves one row per key.
 *
 * What a failed load means decides what the consumer does with it:
 *  - RowDataError: the warehouse refused some rows for their values. The consumer narrows the
 *    batch down to those rows, dead-letters them and loads the rest.
 *  - WarehouseSetupError at start: a bad setup (missing bucket, a table of another shape); stop.
 *  - anything else is an outage (5xx, timeouts, locks, a disk): retried with backoff, never skipped.
 */
import { log } from "../../shared/log.ts";
import { retry } from "../../shared/retry.ts";
import type { LoadBatch } from "../staging.ts";

export interface LoadResult {
  /** Rows that were new to the table (null when the engine does not say). */
  inserted: number | null;
  /** Where the staged files went (gs:// URIs or local paths). */
  staged: string[];
}

export interface Warehouse {
  readonly kind: "bigquery" | "local" | "memory";
  /** Creates what is missing (dataset, tables, staging location); fails clearly on a bad setup. */
  prepare(): Promise<void>;
  /**
   * Stages the batch's files and loads them; safe to call again for the same batch. A `signal`
   * that aborts ends the load's waits at once (the consumer is stopping; the batch stays
   * uncommitted and is read again); a warehouse whose loads take a moment may finish instead.
   */
  load(batch: LoadBatch, signal?: AbortSignal): Promise<LoadResult>;
  close(): Promise<void>;
}

/** A setup problem retrying cannot fix (missing bucket, table of another shape): stop and say so. */
export class WarehouseSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WarehouseSetupError";
  }
}

/** The warehouse refused rows of the batch because of their values; its own words are kept. */
export class RowDataError extends Error {
  constructor(readonly warehouseMessage: string) {
    super(`the warehouse refused rows of the batch: ${warehouseMessage}`);
    this.name = "RowDataError";
  }
}

/** Prepares the warehouse: a setup error stops the start at once; an outage is retried for a while (about 5 min). */
export function prepareWarehouse(warehouse: Warehouse): Promise<void> {
  return retry(() => warehouse.prepare(), {
    attempts: 13,
    backoff: { baseMs: 500, maxMs: 30_000, jitter: "equal" },
    retryable: (error) => !(error instanceof WarehouseSetupError),
    onRetry: (error, attempt) =>
      log("info", "warehouse_unavailable", { attempt, message: (error as Error).message, note: "retrying" }),
  });
}
