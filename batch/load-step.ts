/**
 * Loads a sealed batch and, when the warehouse refuses rows for their values, narrows the batch
 * down to those rows by bisection: each half is loaded on its own (idempotently, under its own
 * deterministic id) until the refused rows stand alone. They come back with the warehouse's own
 * words; everything else is loaded. k bad rows in n cost O(k log n) loads. Outages are not
 * handled here: `loadOnce` retries them and only ever throws a RowDataError or gives up.
 */
import { deleteLocalFiles, type LoadBatch, type RowShape, splitBatch, stagedLines } from "./staging.ts";
import { type LoadResult, RowDataError } from "./warehouse/warehouse.ts";

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
