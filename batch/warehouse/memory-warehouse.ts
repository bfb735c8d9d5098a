/**
 * The in-memory twin of the warehouses, for unit tests of the consumer: it reads the staged
 * files like the real ones, keeps one row per key, and can be told to fail the way real ones
 * do (an outage for a while, or refusing rows for their values).
 */
import { loadedTable } from "../../shared/tables.ts";
import { type LoadBatch, stagedLines } from "../staging.ts";
import { type LoadResult, RowDataError, type Warehouse } from "./warehouse.ts";

export class MemoryWarehouse implements Warehouse {
  readonly kind = "memory";
  /** table → key → row */
  readonly tables = new Map<string, Map<string, Record<string, unknown>>>();
  /** Every load attempt's row count, in order (bisection shows as shrinking batches). */
  readonly attempts: number[] = [];
  /** Loads to fail with an outage before the next one succeeds. */
  outages = 0;
  /** Rows the warehouse refuses for their values (a RowDataError for the batch holding them). */
  refuse: (row: Record<string, unknown>) => string | null = () => null;
  private gate: Promise<void> | null = null;

  /** Loads wait until the returned release is called (a slow warehouse). */
  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise((resolve) => (release = resolve));
    return () => {
      this.gate = null;
      release();
    };
  }

  async prepare(): Promise<void> {}

  async load(batch: LoadBatch): Promise<LoadResult> {
    this.attempts.push(batch.rows);
    if (this.gate) await this.gate;
    if (this.outages > 0) {
      this.outages--;
      throw new Error("warehouse unavailable (simulated outage)");
    }
    const table = loadedTable(batch.table);
    const rows: Record<string, unknown>[] = [];
    for (const file of batch.files) {
      for await (const line of stagedLines(file)) rows.push(JSON.parse(line));
    }
    for (const row of rows) {
      const refusal = this.refuse(row);
      if (refusal) throw new RowDataError(refusal);
    }
    const stored = this.tables.get(table.name) ?? new Map();
    this.tables.set(table.name, stored);
    let inserted = 0;
    for (const row of rows) {
      const key = row[table.key] as string;
      if (!stored.has(key)) {
        stored.set(key, row);
        inserted++;
      }
    }
    return { inserted, staged: batch.files.map((f) => f.localPath) };
  }

  rows(table = "daily_offers"): Record<string, unknown>[] {
    return [...(this.tables.get(table)?.values() ?? [])];
  }

  async close(): Promise<void> {}
}
