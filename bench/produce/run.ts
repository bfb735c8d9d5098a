/**
 * Benchmark (not a test): offers/s into the local 3-broker cluster (acks=all, RF 3, min ISR 2,
 * gzip), in the same run:
 *  1. OfferProducer (one send in flight per partition, coalesced) next to a plain kafkajs
 *     idempotent producer sending whole batches, for batches of 1, 100 and 1000, and the ratio;
 *  2. `POST /offers` end to end: the route's real entry in a process of its own, 8 clients
 *     sending 100 offers per request (bodies built before the clock starts): offers/s, p50, p99.
 *
 *   scripts/kafka-local start && bun run bench/produce/run.ts [seconds-per-case, default 8]
 */
import { CompressionTypes, Kafka, logLevel, Partitioners } from "kafkajs";
import process from "node:process";
import { OfferProducer, toKafkaMessage } from "../../edge/offer-producer.ts";
import { kafkaConfigFromEnv } from "../../shared/kafka.ts";
import type { OfferMessage } from "../../shared/offer.ts";
import { realOfferMessages } from "../../test/real-offers.ts";
import { startRouteProcess } from "../../test/route-process.ts";

const seconds = Number(process.argv[2] ?? 8);
/** Concurrent POST /offers clients (the issue measures 8). */
const CLIENTS = Number(process.argv[3] ?? 8);
const config = { ...kafkaConfigFromEnv(process.env, "bench-produce"), logLevel: logLevel.NOTHING };
const kafka = new Kafka(config);
const topic = `bench.produce.${Date.now()}`;
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({
  waitForLeaders: true,
  topics: [{
    topic,
    numPartitions: 6,
    replicationFactor: 3,
    configEntries: [{ name: "min.insync.replicas", value: "2" }],
  }],
});

let nextId = 4_000_000_000;
const offers = (n: number): OfferMessage[] => {
  const batch = [...realOfferMessages(n, nextId, "bench-produce")];
  nextId += n;
  return batch;
};

async function timed(send: (batch: OfferMessage[]) => Promise<unknown>, batchSize: number): Promise<number> {
  await send(offers(batchSize)); // warm-up: connections, metadata
  const batches = Array.from({ length: Math.max(4, Math.ceil(20_000 / batchSize)) }, () => offers(batchSize));
  let count = 0;
  const started = performance.now();
  for (let i = 0; performance.now() - started < seconds * 1000; i++) {
    const batch = batches[i % batches.length]!;
    await send(batch);
    count += batch.length;
  }
  return count / ((performance.now() - started) / 1000);
}

const producer = new OfferProducer(config, { topic });
await producer.connect(); // as the route does at start (and `plain` below): its sessions are ready before the clock
const plain = kafka.producer({
  idempotent: true,
  maxInFlightRequests: 1,
  createPartitioner: Partitioners.DefaultPartitioner,
});
await plain.connect();
for (const size of [1, 100, 1000]) {
  const ours = await timed((batch) => producer.send(batch), size);
  const theirs = await timed(
    (batch) => plain.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages: batch.map(toKafkaMessage) }),
    size,
  );
  console.log(JSON.stringify({
    case: "OfferProducer vs plain kafkajs send()",
    batch_size: size,
    offer_producer_per_s: Math.round(ours),
    kafkajs_send_per_s: Math.round(theirs),
    ratio: Number((ours / theirs).toFixed(3)),
  }));
}
await plain.disconnect();
await producer.close();

// end to end: the route's own process, 8 clients × 100 offers per request
const route = await startRouteProcess("bun", {
  KAFKA_BROKERS: (config.brokers as string[]).join(","),
  OFERTAS_TOPIC: topic,
  KAFKA_LOG_LEVEL: "ERROR",
});
try {
  const bodies = Array.from(
    { length: 64 },
    () => JSON.stringify(offers(100).map(({ schema_version: _v, scrape_id: _s, scraped_at: _t, ...o }) => o)),
  );
  const post = (body: string, i: number) =>
    fetch(`${route.url}/offers`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-scrape-id": `bench-${i}-xxxx` },
      body,
    });
  await Promise.all(bodies.slice(0, 8).map((b, i) => post(b, i).then((r) => r.arrayBuffer()))); // warm-up
  const latencies: number[] = [];
  let produced = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async (_, client) => {
    for (let i = client; performance.now() - started < seconds * 1000; i += CLIENTS) {
      const t = performance.now();
      const res = await post(bodies[i % bodies.length]!, i);
      const answer = (await res.json()) as { produced?: number };
      latencies.push(performance.now() - t);
      if (res.status === 200) produced += answer.produced ?? 0;
      else failures++;
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!);
  console.log(JSON.stringify({
    case: `POST /offers end to end (route process, ${CLIENTS} clients x 100 offers)`,
    offers_per_s: Math.round(produced / elapsed),
    requests_per_s: Number((latencies.length / elapsed).toFixed(1)),
    p50_ms: pct(0.5),
    p99_ms: pct(0.99),
    failed_requests: failures,
  }));
} finally {
  await route.stop();
  await admin.deleteTopics({ topics: [topic] }).catch(() => {});
  await admin.disconnect();
}
