/**
 * The DuckDB side of the local warehouse: creating the tables and loading a batch's staged
 * files. One INSERT … SELECT with an anti-join on the table's key, scoped to the partition dates
 * the batch touches (zone maps skip every other day): atomic, idempotent like the BigQuery MERGE,
 * and its cost follows the size of those days, not of the table. There is no global key index.
 *
 * The file is opened per operation and closed right after, so the reports and the web view can
 * read it between loads (shared/duckdb-access.ts keeps readers from starving the writer).
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { announceWrite, openExclusive } from "../../shared/duckdb-access.ts";
import { createTableSql, duckdbType, readJsonColumnsSql } from "../../shared/duckdb-schema.ts";
import { log } from "../../shared/log.ts";
import {
  DAILY_OFFERS,
  ITEM_DAYS,
  LOADED_TABLES,
  loadedTable,
  PRODUCT_DAYS,
  type TableSpec,
} from "../../shared/tables.ts";
import { duckdbFoldSql, FOLD_CHUNK_ROWS } from "../../reports/item-days-sql.ts";
import { duckdbProductFoldSql } from "../../reports/product-days-sql.ts";
import { positionsSql } from "../../shared/load-positions.ts";
import { offerDate } from "../../shared/timestamp.ts";
import { addDays } from "../../shared/sql-templates.ts";
import { FOLD_HORIZON_DAYS, foldedDaysSql, type FoldPlan } from "./day-folds.ts";
import type { LoadBatch } from "../staging.ts";
import { RowDataError } from "./warehouse.ts";

/** DuckDB errors caused by the values of rows (isolate them), as opposed to IO, locks or a bad setup. */
const DATA_ERROR = /^(Conversion|Constraint|Invalid Input|Out of Range) Error/;

/**
 * One thread and a small memory limit: a load shares the cores with the reading of the next
 * batch, and its memory stays bounded (DuckDB spills past the limit).
 */
const DUCKDB_CONFIG = {
  threads: "1",
  memory_limit: "64MB",
  preserve_insertion_order: "false",
  // A load of more than a row group's rows ends in a partly filled group. With vacuum on, the
  // checkpoint merged it with the load's other groups whenever they fit in fewer (loads of
  // 16k-49k rows), writing the whole load twice: 200 of a 33,000-row load's 560 ms. Without it
  // such a load leaves one small group; no load deletes rows, so vacuum had nothing else to do.
  max_vacuum_tasks: "0",
};
/** A staged row is a few KB at most; the default (16 MB) makes DuckDB hold 32 MB read buffers. */
const MAX_ROW_BYTES = 1024 * 1024;
/**
 * Rows per row group the loads write (DuckDB's default is 122,880). An insert of at least a
 * row group's rows is written straight into new row groups; a smaller one is appended to the
 * table's last, partly filled row group, which the checkpoint then compresses again whole.
 * With the default, a 50,000-row load did that every time: 130 to 1,330 ms of checkpoint per
 * load, every fifth load the worst, against 5 to 12 ms at this size (the same loads, one process,
 * one core); a 30,000-row load took 335 ms here against 365 ms at 32,768. Smaller groups also
 * give the per-day reads finer zone maps (bench/web: the first view of a day 1.3 s, was 1.6 s).
 */
const ROW_GROUP_ROWS = 16_384;
/** The name the file is attached under in each load's DuckDB instance. */
const WAREHOUSE = "warehouse";

type Run = (sql: string) => Promise<number>;
type Query = (sql: string) => Promise<Record<string, unknown>[]>;

export async function prepareDatabase(databasePath: string): Promise<void> {
  await withDatabase(databasePath, async (run, query) => {
    for (const table of Object.values(LOADED_TABLES)) {
      await run(createTableSql(table));
      await dropGlobalKeyIndex(table, run, query);
      await migrateColumns(table, run, query);
    }
    // kept by the loads of daily_offers (a warehouse made before it starts empty and fills from then on)
    await run(createTableSql(ITEM_DAYS));
    await run(createTableSql(PRODUCT_DAYS));
    // item_days gained product_id after the first release (appended, like a loaded table's columns)
    await migrateColumns(ITEM_DAYS, run, query);
    return 0;
  });
}

/**
 * Inserts the batch's rows the table does not have yet; the number inserted. A batch of
 * daily_offers then carries out its fold plan (day-folds.ts): the days the stream moved past
 * folded whole into item_days, and the items of late rows folded again, each day in one
 * transaction, after the batch's own insert is in the file.
 */
export async function insertStaged(
  databasePath: string,
  batch: Pick<LoadBatch, "table" | "files" | "dates"> & Partial<Pick<LoadBatch, "id" | "ranges">>,
  folds: FoldPlan = { days: [], late: [] },
): Promise<number> {
  const table = loadedTable(batch.table);
  const files = batch.files.map((f) => `'${f.localPath.replace(/'/g, "''")}'`).join(", ");
  const columns = Object.keys(table.columns).join(", ");
  const [first, last] = [batch.dates[0]!, batch.dates[batch.dates.length - 1]!];
  for (const d of [first, last]) if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new Error(`not a date: ${d}`);
  const sql = [
    `INSERT INTO ${table.name} (${columns})`,
    `SELECT ${columns} FROM read_json([${files}], format = 'newline_delimited', compression = 'auto_detect',`,
    `  maximum_object_size = ${MAX_ROW_BYTES}, columns = ${readJsonColumnsSql(table)}) AS s`,
    `WHERE NOT EXISTS (SELECT 1 FROM ${table.name} AS t`,
    `  WHERE t.${table.partitionField} BETWEEN DATE '${first}' AND DATE '${last}' AND t.${table.key} = s.${table.key})`,
  ].join("\n");
  const folding = table.name === DAILY_OFFERS.name && (folds.days.length > 0 || folds.late.length > 0);
  try {
    return await withDatabase(databasePath, async (run, query) => {
      const inserted = await run(sql);
      if (folding) {
        // the inserted rows are written out first: the folds read them from the file
        await run(`CHECKPOINT ${WAREHOUSE}`);
        const foldedAt = new Date().toISOString();
        for (const day of folds.days) await foldDay(run, query, { day, fold: "day", foldedAt }, null);
        for (const day of folds.late) {
          await foldDay(run, query, { day, fold: `late:${batch.id}`, foldedAt }, positionsSql(batch.ranges ?? []));
        }
      }
      return inserted;
    });
  } catch (error) {
    const message = (error as Error).message;
    if (DATA_ERROR.test(message)) throw new RowDataError(message);
    throw error;
  }
}

/**
 * One day (or a late batch's items and products of it) into item_days and product_days, in one
 * transaction, a chunk of items (or products) at a time: a day is closed in both or in neither.
 */
async function foldDay(
  run: Run,
  query: Query,
  fold: { day: string; fold: string; foldedAt: string },
  lateRows: string | null,
): Promise<void> {
  const folds = [duckdbFoldSql(fold, lateRows), duckdbProductFoldSql(fold, lateRows)];
  const chunked = [];
  for (const sql of folds) {
    const rows = Number((await query(sql.count))[0]!.n);
    chunked.push({ sql, chunks: Math.max(1, Math.ceil(rows / FOLD_CHUNK_ROWS)) });
  }
  await run("BEGIN TRANSACTION");
  try {
    for (const { sql, chunks } of chunked) {
      await run(sql.remove);
      for (let chunk = 0; chunk < chunks; chunk++) await run(sql.write(chunk, chunks));
    }
    await run("COMMIT");
  } catch (error) {
    await run("ROLLBACK").catch(() => 0);
    throw error;
  }
}

/**
 * What the folds need to know at a consumer's first load: the days with offers and the days
 * folded whole, within the horizon the readers look back. A day is folded when item_days has it
 * whole and product_days has it too (or it had no product's offers): a warehouse made before
 * product_days folds its recent days again once, and so gains their product history.
 */
export async function foldState(databasePath: string): Promise<{ seen: string[]; folded: string[] }> {
  const oldest = addDays(offerDate(new Date().toISOString()), -FOLD_HORIZON_DAYS);
  let state = { seen: [] as string[], folded: [] as string[] };
  await withDatabase(databasePath, async (_run, query) => {
    const days = async (sql: string) => (await query(sql)).map((r) => String(r.d).slice(0, 10));
    const recent = `offer_date >= DATE '${oldest}'`;
    state = {
      seen: await days(`SELECT DISTINCT offer_date AS d FROM daily_offers WHERE ${recent}`),
      folded: await days(foldedDaysSql(recent, (name) => name)),
    };
    return 0;
  });
  return state;
}

async function withDatabase(databasePath: string, work: (run: Run, query: Query) => Promise<number>): Promise<number> {
  const release = await announceWrite(databasePath);
  try {
    const { instance, connection } = await openExclusive(() => attach(databasePath));
    try {
      const changed = await work(
        async (sql) => Number((await connection.run(sql)).rowsChanged),
        async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[],
      );
      // write the WAL into the file on DuckDB's threads: closing would do it on the event loop
      await connection.run(`CHECKPOINT ${WAREHOUSE}`);
      return changed;
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  } finally {
    await release();
  }
}

/**
 * The row group size is an option of ATTACH, not of opening a file directly: the instance is an
 * in-memory one with the file attached (and made the default database) under that size.
 */
async function attach(databasePath: string) {
  const instance = await DuckDBInstance.create(":memory:", { ...DUCKDB_CONFIG, temp_directory: `${databasePath}.tmp` });
  try {
    const connection = await instance.connect();
    try {
      const path = databasePath.replace(/'/g, "''");
      await connection.run(`ATTACH '${path}' AS ${WAREHOUSE} (ROW_GROUP_SIZE ${ROW_GROUP_ROWS})`);
      await connection.run(`USE ${WAREHOUSE}`);
      return { instance, connection };
    } catch (error) {
      connection.closeSync();
      throw error;
    }
  } catch (error) {
    instance.closeSync();
    throw error; // a lock held by another process is retried by openExclusive
  }
}

/**
 * A table made by an earlier version gains the columns added since (always NULLABLE, appended
 * last, as in the table's definition) and loses NOT NULL where a column became optional
 * (`position` and `page` of daily_offers: an item's own page has neither). docs/contract.md.
 */
async function migrateColumns(table: TableSpec, run: Run, query: Query): Promise<void> {
  const have = new Map(
    (await query(
      `SELECT column_name, is_nullable FROM information_schema.columns WHERE table_catalog = '${WAREHOUSE}' AND table_name = '${table.name}'`,
    )).map((r) => [String(r.column_name), String(r.is_nullable) === "YES"]),
  );
  const changes: string[] = [];
  for (const [name, column] of Object.entries(table.columns)) {
    const nullable = have.get(name);
    if (nullable === undefined) {
      if (column.mode === "REQUIRED") throw new Error(`table ${table.name} lacks the required column ${name}`);
      await run(`ALTER TABLE ${table.name} ADD COLUMN ${name} ${duckdbType(column)}`);
      changes.push(`added ${name}`);
    } else if (!nullable && column.mode !== "REQUIRED") {
      await run(`ALTER TABLE ${table.name} ALTER COLUMN ${name} DROP NOT NULL`);
      changes.push(`${name} may be null`);
    }
  }
  if (changes.length) log("info", "warehouse_migrated", { table: table.name, changes });
}

/**
 * Warehouses made by earlier versions declared the key as PRIMARY KEY: a global index that
 * made every load slower as the table grew. DuckDB cannot drop it, so the table is rebuilt
 * once (same rows, same columns) without it.
 */
async function dropGlobalKeyIndex(table: TableSpec, run: Run, query: Query): Promise<void> {
  const keys = await query(
    `SELECT 1 FROM duckdb_constraints() WHERE database_name = '${WAREHOUSE}' AND table_name = '${table.name}' AND constraint_type = 'PRIMARY KEY'`,
  );
  if (keys.length === 0) return;
  const started = performance.now();
  const rows = Number((await query(`SELECT count(*) AS n FROM ${table.name}`))[0]!.n);
  await run("BEGIN TRANSACTION");
  try {
    await run(
      createTableSql(table).replace(`CREATE TABLE IF NOT EXISTS ${table.name}`, `CREATE TABLE ${table.name}_rebuilt`),
    );
    await run(`INSERT INTO ${table.name}_rebuilt SELECT * FROM ${table.name} ORDER BY ${table.partitionField}`);
    await run(`DROP TABLE ${table.name}`);
    await run(`ALTER TABLE ${table.name}_rebuilt RENAME TO ${table.name}`);
    await run("COMMIT");
  } catch (error) {
    await run("ROLLBACK").catch(() => 0);
    throw error;
  }
  log("info", "warehouse_migrated", {
    table: table.name,
    rows,
    change: "dropped the global PRIMARY KEY index; loads de-duplicate per partition date",
    ms: Math.round(performance.now() - started),
  });
}
