/**
 * The consumer's bookkeeping without Kafka or a database: the in-memory backend and warehouse
 * twins stand in for kafkajs and DuckDB/BigQuery. What is checked: every record loaded once and
 * committed after its load, dead letters once per batch, refused rows isolated, outages retried
 * without skipping, reading overlapping loading with a bound, and commits only for the current
 * group generation.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DAILY_OFFERS } from "../shared/tables.ts";
import { sampleMessage } from "../test/sample-offer.ts";
import { MemoryBackend } from "./backend/memory-backend.ts";
import { BatchConsumer } from "./batch-consumer.ts";
import { createConsumerMetrics } from "./consumer-metrics.ts";
import { MemoryDeadLetters } from "./dead-letters.ts";
import type { LoadAnnouncer } from "./load-announcer.ts";
import { shapeOf } from "./staging.ts";
import { inThreadLane } from "./runtime/staging-lane.ts";
import { transformRecord } from "./transform.ts";
import { MemoryWarehouse } from "./warehouse/memory-warehouse.ts";

let item = 5_000_000_000;
const offer = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify(sampleMessage({ item_id: `MLB${item++}`, scrape_id: "unit-scrape", ...overrides }));

function setup(options: { maxRecords?: number; announcer?: LoadAnnouncer; retryBaseMs?: number } = {}) {
  const backend = new MemoryBackend("deal-of-the-day", 2);
  const warehouse = new MemoryWarehouse();
  const deadLetters = new MemoryDeadLetters();
  const metrics = createConsumerMetrics();
  const fatal: Error[] = [];
  const spoolRoot = mkdtempSync(join(tmpdir(), "ofertas-consumer-unit-"));
  const consumer = new BatchConsumer({
    backend,
    warehouse,
    deadLetters,
    metrics,
    spoolRoot,
    shape: shapeOf(DAILY_OFFERS),
    openLane: (ingestedAt, onDead) =>
      inThreadLane(spoolRoot, shapeOf(DAILY_OFFERS), transformRecord, ingestedAt, onDead),
    settings: {
      groupId: "unit",
      intervalMs: 3_600_000, // batches are sealed by the test (or when full)
      maxRecords: options.maxRecords ?? 1_000,
      maxBytes: 64 * 1024 * 1024,
      retryBaseMs: options.retryBaseMs ?? 1,
      retryMaxMs: Math.max(5, options.retryBaseMs ?? 1),
      loadTimeoutMs: 5_000,
    },
    onFatal: (e) => fatal.push(e),
    announcer: options.announcer,
  });
  return { backend, warehouse, deadLetters, metrics, consumer, fatal, spoolRoot };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}

const until = async (what: string, done: () => boolean, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
};

test("consumer: every record is loaded once, and its offsets are committed after the load", async () => {
  const { backend, warehouse, consumer } = setup();
  await consumer.start();
  for (let i = 0; i < 10; i++) backend.append(i % 2, offer());
  assert.equal(await backend.deliver(), 10);
  assert.equal(backend.commits.length, 0, "nothing committed before the load");
  await consumer.sealAndLoad();
  assert.equal(warehouse.rows().length, 10);
  assert.deepEqual(Object.fromEntries(backend.committed), { 0: 5, 1: 5 });
  await consumer.stop();
});

test("consumer: poison is dead-lettered once per batch, even when the load fails and is retried", async () => {
  const { backend, warehouse, deadLetters, consumer, metrics } = setup();
  await consumer.start();
  backend.append(0, offer());
  backend.append(0, "{not json");
  backend.append(0, offer({ title: "a\ud800b" })); // a lone surrogate: refused by the contract
  backend.append(1, offer({ position: 1e20 }));
  backend.append(1, offer({ reviews: 1e30 }));
  backend.append(1, offer());
  await backend.deliver();
  warehouse.outages = 6;
  await consumer.sealAndLoad();
  assert.equal(warehouse.attempts.length, 7, "six outages, then the load");
  assert.equal(deadLetters.sent.length, 4, "4 poison records, 4 dead letters (not 4 per retry)");
  assert.deepEqual(deadLetters.sent.map((d) => d.kind).sort(), ["malformed_json", "schema", "schema", "schema"]);
  assert.equal(warehouse.rows().length, 2);
  assert.deepEqual(Object.fromEntries(backend.committed), { 0: 3, 1: 3 }, "poison offsets are committed too");
  assert.equal(metrics.invalid.get({ reason: "schema" }), 3);
  await consumer.stop();
});

test("consumer: rows the warehouse refuses are isolated by bisection and dead-lettered; the rest loads and commits", async () => {
  const { backend, warehouse, deadLetters, consumer } = setup();
  warehouse.refuse = (row) => (String(row.title).includes("REFUSED") ? `Constraint Error: title ${row.title}` : null);
  await consumer.start();
  for (let i = 0; i < 40; i++) {
    backend.append(i % 2, offer({ title: i === 7 || i === 30 ? `REFUSED ${i}` : `ok ${i}` }));
  }
  await backend.deliver();
  await consumer.sealAndLoad();
  assert.equal(warehouse.rows().length, 38);
  assert.deepEqual(deadLetters.sent.map((d) => d.kind), ["warehouse_refused", "warehouse_refused"]);
  for (const letter of deadLetters.sent) {
    assert.match(letter.reason, /^warehouse: Constraint Error: title REFUSED/);
    const row = JSON.parse(new TextDecoder().decode(letter.record.value!));
    assert.match(row.title, /REFUSED/);
    assert.equal(letter.record.offset, String(row.kafka_offset), "the row's Kafka origin");
  }
  assert.ok(warehouse.attempts.length < 40, `bisection, not one load per row: ${warehouse.attempts.length}`);
  assert.deepEqual(Object.fromEntries(backend.committed), { 0: 20, 1: 20 });
  await consumer.stop();
});

test("consumer: reading overlaps loading, runs at most one batch ahead, and commits in order", async () => {
  const { backend, warehouse, consumer } = setup({ maxRecords: 4 });
  await consumer.start();
  for (let i = 0; i < 12; i++) backend.append(0, offer());
  const release = warehouse.hold();
  assert.equal(await backend.deliver(4), 4); // batch 1 fills and is sealed; its load waits
  await until("batch 1 loading", () => warehouse.attempts.length === 1);
  assert.equal(backend.paused, false, "reading goes on while batch 1 loads");
  assert.equal(await backend.deliver(), 4, "batch 2 is read during the load");
  assert.equal(backend.paused, true, "batch 2 is full: reading waits for the load");
  assert.equal(await backend.deliver(), 0);
  assert.equal(backend.commits.length, 0);
  release();
  await until("batches 1 and 2 committed", () => backend.commits.length === 2);
  assert.deepEqual(backend.commits.map((c) => c.map((o) => o.offset)), [["4"], ["8"]], "in order");
  await until("reading resumed", () => !backend.paused);
  assert.equal(await backend.deliver(), 4);
  await until("batch 3 committed", () => backend.commits.length === 3);
  assert.equal(warehouse.rows().length, 12);
  await consumer.stop();
});

test("consumer: a batch read before a rebalance is not committed; the records are read again and loaded once", async () => {
  const { backend, warehouse, consumer, spoolRoot } = setup();
  await consumer.start();
  for (let i = 0; i < 6; i++) backend.append(0, offer());
  await backend.deliver();
  const release = warehouse.hold();
  const loading = consumer.sealAndLoad();
  await until("loading", () => warehouse.attempts.length === 1);
  backend.rebalance([0, 1]); // a new generation while the batch loads
  release();
  await loading;
  assert.equal(backend.commits.length, 0, "the old generation's batch is not committed");
  assert.equal(await backend.deliver(), 6, "read again from the committed offset");
  await consumer.sealAndLoad();
  assert.deepEqual(Object.fromEntries(backend.committed), { 0: 6 });
  assert.equal(warehouse.rows().length, 6, "loaded twice, stored once");
  backend.append(0, offer());
  await backend.deliver(); // read, then abandoned by the stop
  await consumer.stop();
  assert.deepEqual(filesUnder(join(spoolRoot, "spool")), [], "no staged file outlives its batch");
});

test("consumer: a stop during a long backoff ends it at once; nothing is committed", async () => {
  const { backend, warehouse, consumer, metrics } = setup({ retryBaseMs: 60_000 });
  await consumer.start();
  for (let i = 0; i < 3; i++) backend.append(0, offer());
  await backend.deliver();
  warehouse.outages = 1;
  const loading = consumer.sealAndLoad();
  // the load failed and the batch waits 30 to 60 s before its next try
  await until("the load failed", () => metrics.loadAttempts.get({ outcome: "outage" }) === 1);
  await new Promise((r) => setTimeout(r, 50));
  const started = Date.now();
  await consumer.stop();
  await loading;
  assert.ok(Date.now() - started < 2_000, `stopped in ${Date.now() - started} ms`);
  assert.equal(warehouse.attempts.length, 1, "no second try");
  assert.deepEqual(backend.commits, [], "nothing committed: the batch is read again");
});

test("consumer: a dead-letter outage is retried, never skipped", async () => {
  const { backend, warehouse, deadLetters, consumer } = setup();
  await consumer.start();
  backend.append(0, "{not json");
  backend.append(0, offer());
  await backend.deliver();
  deadLetters.failures = 3;
  await consumer.sealAndLoad();
  assert.equal(deadLetters.sent.length, 1);
  assert.equal(warehouse.rows().length, 1);
  assert.deepEqual(Object.fromEntries(backend.committed), { 0: 2 });
  await consumer.stop();
});

test("consumer: lag is reported from the start, without any batch (a consumer on a backlog it cannot load still says so)", async () => {
  const { backend, consumer, metrics } = setup();
  for (let i = 0; i < 3; i++) backend.append(0, offer());
  await consumer.start(); // nothing is delivered: as a consumer stuck before its first load
  try {
    await until("a lag series", () => (metrics.lag.get({ partition: "0" }) ?? 0) > 0);
    assert.equal(metrics.lag.get({ partition: "0" }), 3);
    assert.equal(metrics.lag.get({ partition: "1" }), 0, "an empty partition is a series too");
    assert.equal(metrics.batches.get({ outcome: "loaded" }) ?? 0, 0, "before any batch");
  } finally {
    await consumer.stop();
  }
});

test("consumer: a loaded batch is announced before its commit; an announcement outage is retried, not skipped", async () => {
  const announced: string[] = [];
  let down = 2;
  const { backend, warehouse, consumer } = setup({
    announcer: {
      connect: () => Promise.resolve(),
      close: () => Promise.resolve(),
      announce: (batch) => {
        if (down-- > 0) return Promise.reject(new Error("broker down"));
        assert.equal(warehouse.rows().length, 2, "in the warehouse first");
        assert.equal(backend.commits.length, 0, "not committed yet");
        announced.push(batch.id);
        return Promise.resolve();
      },
    },
  });
  await consumer.start();
  backend.append(0, offer());
  backend.append(1, offer());
  await backend.deliver();
  await consumer.sealAndLoad();
  assert.equal(announced.length, 1, "once, after two failed attempts");
  assert.deepEqual(Object.fromEntries(backend.committed), { 0: 1, 1: 1 }, "then committed");
  await consumer.stop();
});

test("consumer: a reader kafkajs gives up on stops the consumer (fatal, nothing more committed), never an idle stall", async () => {
  const { backend, consumer, fatal } = setup();
  await consumer.start();
  backend.append(0, offer());
  assert.equal(await backend.deliver(), 1);
  backend.crash(new Error("Group authorization failed"));
  assert.deepEqual(fatal.map((e) => e.message), ["Group authorization failed"]);
  await consumer.sealAndLoad();
  assert.equal(backend.commits.length, 0, "a failed consumer commits nothing more");
  await consumer.stop();
});
