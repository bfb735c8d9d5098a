/**
 * The daemon's way of loading the local warehouse: DuckDB runs in loader children
 * (duckdb-loader.ts, kept by loader-pool.ts), an idle one is reused, concurrent loads each get
 * their own, a child that died is replaced, and close() leaves no child behind; and loads write
 * small row groups.
 * Real processes, real DuckDB.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DuckDBInstance } from "@duckdb/node-api";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { localCounts, waitFor } from "../../test/consumer-helpers.ts";
import { stagedRealOffers } from "../../test/real-offers.ts";
import { LocalWarehouse } from "./local-warehouse.ts";
import { inProcessLocalWarehouse } from "../../test/seeded-warehouses.ts";
import { duckdbType } from "../../shared/duckdb-schema.ts";
import { DAILY_OFFERS } from "../../shared/tables.ts";

let firstId = 7_100_000_000;
const batchOf = (root: string, n: number) => stagedRealOffers(root, n, firstId += n, "loader-test");

/** Loader children of this process now (any thread may have spawned them: parent pid, not task). */
function loaderPids(): number[] {
  return readdirSync("/proc").filter((name) => /^\d+$/.test(name)).map(Number).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      return parent === process.pid && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("duckdb-loader.ts");
    } catch {
      return false; // gone meanwhile
    }
  });
}

/** Waits until `ok`: a killed child is reaped, a stopped one exits, soon after. */
const until = (what: string, ok: () => boolean) => waitFor(what, () => Promise.resolve(ok()), (done) => done, 10_000);

test("local warehouse: loads reuse an idle loader child; concurrent loads get their own; close() ends them", {
  timeout: 60_000,
}, async () => {
  if (!existsSync(`/proc/${process.pid}/stat`)) return; // children are counted through /proc (Linux)
  const root = mkdtempSync(join(tmpdir(), "ofertas-loader-"));
  const warehouse = new LocalWarehouse({ root, keepStagedFiles: false });
  await warehouse.prepare();
  const [first] = loaderPids();
  assert.ok(first, "prepare ran in a loader child that stays for the next operation");

  assert.equal((await warehouse.load(await batchOf(root, 40))).inserted, 40);
  assert.deepEqual(loaderPids(), [first], "the same child loaded the batch");

  const [a, b] = await Promise.all([batchOf(root, 30), batchOf(root, 20)]);
  const results = await Promise.all([warehouse.load(a), warehouse.load(b)]);
  assert.deepEqual(results.map((r) => r.inserted), [30, 20], "neither load was cut short by the other");
  assert.equal(loaderPids().length, 2, "two idle children kept, one per concurrent load");

  for (const pid of loaderPids()) process.kill(pid, "SIGKILL");
  await until("the killed children to be gone", () => loaderPids().length === 0);
  assert.equal((await warehouse.load(await batchOf(root, 10))).inserted, 10, "a new child replaces dead ones");

  await warehouse.close();
  await until("the children to end after close()", () => loaderPids().length === 0);
  const counts = await localCounts(root);
  assert.equal(counts.rows, 100);
  assert.equal(counts.distinctKeys, 100);
});

test("local warehouse: a load writes row groups of at most 16,384 rows (not appended to a large partly filled one)", {
  timeout: 60_000,
}, async () => {
  const root = mkdtempSync(join(tmpdir(), "ofertas-rowgroups-"));
  const warehouse = await inProcessLocalWarehouse(root);
  for (const n of [20_000, 3_000]) assert.equal((await warehouse.load(await batchOf(root, n))).inserted, n);
  const db = await DuckDBInstance.create(warehouse.databasePath);
  const connection = await db.connect();
  try {
    const groups = (await connection.runAndReadAll(
      `SELECT row_group_id, sum(count) AS n FROM pragma_storage_info('daily_offers')
       WHERE column_name = 'offer_key' AND segment_type = 'VARCHAR' GROUP BY row_group_id`,
    )).getRows().map(([, n]) => Number(n));
    assert.equal(groups.reduce((a, b) => a + b, 0), 23_000);
    assert.ok(groups.length >= 2 && Math.max(...groups) <= 16_384, `rows per row group: ${groups.join(", ")}`);
  } finally {
    connection.closeSync();
    db.closeSync();
  }
});

test("local warehouse: a table made before watch_id gains it, and position/page may be null; old rows stay", {
  timeout: 60_000,
}, async () => {
  const root = mkdtempSync(join(tmpdir(), "ofertas-migrate-"));
  const warehouse = new LocalWarehouse({ root, keepStagedFiles: false, inProcess: true });
  // the table as the first release made it: no watch_id, position and page NOT NULL
  const oldColumns = Object.entries(DAILY_OFFERS.columns).filter(([name]) => name !== "watch_id");
  const oldDdl = `CREATE TABLE daily_offers (\n${
    oldColumns.map(([name, col]) =>
      `  ${name} ${duckdbType(col)}${
        col.mode === "REQUIRED" || name === "position" || name === "page" ? " NOT NULL" : ""
      }`
    ).join(",\n")
  }\n)`;
  mkdirSync(root, { recursive: true });
  const db = await DuckDBInstance.create(warehouse.databasePath);
  const connection = await db.connect();
  await connection.run(oldDdl);
  connection.closeSync();
  db.closeSync();
  const old = await batchOf(root, 5);
  // an old batch has no watch_id in its rows at all
  await warehouse.prepare();
  assert.equal((await warehouse.load(old)).inserted, 5);
  const reopened = await DuckDBInstance.create(warehouse.databasePath);
  const c = await reopened.connect();
  try {
    const columns = (await c.runAndReadAll(
      "SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = 'daily_offers'",
    )).getRowObjectsJson() as Array<{ column_name: string; is_nullable: string }>;
    const byName = new Map(columns.map((r) => [r.column_name, r.is_nullable]));
    assert.equal(byName.get("watch_id"), "YES");
    assert.equal(byName.get("position"), "YES");
    assert.equal(byName.get("page"), "YES");
    assert.equal(columns.at(-1)!.column_name, "watch_id", "appended last, as the table's definition has it");
    const rows = (await c.runAndReadAll("SELECT count(*) AS n, count(watch_id) AS w FROM daily_offers"))
      .getRowObjectsJson() as Array<{ n: string; w: string }>;
    assert.deepEqual(rows[0], { n: "5", w: "0" });
  } finally {
    c.closeSync();
    reopened.closeSync();
  }
  await warehouse.prepare(); // a second start changes nothing
});
