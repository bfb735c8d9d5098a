import { test } from "node:test";
import assert from "node:assert/strict";
import { sampleMessage } from "../test/sample-offer.ts";
import { batchIdOf, buildLoadBatch, type OffsetRange } from "./staging.ts";
import { transform } from "./transform.ts";

const enc = new TextEncoder();

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

async function gunzip(bytes: Uint8Array): Promise<string> {
  return new Response(
    new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("gzip")),
  ).text();
}

test("staging: one gzip NDJSON file per offer date and partition, named after the offset range", async () => {
  const rows = await rowsFor(["2026-06-16T12:00:00Z", "2026-06-17T02:00:00Z", "2026-06-17T12:00:00Z"]);
  const ranges: OffsetRange[] = [{ topic: "deal-of-the-day", partition: 0, first: "10", last: "14" }];
  const batch = await buildLoadBatch(rows, ranges);
  assert.deepEqual(batch.files.map((f) => [f.path, f.rows]), [
    ["staging/daily_offers/offer_date=2026-06-16/deal-of-the-day-0-10-14.json.gz", 2],
    ["staging/daily_offers/offer_date=2026-06-17/deal-of-the-day-0-10-14.json.gz", 1],
  ]);
  assert.deepEqual(batch.dates, ["2026-06-16", "2026-06-17"]);
  const lines = (await gunzip(batch.files[0]!.gzip)).trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  assert.equal(lines[0].price, "3149.00", "money stays a decimal string in the staged file");
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

test("staging: rows outside the batch's ranges are a programming error", async () => {
  const rows = await rowsFor(["2026-06-16T12:00:00Z"], 4);
  await assert.rejects(
    buildLoadBatch(rows, [{ topic: "deal-of-the-day", partition: 0, first: "1", last: "2" }]),
    /outside the batch's ranges/,
  );
});
