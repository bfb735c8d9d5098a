/**
 * Where batches end up. Two real implementations behind one interface: BigQuery (GCS staging
 * + load job + MERGE) and the embedded local default (staging folder + DuckDB file). Both are
 * idempotent by offer_key: loading the same rows twice, in the same or in different batches,
 * leaves one row per offer_key.
 */
import type { LoadBatch } from "../staging.ts";

export interface LoadResult {
  /** Rows that were new to the table (null when the engine does not say). */
  inserted: number | null;
  /** Where the staged files went (gs:// URIs or local paths). */
  staged: string[];
}

export interface Warehouse {
  readonly kind: "bigquery" | "local";
  /** Creates what is missing (dataset, table, staging location); fails clearly on a bad setup. */
  prepare(): Promise<void>;
  /** Stages the batch's files and loads them; safe to call again for the same batch. */
  load(batch: LoadBatch): Promise<LoadResult>;
  close(): Promise<void>;
}

/** A setup problem retrying cannot fix (missing bucket, table of another shape): stop and say so. */
export class WarehouseSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WarehouseSetupError";
  }
}
