/**
 * Benchmark (not a test) of the batch consumer.
 *  1. In process: decode + validate + transform + stage (gzip NDJSON) + local load, in batches
 *     of 50,000 (the default OFERTAS_BATCH_MAX_RECORDS): offers/s and peak RSS.
 *  2. End to end on the local 3-broker cluster: fill a topic, start the consumer (local
 *     warehouse, 1 s interval) and time until every offer is loaded and committed; then the time
 *     from producing one offer to seeing it in the warehouse.
 *
 *   scripts/kafka-local start && bun run bench/consume/run.ts [sizes, default 10000,100000]
 */
import { CompressionTypes, Kafka, logLevel } from "kafkajs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { BatchConsumer } from "../../batch/batch-consumer.ts";
import { consumerSettingsFromEnv } from "../../batch/consumer-config.ts";
import { createConsumerMetrics } from "../../batch/consumer-metrics.ts";
import { DeadLetterSink } from "../../batch/dead-letters.ts";
import { DuckDbEngine } from "../../reports/query-engine.ts";
import { shapeOf, stageRows } from "../../batch/staging.ts";
import { KafkaBackend } from "../../batch/backend/kafka-backend.ts";
import { DAILY_OFFERS } from "../../shared/tables.ts";
import { type RawRecord, transform, transformRecord } from "../../batch/transform.ts";
import { LocalWarehouse } from "../../batch/warehouse/local-warehouse.ts";
import { toKafkaMessage } from "../../edge/offer-producer.ts";
import { kafkaConfigFromEnv } from "../../shared/kafka.ts";
import { type OfferMessage, toOfferMessage, validateScrapedOffer } from "../../shared/offer.ts";
import { sampleOffer } from "../../test/sample-offer.ts";

const sizes = (process.argv[2] ?? "10000,100000").split(",").map(Number);
const CHUNK = 50_000;
let sequence = 7_000_000_000;

function message(): OfferMessage {
  const parsed = validateScrapedOffer(sampleOffer({ item_id: `MLB${sequence++}`, position: (sequence % 48) + 1 }));
  if (!parsed.ok) throw new Error(parsed.errors.join());
  return toOfferMessage(parsed.value, {
    scrape_id: "bench-consume",
    scraped_at: new Date().toISOString(),
    source_url: "https://www.mercadolivre.com.br/ofertas",
  });
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const enc = new TextEncoder();

// 1. in process
for (const n of sizes) {
  const dir = mkdtempSync(join(tmpdir(), "ofertas-bench-"));
  const warehouse = new LocalWarehouse({ root: dir, keepStagedFiles: false });
  await warehouse.prepare();
  peakRss = process.memoryUsage().rss;
  let transformMs = 0;
  let loadMs = 0;
  for (let done = 0; done < n; done += CHUNK) {
    const size = Math.min(CHUNK, n - done);
    const records: RawRecord[] = Array.from({ length: size }, (_, i) => ({
      topic: "bench",
      partition: 0,
      offset: String(done + i),
      key: null,
      value: enc.encode(JSON.stringify(message())),
      headers: {},
    }));
    const t0 = performance.now();
    const { rows } = await transform(records, new Date().toISOString());
    const batch = await stageRows(dir, shapeOf(DAILY_OFFERS), rows);
    const t1 = performance.now();
    await warehouse.load(batch);
    const t2 = performance.now();
    transformMs += t1 - t0;
    loadMs += t2 - t1;
  }
  console.log(
    JSON.stringify({
      case: "in process",
      offers: n,
      transform_and_stage_offers_per_s: Math.round(n / (transformMs / 1000)),
      local_load_offers_per_s: Math.round(n / (loadMs / 1000)),
      total_offers_per_s: Math.round(n / ((transformMs + loadMs) / 1000)),
      peak_rss_mb: Math.round(peakRss / 1e6),
    }),
  );
  rmSync(dir, { recursive: true, force: true });
}

// 2. end to end
const config = { ...kafkaConfigFromEnv(process.env, "bench-consume"), logLevel: logLevel.NOTHING };
const kafka = new Kafka(config);
const admin = kafka.admin();
await admin.connect();
for (const n of sizes) {
  const topic = `bench.consume.${Date.now()}`;
  const dlq = `${topic}.dlq`;
  await admin.createTopics({
    waitForLeaders: true,
    topics: [topic, dlq].map((t) => ({
      topic: t,
      numPartitions: 6,
      replicationFactor: 3,
      configEntries: [{ name: "min.insync.replicas", value: "2" }],
    })),
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let done = 0; done < n; done += 5_000) {
    const batch = Array.from({ length: Math.min(5_000, n - done) }, () => toKafkaMessage(message()));
    await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages: batch });
  }

  const dir = mkdtempSync(join(tmpdir(), "ofertas-bench-e2e-"));
  const settings = consumerSettingsFromEnv({
    OFERTAS_BATCH_INTERVAL_MS: "1000",
    OFERTAS_LOCAL_DIR: dir,
    OFERTAS_TOPIC: topic,
    OFERTAS_DLQ_TOPIC: dlq,
    OFERTAS_CONSUMER_GROUP: `bench-${topic}`,
  });
  const metrics = createConsumerMetrics();
  const consumer = new BatchConsumer({
    backend: new KafkaBackend(kafka, { groupId: settings.groupId, topic, sessionTimeoutMs: 30_000 }),
    spoolRoot: dir,
    shape: shapeOf(DAILY_OFFERS),
    transform: transformRecord,
    settings,
    warehouse: new LocalWarehouse({ root: dir, keepStagedFiles: false }),
    deadLetters: new DeadLetterSink(config, dlq, settings.groupId),
    metrics,
  });
  peakRss = process.memoryUsage().rss;
  const started = performance.now();
  await consumer.start();
  while (metrics.rowsLoaded.get() < n) await new Promise((r) => setTimeout(r, 200));
  const engine = await DuckDbEngine.open(dir);
  const counted = Number((await engine.run("SELECT count(*)::INTEGER n FROM daily_offers"))[0]!.n);
  await engine.close();
  const seconds = (performance.now() - started) / 1000;

  // produce to queryable: one more offer, polled in the warehouse
  const marker = message();
  const sentAt = performance.now();
  await producer.send({ topic, acks: -1, messages: [toKafkaMessage(marker)] });
  let latencyMs = -1;
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      const db = await DuckDbEngine.open(dir);
      const found = await db.run(`SELECT 1 FROM daily_offers WHERE item_id = '${marker.item_id}'`);
      await db.close();
      if (found.length) {
        latencyMs = performance.now() - sentAt;
        break;
      }
    } catch {
      // the consumer holds the file while it loads
    }
  }
  await consumer.stop();
  await producer.disconnect();
  console.log(
    JSON.stringify({
      case: "end to end (Kafka → local warehouse, 1 s interval)",
      offers: n,
      rows_in_warehouse: counted,
      seconds: Number(seconds.toFixed(1)),
      offers_per_s: Math.round(n / seconds),
      produce_to_queryable_ms: Math.round(latencyMs),
      peak_rss_mb: Math.round(peakRss / 1e6),
    }),
  );
  await admin.deleteTopics({ topics: [topic, dlq] }).catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}
await admin.disconnect();
clearInterval(sampler);
