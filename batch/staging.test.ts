import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DAILY_OFFERS } from "../shared/tables.ts";
import { sampleMessage } from "../test/sample-offer.ts";
import {
  batchIdOf,
  BatchWriter,
  clearSpool,
  type OffsetRange,
  shapeOf,
  splitBatch,
  stagedLines,
  stageRows,
} from "./staging.ts";
import { transform } from "./transform.ts";

const enc = new TextEncoder();
const shape = shapeOf(DAILY_OFFERS);
const tmp = () => mkdtempSync(join(tmpdir(), "ofertas-staging-"));

async function rowsFor(scrapedAts: string[], partition = 0) {
  const records = scrapedAts.map((at, i) => ({
    topic: "deal-of-the-day",
    partition,
    offset: String(10 + i),
    key: null,
    value: enc.encode(JSON.stringify(sampleMessage({ item_id: `MLB90000000${i}`, scraped_at: at }))),
    headers: {},
  }));
  return (await transform(records, "2026-06-17T12:00:00Z")).rows;
}

async function linesOf(file: { localPath: string; path: string; date: string; rows: number }) {
  const lines: Record<string, unknown>[] = [];
  for await (const line of stagedLines(file)) lines.push(JSON.parse(line));
  return lines;
}

test("staging: rows stream into one gzip NDJSON file per offer date and partition, named after the offset range", async () => {
  const root = tmp();
  const rows = await rowsFor(["2026-06-16T12:00:00Z", "2026-06-17T02:00:00Z", "2026-06-17T12:00:00Z"]);
  const ranges: OffsetRange[] = [{ topic: "deal-of-the-day", partition: 0, first: "10", last: "14" }];
  const batch = await stageRows(root, shape, rows, ranges);
  assert.deepEqual(batch.files.map((f) => [f.path, f.rows]), [
    ["staging/daily_offers/offer_date=2026-06-16/deal-of-the-day-0-10-14.json.gz", 2],
    ["staging/daily_offers/offer_date=2026-06-17/deal-of-the-day-0-10-14.json.gz", 1],
  ]);
  assert.equal(
    batch.files[0]!.localPath,
    join(root, "spool/daily_offers/offer_date=2026-06-16/deal-of-the-day-0-10-14.json.gz"),
  );
  assert.deepEqual(batch.dates, ["2026-06-16", "2026-06-17"]);
  const lines = await linesOf(batch.files[0]!);
  assert.equal(lines.length, 2);
  assert.equal(lines[0]!.price, "3149.00", "money stays a decimal string in the staged file");
});

test("staging: a key already in the batch is counted as a duplicate, not written twice", async () => {
  const [row] = await rowsFor(["2026-06-16T12:00:00Z"]);
  const writer = new BatchWriter(tmp(), shape);
  writer.add(row!);
  writer.add({ ...row!, kafka_offset: 99 });
  const batch = await writer.seal();
  assert.equal(batch.rows, 1);
  assert.equal(writer.duplicates, 1);
});

test("staging: large batches go through gzip in chunks (bounded buffers) and come back whole", async () => {
  const [row] = await rowsFor(["2026-06-16T12:00:00Z"]);
  const writer = new BatchWriter(tmp(), shape);
  for (let i = 0; i < 5_000; i++) {
    const wait = writer.add({ ...row!, offer_key: i.toString(16).padStart(32, "0"), kafka_offset: i });
    if (wait) await wait;
  }
  const batch = await writer.seal();
  assert.equal(batch.rows, 5_000);
  assert.equal((await linesOf(batch.files[0]!)).length, 5_000);
  assert.deepEqual(batch.ranges, [{ topic: "deal-of-the-day", partition: 0, first: "0", last: "4999" }]);
});

test("staging: the batch id is deterministic, and differs for other ranges or other content", async () => {
  const rows = await rowsFor(["2026-06-16T12:00:00Z"]);
  const ranges: OffsetRange[] = [{ topic: "t", partition: 0, first: "10", last: "10" }, {
    topic: "t",
    partition: 3,
    first: "5",
    last: "9",
  }];
  const a = await batchIdOf(ranges, rows.map((r) => r.offer_key));
  assert.equal(
    await batchIdOf([...ranges].reverse(), rows.map((r) => r.offer_key)),
    a,
    "order of ranges does not matter",
  );
  assert.match(a, /^[0-9a-f]{24}$/);
  assert.notEqual(await batchIdOf([{ ...ranges[0]!, last: "11" }, ranges[1]!], rows.map((r) => r.offer_key)), a);
  assert.notEqual(
    await batchIdOf(ranges, ["other"]),
    a,
    "same offsets, other content (a recreated topic) → another id",
  );
});

test("staging: a batch splits into two halves with their own ranges and ids; the parent's files are gone", async () => {
  const root = tmp();
  const rows = await rowsFor(["2026-06-16T12:00:00Z", "2026-06-16T13:00:00Z", "2026-06-17T12:00:00Z"]);
  const batch = await stageRows(root, shape, rows);
  const [a, b] = await splitBatch(batch, root, shape);
  assert.equal(a.rows + b.rows, 3);
  assert.notEqual(a.id, b.id);
  assert.deepEqual(a.ranges, [{ topic: "deal-of-the-day", partition: 0, first: "10", last: "11" }]);
  assert.deepEqual(b.ranges, [{ topic: "deal-of-the-day", partition: 0, first: "12", last: "12" }]);
  for (const f of batch.files) assert.equal(existsSync(f.localPath), false);
});

test("staging: a starting feed clears what an earlier process left in its spool, and only its own", async () => {
  const root = tmp();
  await stageRows(root, shape, await rowsFor(["2026-06-16T12:00:00Z"])); // sealed, never loaded
  mkdirSync(join(root, "spool/daily_offers/.writing/123-1"), { recursive: true }); // a crash mid-write
  writeFileSync(join(root, "spool/daily_offers/.writing/123-1/0.json.gz"), "partial");
  mkdirSync(join(root, "spool/product_details/.writing/456-1"), { recursive: true }); // the other feed, busy
  assert.deepEqual(readdirSync(join(root, "spool/daily_offers")).sort(), [".writing", "offer_date=2026-06-16"]);
  await clearSpool(root, "daily_offers");
  assert.equal(existsSync(join(root, "spool/daily_offers")), false);
  assert.equal(existsSync(join(root, "spool/product_details/.writing/456-1")), true);
});
