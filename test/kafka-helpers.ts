/** Real-Kafka helpers for integration tests: private topics, reading everything back. */
import assert from "node:assert/strict";
import { type IHeaders, Kafka, logLevel } from "kafkajs";
import { spawn } from "node:child_process";
import process from "node:process";
import { kafkaConfigFromEnv, TOPICS } from "../shared/kafka.ts";
import { integrationEnv } from "./integration-env.ts";

export function testKafka(clientId = "ofertas-test"): Kafka {
  return new Kafka({
    ...kafkaConfigFromEnv({ KAFKA_BROKERS: integrationEnv.kafkaBrokers }, clientId),
    logLevel: logLevel.NOTHING,
  });
}

type TopicSpec = { partitions: number; replicationFactor: number; configs: Record<string, string> };

// one creation at a time: concurrent createTopics({ waitForLeaders }) calls from several admin
// clients make kafkajs throw UNKNOWN_TOPIC_OR_PARTITION from its own metadata wait
let creating: Promise<unknown> = Promise.resolve();

/** A fresh topic shaped like deal-of-the-day (6 partitions, RF 3, min ISR 2). */
export function createTestTopic(prefix: string, spec: TopicSpec = TOPICS.offers): Promise<string> {
  const created = creating.then(() => createTopicNow(prefix, spec));
  creating = created.catch(() => {});
  return created;
}

async function createTopicNow(prefix: string, spec: TopicSpec): Promise<string> {
  const topic = `test.${prefix}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}`;
  const admin = testKafka().admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: spec.partitions,
          replicationFactor: spec.replicationFactor,
          configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
        },
      ],
    });
    // leaders exist, but a broker may not know the topic yet: wait until several metadata reads
    // in a row (from whichever broker kafkajs asks) all know it
    let known = 0;
    for (let attempt = 0; known < 5; attempt++) {
      if (attempt > 100) throw new Error(`topic ${topic} not known to the cluster after creation`);
      const ok = await admin.fetchTopicMetadata({ topics: [topic] }).then(
        (m) => m.topics[0]?.partitions.every((p) => p.leader >= 0) ?? false,
        () => false,
      );
      known = ok ? known + 1 : 0;
      if (!ok) await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await admin.disconnect();
  }
  return topic;
}

export interface ReadMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/** Reads a topic from the beginning until `done(messages)` holds or the timeout passes. */
export async function readTopic(
  topic: string,
  done: (messages: ReadMessage[]) => boolean,
  timeoutMs = 30_000,
): Promise<ReadMessage[]> {
  const consumer = testKafka().consumer({
    groupId: `test-reader-${Date.now()}-${Math.random().toString(36).slice(2)}`,
  });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => resolve(), timeoutMs);
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            messages.push({
              partition,
              offset: message.offset,
              key: message.key?.toString() ?? null,
              value: message.value?.toString() ?? null,
              headers: headersToStrings(message.headers),
            });
            if (done(messages)) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    out[k] = Array.isArray(v) ? v.map(String).join(",") : String(v ?? "");
  }
  return out;
}

/** scripts/kafka-local against the test cluster (kill N, start-node N, status). */
export function kafkaLocal(...args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["scripts/kafka-local", ...args], {
      stdio: ["ignore", "inherit", "inherit"],
      env: {
        ...process.env,
        OFERTAS_HOME: integrationEnv.kafkaHome,
        OFERTAS_KAFKA_PORT_BASE: integrationEnv.kafkaPortBase,
      },
    });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

/**
 * Starts node `n` again after a fault test killed it and leaves the cluster as the next test
 * expects it: three brokers, the leaders back on their preferred nodes (else Kafka moves them
 * itself within five minutes, in the middle of some later test).
 */
export async function restartNode(n: number): Promise<void> {
  assert.equal(await kafkaLocal("start-node", String(n)), 0, `node ${n} did not start`);
  await waitForBrokers(3);
  assert.equal(await kafkaLocal("balance"), 0, "leaders did not move back to their preferred nodes");
}

/** Waits until the cluster has `count` brokers (after a restart of one). */
export async function waitForBrokers(count: number, timeoutMs = 90_000): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        if ((await admin.describeCluster()).brokers.length >= count) return;
      } catch {
        // a broker is still coming up
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`cluster did not get back to ${count} brokers`);
  } finally {
    await admin.disconnect();
  }
}
