/** What a loaded batch leaves behind: its metrics and its `batch_loaded` line. */
import { log } from "../shared/log.ts";
import type { ConsumerMetrics } from "./consumer-metrics.ts";
import type { LoadOutcome } from "./load-step.ts";
import type { OpenBatch } from "./open-batch.ts";
import type { LoadBatch } from "./staging.ts";

export interface LoadedBatch {
  open: OpenBatch;
  batch: LoadBatch;
  outcome: LoadOutcome;
  /** Rows whose key was already in the batch. */
  duplicates: number;
  committed: boolean;
  loadMs: number;
}

export function reportLoaded(metrics: ConsumerMetrics, loaded: LoadedBatch): void {
  const { open, batch, outcome, duplicates, committed, loadMs } = loaded;
  metrics.batches.inc({ outcome: "loaded" });
  metrics.records.inc({}, open.records);
  metrics.bytes.inc({}, open.bytes);
  metrics.rowsLoaded.inc({}, batch.rows - outcome.refused.length);
  if (outcome.inserted !== null) metrics.rowsInserted.inc({}, outcome.inserted);
  metrics.duplicates.inc({}, duplicates);
  metrics.loadSeconds.observe(loadMs / 1000);
  metrics.lastSuccess.set({}, Math.floor(Date.now() / 1000));
  log("info", "batch_loaded", {
    batch_id: batch.id,
    table: batch.table,
    records: open.records,
    bytes: open.bytes,
    rows: batch.rows,
    inserted: outcome.inserted,
    invalid: open.deadLetters,
    refused: outcome.refused.length,
    duplicates,
    dates: batch.dates,
    files: batch.files.length,
    load_ms: Math.round(loadMs),
    committed,
    ranges: batch.ranges.map((r) => `${r.partition}:${r.first}-${r.last}`),
  });
}
