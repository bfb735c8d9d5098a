/**
 * Benchmark (not a test): offers/s and MB/s into the local 3-broker cluster (acks=all, RF 3,
 * min ISR 2, gzip) for batch sizes 1, 100 and 1000, through
 *   - OfferProducer (the route's producer: one partition per send, serialized), and
 *   - a plain kafkajs idempotent producer sending whole batches (what the workaround costs);
 * then end-to-end POST /offers requests/s against the route app served by Bun.
 *
 *   scripts/kafka-local start && bun run bench/produce/run.ts [seconds-per-case]
 */
import { CompressionTypes, Kafka, logLevel } from "kafkajs";
import process from "node:process";
import { createApp } from "../../edge/app.ts";
import { OfferProducer, toKafkaMessage } from "../../edge/offer-producer.ts";
import { createRouteMetrics } from "../../edge/route-metrics.ts";
import { kafkaConfigFromEnv } from "../../shared/kafka.ts";
import { type OfferMessage, toOfferMessage, validateScrapedOffer } from "../../shared/offer.ts";
import { serve } from "../../shared/serve.ts";
import { sampleOffer } from "../../test/sample-offer.ts";

const seconds = Number(process.argv[2] ?? 8);
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
await admin.disconnect();

let sequence = 0;
function offers(n: number): OfferMessage[] {
  return Array.from({ length: n }, () => {
    const parsed = validateScrapedOffer(sampleOffer({ item_id: `MLB${4_000_000_000 + sequence++}` }));
    if (!parsed.ok) throw new Error(parsed.errors.join());
    return toOfferMessage(parsed.value, {
      scrape_id: "bench-produce",
      scraped_at: new Date().toISOString(),
      source_url: "https://www.mercadolivre.com.br/ofertas",
    });
  });
}
const bytesOf = (batch: OfferMessage[]) => batch.reduce((n, m) => n + JSON.stringify(m).length, 0);

async function timed(name: string, batchSize: number, send: (batch: OfferMessage[]) => Promise<unknown>) {
  const batch0 = offers(batchSize);
  await send(batch0); // warm-up: connections, metadata
  let count = 0;
  let bytes = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    const batch = offers(batchSize);
    await send(batch);
    count += batch.length;
    bytes += bytesOf(batch);
  }
  const elapsed = (performance.now() - started) / 1000;
  console.log(
    JSON.stringify({
      case: name,
      batch_size: batchSize,
      offers_per_s: Math.round(count / elapsed),
      mb_per_s: Number((bytes / 1e6 / elapsed).toFixed(2)),
      sends_per_s: Number((count / batchSize / elapsed).toFixed(1)),
    }),
  );
}

const producer = new OfferProducer(config, { topic });
const plain = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
await plain.connect();
for (const size of [1, 100, 1000]) {
  await timed("OfferProducer", size, (batch) => producer.send(batch));
  await timed(
    "kafkajs whole batch",
    size,
    (batch) => plain.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages: batch.map(toKafkaMessage) }),
  );
}
await plain.disconnect();

// end to end: HTTP POST /offers → validation → produce, 8 concurrent clients, 10 offers per request
const app = createApp({
  config: { token: null, maxBodyBytes: 5 * 1024 * 1024, sites: ["MLB"], maxPages: 1 },
  producer,
  metrics: createRouteMetrics(),
  scrape: () => Promise.reject(new Error("not used")),
});
const server = serve(app.fetch, { port: 0, hostname: "127.0.0.1", maxRequestBodySize: 5 * 1024 * 1024 });
const url = `http://127.0.0.1:${server.port}/offers`;
let requests = 0;
let failures = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (performance.now() - started < seconds * 1000) {
      const body = JSON.stringify(
        Array.from({ length: 10 }, () => sampleOffer({ item_id: `MLB${5_000_000_000 + sequence++}` })),
      );
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
      await res.arrayBuffer();
      if (res.status === 200) requests++;
      else failures++;
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    case: "POST /offers end to end",
    concurrency: 8,
    offers_per_request: 10,
    requests_per_s: Number((requests / elapsed).toFixed(1)),
    offers_per_s: Math.round((requests * 10) / elapsed),
    failures,
  }),
);
await server.stop();
await producer.close();
