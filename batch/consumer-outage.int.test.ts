/**
 * A consumer started while one broker of three is down (the first one it would ask, as in a
 * rolling restart) keeps trying, quietly, instead of exiting, and loads every offer once the
 * partitions have leaders on the brokers that are up.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  consumerEnv,
  createConsumerTopics,
  localCounts,
  produceOffers,
  startConsumerProcess,
  waitFor,
} from "../test/consumer-helpers.ts";
import { integrationEnv } from "../test/integration-env.ts";
import { kafkaLocal, restartNode } from "../test/kafka-helpers.ts";

test("consumer start with a broker down: it keeps trying and loads once the partitions have leaders", {
  timeout: 240_000,
}, async () => {
  const topics = await createConsumerTopics("outage");
  const root = mkdtempSync(join(tmpdir(), "ofertas-outage-"));
  const brokers = integrationEnv.kafkaBrokers.split(",");
  // the dead broker first: the seed the consumer tries first refuses the connection
  const victim = 3;
  const dead = brokers[victim - 1]!;
  assert.equal(await kafkaLocal("kill", String(victim)), 0);
  const consumer = startConsumerProcess(
    consumerEnv(topics, {
      OFERTAS_LOCAL_DIR: root,
      KAFKA_BROKERS: [dead, ...brokers.filter((b) => b !== dead)].join(","),
    }),
  );
  try {
    // the consumer starts during the outage; leadership moves off the dead broker after
    // broker.session.timeout.ms, then offers can be written again
    await new Promise((r) => setTimeout(r, 15_000));
    assert.equal(
      consumer.child.exitCode,
      null,
      `the consumer waits out the outage:\n${consumer.output().slice(-2000)}`,
    );
    await produceOffers(topics.topic, 300);
    const counts = await waitFor("every offer loaded", () => localCounts(root), (c) => c.rows >= 300, 180_000);
    assert.equal(counts.rows, 300);
    assert.equal(consumer.child.exitCode, null, `the consumer is still running:\n${consumer.output().slice(-2000)}`);
    const lines = consumer.output().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
    const errors = lines.filter((l) => l.level === "error");
    assert.deepEqual(errors.map((l) => l.event), [], JSON.stringify(errors).slice(0, 2000));
    assert.ok(lines.some((l) => l.event === "consumer_started"));
    console.log(
      lines.filter((l) => l.level === "warn" || l.level === "error" || l.transient).map((l) =>
        JSON.stringify(l).slice(0, 300)
      ).join("\n"),
    );
    console.log(`  start: ${lines.filter((l) => l.event === "consumer_kafka_unavailable").length} attempts waited out`);
  } finally {
    await consumer.stop();
    await restartNode(victim); // leave a whole, balanced cluster for the next tests
    rmSync(root, { recursive: true, force: true });
  }
});
