/**
 * The batch consumer on the real 3-broker cluster, as the daemon runs (`bun run
 * batch/consumer.ts`), against both warehouses: the local DuckDB default and BigQuery on the
 * emulators. Each fault below must lose nothing and duplicate nothing. BigQuery has no
 * primary key, so "every offer once" is checked on both engines, not just on the one whose
 * table enforces it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { DLQ_HEADERS } from "./dead-letters.ts";
import { readTopic } from "../test/kafka-helpers.ts";
import { sampleMessage } from "../test/sample-offer.ts";
import { createTableSql } from "../shared/duckdb-schema.ts";
import {
  bigqueryCounts,
  bigqueryEnv,
  consumerEnv,
  createConsumerTopics,
  localCounts,
  produceOffers,
  produceRaw,
  startConsumerProcess,
  uncommitted,
  waitFor,
  type WarehouseCounts,
  withLocalDatabase,
} from "../test/consumer-helpers.ts";
import { integrationEnv } from "../test/integration-env.ts";

const REPO = new URL("..", import.meta.url).pathname;
const uniqueName = (name: string) => `${name}_${Date.now()}_${Math.random().toString(36).slice(2, 6)}`;

interface Engine {
  name: "local" | "bigquery";
  env(): Record<string, string>;
  counts(): Promise<WarehouseCounts>;
}

function localEngine(): Engine & { root: string } {
  const root = `${REPO}.ofertas/test/warehouse-${uniqueName("local")}`;
  mkdirSync(root, { recursive: true });
  return {
    name: "local",
    root,
    env: () => ({ OFERTAS_WAREHOUSE: "local", OFERTAS_LOCAL_DIR: root }),
    counts: () => localCounts(root),
  };
}

function bigqueryEngine(): Engine {
  const dataset = uniqueName("consumer");
  return { name: "bigquery", env: () => bigqueryEnv(dataset), counts: () => bigqueryCounts(dataset) };
}

const ENGINES = [localEngine, bigqueryEngine];

test("consumer: every offer loaded once; poison messages in the DLQ with reason and origin; offsets committed after the load", async () => {
  const topics = await createConsumerTopics("poison");
  const engine = localEngine();
  const first = await produceOffers(topics.topic, 30);
  await produceRaw(topics.topic, ["{not json", JSON.stringify({ schema_version: 9, item_id: "MLB1" })]);
  const second = await produceOffers(topics.topic, 30);
  await produceRaw(topics.topic, [
    Buffer.from([0xc3, 0x28]),
    JSON.stringify({ schema_version: 1, site: "MLB", item_id: "MLB2" }),
  ]);

  const consumer = startConsumerProcess(consumerEnv(topics, engine.env()));
  let exit: { code: number | null } | null = null;
  try {
    await waitFor(
      "all offers loaded and committed",
      async () => ({ counts: await engine.counts(), left: await uncommitted(topics.topic, topics.group) }),
      (s) => s.counts.rows === 60 && s.left === 0,
    );
    const counts = await engine.counts();
    assert.equal(counts.distinctKeys, 60);
    assert.deepEqual([...counts.itemIds].sort(), [...first, ...second].map((m) => m.item_id).sort());

    const letters = await readTopic(topics.dlq, (m) => m.length >= 4, 30_000);
    assert.equal(letters.length, 4);
    const reasons = letters.map((l) => l.headers[DLQ_HEADERS.reason]!).sort();
    assert.match(reasons.join("\n"), /malformed JSON/);
    assert.match(reasons.join("\n"), /unknown schema_version 9/);
    assert.match(reasons.join("\n"), /not UTF-8/);
    assert.match(reasons.join("\n"), /schema: .*title: is required/);
    for (const letter of letters) {
      assert.equal(letter.headers[DLQ_HEADERS.topic], topics.topic);
      assert.match(letter.headers[DLQ_HEADERS.partition]!, /^\d+$/);
      assert.match(letter.headers[DLQ_HEADERS.offset]!, /^\d+$/);
      assert.equal(letter.headers[DLQ_HEADERS.group], topics.group);
      assert.equal(letter.headers["content-type"], "application/json", "original headers kept");
      assert.match(letter.key!, /^poison-\d$/, "original key kept");
    }
    assert.ok(letters.some((l) => l.value === "{not json"), "original bytes kept");
    exit = await consumer.stop();
  } finally {
    await consumer.stop();
  }
  assert.equal(exit.code, 0, `graceful stop on SIGTERM:\n${consumer.output().slice(-2000)}`);
});

test("consumer: real poison on the real cluster (values a warehouse refuses) is dead-lettered once; the good rows of the same batch are committed", async () => {
  const topics = await createConsumerTopics("poison-values");
  const engine = localEngine();
  const good = await produceOffers(topics.topic, 20);
  // what the route used to accept and made every DuckDB load fail, forever
  const poison = [
    JSON.stringify(sampleMessage({ item_id: "MLB8000000001", title: "a\ud800b" })),
    JSON.stringify(sampleMessage({ item_id: "MLB8000000002", position: 1e20 })),
    JSON.stringify(sampleMessage({ item_id: "MLB8000000003", reviews: 1e30 })),
  ];
  await produceRaw(topics.topic, poison);
  const more = await produceOffers(topics.topic, 20);
  const consumer = startConsumerProcess(consumerEnv(topics, { ...engine.env(), OFERTAS_BATCH_INTERVAL_MS: "3000" }));
  try {
    await waitFor(
      "good rows loaded and everything committed",
      async () => ({ counts: await engine.counts(), left: await uncommitted(topics.topic, topics.group) }),
      (s) => s.counts.rows === 40 && s.left === 0,
    );
    assert.deepEqual([...(await engine.counts()).itemIds].sort(), [...good, ...more].map((m) => m.item_id).sort());
    await new Promise((r) => setTimeout(r, 4_000)); // another interval: nothing is sent twice
    const letters = await readTopic(topics.dlq, (m) => m.length >= 3, 20_000);
    assert.equal(letters.length, 3, "one dead letter per poison message, not one per retry");
    assert.deepEqual(letters.map((l) => l.headers[DLQ_HEADERS.kind]), ["schema", "schema", "schema"]);
    assert.match(letters.map((l) => l.headers[DLQ_HEADERS.reason]).join("\n"), /title: must be well-formed Unicode/);
  } finally {
    await consumer.stop();
  }
});

test("consumer: rows the warehouse itself refuses are isolated and dead-lettered with its error; the rest is committed", async () => {
  const topics = await createConsumerTopics("refused-rows");
  const engine = localEngine();
  // an operator's stricter table: DuckDB refuses these rows for their values
  await withLocalDatabase(engine.root, async (run) => {
    await run(
      createTableSql().replace("title VARCHAR NOT NULL", "title VARCHAR NOT NULL CHECK (title NOT LIKE '%REFUSED%')"),
    );
  });
  const messages = await produceOffers(
    topics.topic,
    30,
    undefined,
    (i) => (i === 4 || i === 17 ? { title: `REFUSED ${i}` } : {}),
  );
  const consumer = startConsumerProcess(consumerEnv(topics, engine.env()));
  try {
    await waitFor("loaded and committed", () => uncommitted(topics.topic, topics.group), (left) => left === 0);
    const counts = await engine.counts();
    assert.equal(counts.rows, 28);
    const letters = await readTopic(topics.dlq, (m) => m.length >= 2, 20_000);
    assert.equal(letters.length, 2);
    for (const l of letters) {
      assert.equal(l.headers[DLQ_HEADERS.kind], "warehouse_refused");
      assert.match(l.headers[DLQ_HEADERS.reason]!, /^warehouse: Constraint Error: CHECK constraint failed/);
      const row = JSON.parse(l.value!);
      assert.match(row.title, /^REFUSED/);
      assert.equal(l.headers[DLQ_HEADERS.offset], String(row.kafka_offset));
    }
    assert.deepEqual(
      [...counts.itemIds].sort(),
      messages.filter((m) => !m.title.startsWith("REFUSED")).map((m) => m.item_id).sort(),
    );
    assert.match(consumer.output(), /"event":"rows_refused"/);
  } finally {
    await consumer.stop();
  }
});

for (const makeEngine of ENGINES) {
  test(`consumer (${makeEngine().name}): SIGKILL after the load and before the commit; after a restart every offer is there once`, async () => {
    const engine = makeEngine();
    const topics = await createConsumerTopics(`crash-commit-${engine.name}`);
    await produceOffers(topics.topic, 40);

    const crashing = startConsumerProcess(consumerEnv(topics, { ...engine.env(), OFERTAS_FAULT_POINT: "after_load" }));
    const exit = await crashing.exited;
    assert.equal(exit.signal, "SIGKILL", crashing.output().slice(-2000));
    assert.equal((await engine.counts()).rows, 40, "loaded before the crash");
    assert.equal(await uncommitted(topics.topic, topics.group), 40, "not committed: the crash came first");

    const restarted = startConsumerProcess(consumerEnv(topics, engine.env()));
    try {
      await waitFor(
        "offsets committed after the restart",
        () => uncommitted(topics.topic, topics.group),
        (left) => left === 0,
      );
      const counts = await engine.counts();
      assert.equal(counts.rows, 40, "the re-read batch did not add rows");
      assert.equal(counts.distinctKeys, 40);
    } finally {
      await restarted.stop();
    }
  });

  test(`consumer (${makeEngine().name}): SIGKILL while loading (after staging); after a restart with other batch boundaries every offer is there once`, async () => {
    const engine = makeEngine();
    const topics = await createConsumerTopics(`crash-load-${engine.name}`);
    const before = await produceOffers(topics.topic, 40);

    const crashing = startConsumerProcess(consumerEnv(topics, { ...engine.env(), OFERTAS_FAULT_POINT: "after_stage" }));
    assert.equal((await crashing.exited).signal, "SIGKILL", crashing.output().slice(-2000));
    assert.equal((await engine.counts()).rows, 0, "staged, not loaded");

    const after = await produceOffers(topics.topic, 15); // the next batch is cut differently
    const restarted = startConsumerProcess(consumerEnv(topics, engine.env()));
    try {
      await waitFor("everything committed", () => uncommitted(topics.topic, topics.group), (left) => left === 0);
      const counts = await engine.counts();
      assert.equal(counts.rows, 55);
      assert.equal(counts.distinctKeys, 55);
      assert.deepEqual([...counts.itemIds].sort(), [...before, ...after].map((m) => m.item_id).sort());
    } finally {
      await restarted.stop();
    }
  });
}

test("consumer (bigquery): GCS and BigQuery answering 503 or hanging → retried with backoff, nothing committed until the load succeeds, no duplicates", async () => {
  const { startFaultProxy } = await import("../test/fault-proxy.ts");
  const gcs = await startFaultProxy(integrationEnv.gcsEndpoint);
  const bigquery = await startFaultProxy(integrationEnv.bigqueryEndpoint);
  const dataset = uniqueName("faults");
  const topics = await createConsumerTopics("faults");
  const counts = () => bigqueryCounts(dataset);
  const consumer = startConsumerProcess(
    consumerEnv(topics, {
      ...bigqueryEnv(dataset, { bigquery: bigquery.url, gcs: gcs.url }),
      OFERTAS_LOAD_TIMEOUT_MS: "4000",
      OFERTAS_BQ_JOB_TIMEOUT_MS: "3000",
    }),
  );
  try {
    await produceOffers(topics.topic, 20);
    await waitFor("first offers loaded", () => uncommitted(topics.topic, topics.group), (left) => left === 0);

    // GCS fails: the upload is retried, nothing is committed
    gcs.mode = "fail";
    await produceOffers(topics.topic, 15);
    await waitFor("uploads refused", async () => gcs.counts.fail, (n) => n >= 3);
    assert.equal(await uncommitted(topics.topic, topics.group), 15);

    // GCS back, BigQuery hangs: loads time out and are retried, still nothing committed
    gcs.mode = "pass";
    bigquery.mode = "hang";
    await waitFor("BigQuery calls hanging", async () => bigquery.counts.hang, (n) => n >= 2, 60_000);
    assert.equal(await uncommitted(topics.topic, topics.group), 15);

    // BigQuery answers 503 for a while
    bigquery.mode = "fail";
    await waitFor("BigQuery calls refused", async () => bigquery.counts.fail, (n) => n >= 3, 60_000);
    assert.equal(await uncommitted(topics.topic, topics.group), 15);
    assert.equal((await counts()).rows, 20, "nothing of the failing batch is visible");

    bigquery.mode = "pass";
    await waitFor(
      "recovered and committed",
      () => uncommitted(topics.topic, topics.group),
      (left) => left === 0,
      120_000,
    );
    const final = await counts();
    assert.equal(final.rows, 35);
    assert.equal(final.distinctKeys, 35);
    assert.match(consumer.output(), /"event":"batch_load_failed"/);
  } finally {
    await consumer.stop();
    await gcs.close();
    await bigquery.close();
  }
});

test("consumer (bigquery): two instances in one group, rebalancing mid-stream; every offer once", async () => {
  const dataset = uniqueName("rebalance");
  const topics = await createConsumerTopics("rebalance");
  const env = consumerEnv(topics, bigqueryEnv(dataset));
  const produced: string[] = [];
  const a = startConsumerProcess(env);
  let b: ReturnType<typeof startConsumerProcess> | null = null;
  try {
    for (let round = 0; round < 12; round++) {
      if (round === 3) b = startConsumerProcess(env); // joins: rebalance
      if (round === 8) await a.stop(); // leaves: rebalance again, b takes everything
      produced.push(...(await produceOffers(topics.topic, 25)).map((m) => m.item_id));
      await new Promise((r) => setTimeout(r, 700));
    }
    await waitFor("everything committed", () => uncommitted(topics.topic, topics.group), (left) => left === 0, 120_000);
    const final = await bigqueryCounts(dataset);
    assert.equal(final.rows, produced.length, `rows: ${final.rows}, produced: ${produced.length}`);
    assert.equal(final.distinctKeys, produced.length);
    assert.deepEqual([...final.itemIds].sort(), [...produced].sort());
    assert.match(a.output() + b!.output(), /"event":"partitions_assigned"/);
  } finally {
    await a.stop();
    await b?.stop();
  }
});
