/**
 * A memory ceiling is a correctness property: the consumer daemon, as `bun run batch/consumer.ts`
 * starts it, works through a backlog of real-shaped offers and its peak RSS stays under 300 MB,
 * whatever the backlog (records stream to disk; fetches, the JS heap and DuckDB are bounded;
 * DuckDB loads run in a short child of their own). Speed is in bench/consume, not here.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { CompressionTypes } from "kafkajs";
import { mkdirSync, readFileSync } from "node:fs";
import { toKafkaMessage } from "../edge/offer-producer.ts";
import {
  consumerEnv,
  createConsumerTopics,
  startConsumerProcess,
  uncommitted,
  waitFor,
} from "../test/consumer-helpers.ts";
import { testKafka } from "../test/kafka-helpers.ts";
import { realOfferMessages } from "../test/real-offers.ts";

const CEILING_MB = 300;
const BACKLOG = 150_000;
const REPO = new URL("..", import.meta.url).pathname;

/** The daemon is the launcher's child (batch/memory-budget.ts); its peak RSS in MB. */
function daemonPeakMb(launcherPid: number): number {
  const children = readFileSync(`/proc/${launcherPid}/task/${launcherPid}/children`, "utf8").trim().split(/\s+/);
  const daemon = Number(children[0]);
  return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${daemon}/status`, "utf8"))?.[1] ?? 0) / 1024;
}

test(`memory: a backlog of ${BACKLOG} offers keeps the consumer daemon under ${CEILING_MB} MB`, async () => {
  const topics = await createConsumerTopics("memory");
  const producer = testKafka().producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let batch: ReturnType<typeof toKafkaMessage>[] = [];
  for (const m of realOfferMessages(BACKLOG, 6_500_000_000, `memory-${Date.now()}`)) {
    batch.push(toKafkaMessage(m));
    if (batch.length === 5_000) {
      await producer.send({ topic: topics.topic, acks: -1, compression: CompressionTypes.GZIP, messages: batch });
      batch = [];
    }
  }
  if (batch.length) {
    await producer.send({ topic: topics.topic, acks: -1, compression: CompressionTypes.GZIP, messages: batch });
  }
  await producer.disconnect();

  const root = `${REPO}.ofertas/test/warehouse-memory-${Date.now()}`;
  mkdirSync(root, { recursive: true });
  const consumer = startConsumerProcess(
    consumerEnv(topics, { OFERTAS_WAREHOUSE: "local", OFERTAS_LOCAL_DIR: root, OFERTAS_BATCH_INTERVAL_MS: "1000" }),
  );
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, daemonPeakMb(consumer.child.pid!));
    } catch {
      // not started yet, or gone
    }
  }, 200);
  try {
    await waitFor(
      "the backlog committed",
      () => uncommitted(topics.topic, topics.group),
      (left) => left === 0,
      170_000,
    );
    peak = Math.max(peak, daemonPeakMb(consumer.child.pid!));
    console.log(`  consumer daemon peak RSS ${peak.toFixed(0)} MB over ${BACKLOG} offers`);
    assert.ok(peak > 0, "the daemon's RSS was read");
    assert.ok(peak < CEILING_MB, `peak RSS ${peak.toFixed(0)} MB`);
  } finally {
    clearInterval(sampler);
    await consumer.stop();
  }
});
