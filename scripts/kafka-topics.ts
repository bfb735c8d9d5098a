/**
 * Creates the project's topics (shared/kafka.ts) and waits until the cluster acknowledges
 * an acks=all write: `bun run scripts/kafka-topics.ts ensure`. Idempotent. Also used by the
 * compose topic-init service.
 */
import { Kafka, Partitioners } from "kafkajs";
import process from "node:process";
import { kafkaConfigFromEnv, TOPICS, type TopicSpec } from "../shared/kafka.ts";
import { retry } from "../shared/retry.ts";
import { logRuntimeWarnings } from "../shared/runtime-warnings.ts";

const TIMEOUT_MS = Number(process.env.KAFKA_READY_TIMEOUT_MS ?? 180_000);
const EXPECTED_BROKERS = Number(process.env.KAFKA_EXPECTED_BROKERS ?? 3);

/** Retries `attempt` every second until it succeeds or the deadline passes (brokers are starting). */
async function retryUntil<T>(what: string, deadline: number, attempt: () => Promise<T>): Promise<T> {
  try {
    return await retry(attempt, {
      attempts: Infinity,
      backoff: { baseMs: 1000, maxMs: 1000, jitter: "none" },
      retryable: () => Date.now() < deadline,
    });
  } catch (error) {
    throw new Error(`${what}: gave up after ${TIMEOUT_MS / 1000} s: ${(error as Error)?.message ?? error}`);
  }
}

export async function ensureTopics(): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  const kafka = new Kafka({ ...kafkaConfigFromEnv(process.env, "ofertas-topics"), retry: { retries: 2 } });
  const admin = kafka.admin();
  await retryUntil("connect", deadline, () => admin.connect());
  try {
    await retryUntil(`wait for ${EXPECTED_BROKERS} brokers`, deadline, async () => {
      const { brokers } = await admin.describeCluster();
      if (brokers.length < EXPECTED_BROKERS) throw new Error(`${brokers.length} of ${EXPECTED_BROKERS} brokers up`);
    });
    const specs: TopicSpec[] = Object.values(TOPICS);
    await retryUntil("create topics", deadline, async () => {
      const existing = new Set(await admin.listTopics());
      const missing = specs.filter((t) => !existing.has(t.name));
      if (missing.length) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((t) => ({
            topic: t.name,
            numPartitions: t.partitions,
            replicationFactor: t.replicationFactor,
            configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
          })),
        });
      }
      const metadata = await admin.fetchTopicMetadata({ topics: specs.map((t) => t.name) });
      for (const spec of specs) {
        const topic = metadata.topics.find((t) => t.name === spec.name);
        if (!topic) throw new Error(`topic ${spec.name} missing after create`);
        if (topic.partitions.length !== spec.partitions) {
          throw new Error(
            `topic ${spec.name} has ${topic.partitions.length} partitions, the project expects ${spec.partitions}`,
          );
        }
        if (topic.partitions.some((p) => p.leader < 0)) {
          throw new Error(`topic ${spec.name} has partitions without a leader`);
        }
      }
    });
  } finally {
    await admin.disconnect();
  }

  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await retryUntil("probe produce (acks=all)", deadline, async () => {
    await producer.connect();
    await producer.send({ topic: TOPICS.probe.name, acks: -1, messages: [{ value: new Date().toISOString() }] });
  });
  await producer.disconnect();
}

if (import.meta.main) {
  if (process.argv[2] !== "ensure") {
    console.error("usage: scripts/kafka-topics.ts ensure");
    process.exit(2);
  }
  logRuntimeWarnings();
  const started = Date.now();
  await ensureTopics();
  console.error(`[kafka-topics] topics ready, acks=all write acknowledged (${Date.now() - started} ms)`);
}
