/**
 * The worker lane (WorkerLanes and staging-worker.ts, in a real worker): the same batch as the
 * in-thread lane from the same records, dead letters handed back with their records, a broken
 * transform failing the batch by name, a discarded lane leaving nothing behind.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DAILY_OFFERS } from "../../shared/tables.ts";
import { sampleMessage } from "../../test/sample-offer.ts";
import { shapeOf, stagedLines } from "../staging.ts";
import { type DeadLetter, transformRecord } from "../transform.ts";
import type { RawRecord } from "../backend/backend.ts";
import { inThreadLane, WorkerLanes } from "./staging-lane.ts";

const shape = shapeOf(DAILY_OFFERS);
const INGESTED = "2026-06-17T12:00:00Z";
const enc = new TextEncoder();
const record = (offset: number, value: string | null): RawRecord => ({
  topic: "deal-of-the-day",
  partition: 1,
  offset: String(offset),
  key: null,
  value: value === null ? null : enc.encode(value),
  headers: { schema_version: "1" },
});
const offer = (i: number) => JSON.stringify(sampleMessage({ item_id: `MLB70000000${i}` }));
const records = [
  record(0, offer(1)),
  record(1, "{not json"),
  record(2, offer(2)),
  record(3, null),
  record(4, offer(1)),
];

async function linesOf(batch: { files: Array<{ localPath: string; path: string; date: string; rows: number }> }) {
  const lines: string[] = [];
  for (const file of batch.files) for await (const line of stagedLines(file)) lines.push(line);
  return lines;
}

test("worker lane: the same rows, dead letters and duplicates as the in-thread lane", async () => {
  const lanes = new WorkerLanes(new URL("../transform.ts", import.meta.url).href);
  try {
    const inWorker: DeadLetter[] = [];
    const lane = lanes.open(mkdtempSync(join(tmpdir(), "lane-w-")), shape, INGESTED, (d) => inWorker.push(...d));
    await lane.add(records.slice(0, 2));
    await lane.add(records.slice(2));
    const worker = await lane.seal();

    const inThread: DeadLetter[] = [];
    const reference = inThreadLane(
      mkdtempSync(join(tmpdir(), "lane-t-")),
      shape,
      transformRecord,
      INGESTED,
      (d) => inThread.push(...d),
    );
    await reference.add(records);
    const thread = await reference.seal();

    assert.equal(worker.batch.rows, 2);
    assert.equal(worker.duplicates, 1, "the same item twice in a batch is one row");
    assert.deepEqual([worker.batch.rows, worker.duplicates], [thread.batch.rows, thread.duplicates]);
    assert.deepEqual(worker.batch.ranges, thread.batch.ranges);
    assert.deepEqual(await linesOf(worker.batch), await linesOf(thread.batch));
    assert.deepEqual(inWorker.map((d) => [d.record.offset, d.kind]), inThread.map((d) => [d.record.offset, d.kind]));
    assert.equal(inWorker[0]!.record, records[1], "a dead letter carries the original record");
  } finally {
    lanes.close();
  }
});

test("worker lane: a transform that throws fails the batch with its reason; a discarded lane leaves no file", async () => {
  const lanes = new WorkerLanes(new URL("./fixtures/failing-transform.ts", import.meta.url).href);
  try {
    const lane = lanes.open(mkdtempSync(join(tmpdir(), "lane-f-")), shape, INGESTED, () => {});
    await lane.add([record(0, "boom")]);
    await assert.rejects(lane.seal(), /staging failed: the transform broke/);

    const good = new WorkerLanes(new URL("../transform.ts", import.meta.url).href);
    const root = mkdtempSync(join(tmpdir(), "lane-d-"));
    const discarded = good.open(root, shape, INGESTED, () => {});
    await discarded.add([record(0, offer(3))]);
    const files = () =>
      (existsSync(root) ? readdirSync(root, { recursive: true, withFileTypes: true }) : []).filter((f) => f.isFile())
        .map((f) => f.name);
    await good.open(root, shape, INGESTED, () => {}).seal().catch(() => {}); // the worker has done the chunk
    assert.ok(files().length > 0, "the chunk was staged");
    await discarded.discard();
    assert.deepEqual(files(), [], "nothing of the discarded batch is left");
    good.close();
  } finally {
    lanes.close();
  }
});
