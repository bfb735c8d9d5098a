/**
 * Loads a sealed batch and, when the warehouse refuses rows for their values, narrows the batch
 * down to those rows by bisection: each half is loaded on its own (idempotently, under its own
 * deterministic id) until the refused rows stand alone. They come back with the warehouse's own
 * words; everything else is loaded. k bad rows in n cost O(k log n) loads. Outages are retried
 * by `loadOnce` (loadUntilDone below in the daemon), which only ever throws a RowDataError or
 * gives up when the batch is abandoned.
 */
import { withTimeout } from "../shared/timeout.ts";
import { Abandoned, type StepPolicy, untilDoneOrAbandoned } from "./abandoned.ts";
import type { ConsumerMetrics } from "./consumer-metrics.ts";
import { deleteLocalFiles, type LoadBatch, type RowShape, splitBatch, stagedLines } from "./staging.ts";
import { type LoadResult, RowDataError, type Warehouse } from "./warehouse/warehouse.ts";

export interface RefusedRow {
  row: Record<string, unknown>;
  reason: string;
}

export interface LoadOutcome {
  /** Rows new to the table (null when the engine does not say). */
  inserted: number | null;
  refused: RefusedRow[];
  /** Load calls made (1 unless rows were refused). */
  loads: number;
}

export interface LoadStepDeps {
  loadOnce(batch: LoadBatch): Promise<LoadResult>;
  /** Where split batches are written, and how rows are shaped. */
  root: string;
  shape: RowShape;
}

export async function loadIsolatingRefusedRows(batch: LoadBatch, deps: LoadStepDeps): Promise<LoadOutcome> {
  try {
    const result = await deps.loadOnce(batch);
    return { inserted: result.inserted, refused: [], loads: 1 };
  } catch (error) {
    if (!(error instanceof RowDataError)) throw error;
    if (batch.rows <= 1) {
      const refused: RefusedRow[] = [];
      for (const file of batch.files) {
        for await (const line of stagedLines(file)) {
          refused.push({ row: JSON.parse(line), reason: error.warehouseMessage });
        }
      }
      await deleteLocalFiles(batch);
      return { inserted: 0, refused, loads: 1 };
    }
    const [a, b] = await splitBatch(batch, deps.root, deps.shape);
    const half = async (part: LoadBatch) => {
      try {
        return await loadIsolatingRefusedRows(part, deps);
      } finally {
        await deleteLocalFiles(part);
      }
    };
    const left = await half(a);
    const right = await half(b);
    return {
      inserted: left.inserted === null || right.inserted === null ? null : left.inserted + right.inserted,
      refused: [...left.refused, ...right.refused],
      loads: 1 + left.loads + right.loads,
    };
  }
}

export interface LoadUntilDoneDeps {
  warehouse: Warehouse;
  metrics: ConsumerMetrics;
  root: string;
  shape: RowShape;
  loadTimeoutMs: number;
  step: StepPolicy;
  /** Aborts when the consumer stops: a load's waits end at once and the batch is abandoned. */
  signal?: AbortSignal;
}

/**
 * The batch into the warehouse: outages (5xx, timeouts, locks) retried with backoff until the
 * load succeeds or the batch is abandoned, refused rows isolated by bisection.
 */
export function loadUntilDone(batch: LoadBatch, deps: LoadUntilDoneDeps): Promise<LoadOutcome> {
  const { warehouse, metrics } = deps;
  return loadIsolatingRefusedRows(batch, {
    root: deps.root,
    shape: deps.shape,
    loadOnce: (b) =>
      untilDoneOrAbandoned(async () => {
        // a load still running after the timeout may finish later: its rows and job ids are
        // those of this batch, so the retry meets them instead of adding rows
        try {
          const result = await withTimeout(warehouse.load(b, deps.signal), deps.loadTimeoutMs, "load");
          metrics.loadAttempts.inc({ outcome: "ok" });
          return result;
        } catch (error) {
          // stopping: not an outage to retry; the batch stays uncommitted and is read again
          if (deps.signal?.aborted) throw new Abandoned("shutdown");
          throw error;
        }
      }, {
        ...deps.step,
        event: "batch_load_failed",
        fields: { batch_id: b.id },
        outage: (error) => {
          const refused = error instanceof Error && error.name === "RowDataError";
          metrics.loadAttempts.inc({ outcome: refused ? "refused_rows" : "outage" });
          return !refused;
        },
      }),
  });
}
