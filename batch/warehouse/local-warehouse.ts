/**
 * The embedded default for a user without a cloud account: the batch is staged as gzip NDJSON
 * in a local folder (same names as in GCS), then loaded into a DuckDB file with the same
 * table and columns as BigQuery's `daily_offers`. The load is one INSERT … ON CONFLICT
 * (offer_key) DO NOTHING: atomic, and idempotent by offer_key like the BigQuery MERGE.
 *
 * The database is opened per load and closed right after, so the reports and the web view can read it
 * between loads (DuckDB allows one writing process at a time).
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { DAILY_OFFERS_TABLE } from "../../shared/offer.ts";
import { LOCAL_DATABASE_FILE } from "../../shared/warehouse-settings.ts";
import { faultPoint } from "../fault-points.ts";
import type { LoadBatch } from "../staging.ts";
import { COLUMN_NAMES, createTableSql, readJsonColumnsSql } from "../../shared/duckdb-schema.ts";
import type { LoadResult, Warehouse } from "./warehouse.ts";

export interface LocalWarehouseOptions {
  /** Folder holding staging/ and the database file. */
  root: string;
  /** Keep staged files after a successful load (default: delete them). */
  keepStagedFiles: boolean;
}

export class LocalWarehouse implements Warehouse {
  readonly kind = "local";
  readonly databasePath: string;

  constructor(private readonly options: LocalWarehouseOptions) {
    this.databasePath = join(options.root, LOCAL_DATABASE_FILE);
  }

  async prepare(): Promise<void> {
    await mkdir(this.options.root, { recursive: true });
    await this.withDatabase((run) => run(createTableSql()));
  }

  async load(batch: LoadBatch): Promise<LoadResult> {
    const staged: string[] = [];
    for (const file of batch.files) {
      const path = join(this.options.root, file.path);
      await mkdir(dirname(path), { recursive: true });
      // write then rename: a crash never leaves a half-written file under the final name
      await writeFile(`${path}.tmp`, file.gzip);
      await rename(`${path}.tmp`, path);
      staged.push(path);
    }
    if (staged.length === 0) return { inserted: 0, staged };
    faultPoint("after_stage");

    const files = staged.map((p) => `'${p.replace(/'/g, "''")}'`).join(", ");
    const columns = COLUMN_NAMES.join(", ");
    const inserted = await this.withDatabase((run) =>
      run(
        `INSERT INTO ${DAILY_OFFERS_TABLE.name} (${columns}) SELECT ${columns} FROM read_json([${files}], format = 'newline_delimited', compression = 'gzip', columns = ${readJsonColumnsSql()}) ON CONFLICT (offer_key) DO NOTHING`,
      )
    );
    if (!this.options.keepStagedFiles) await Promise.all(staged.map((p) => rm(p, { force: true })));
    return { inserted, staged };
  }

  async close(): Promise<void> {}

  private async withDatabase(work: (run: (sql: string) => Promise<number>) => Promise<number>): Promise<number> {
    const instance = await DuckDBInstance.create(this.databasePath);
    const connection = await instance.connect();
    try {
      return await work(async (sql) => Number((await connection.run(sql)).rowsChanged));
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }
}
