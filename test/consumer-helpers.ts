/** Integration-test helpers for the batch consumer: offers in, rows and offsets out. */
import { type DaemonProcess, startDaemon } from "./daemon-process.ts";
import { BigQuery } from "@google-cloud/bigquery";
import { DuckDBInstance } from "@duckdb/node-api";
import { join } from "node:path";
import { OfferProducer } from "../edge/offer-producer.ts";
import { LOCAL_DATABASE_FILE } from "../shared/warehouse-settings.ts";
import { kafkaConfigFromEnv, TOPICS } from "../shared/kafka.ts";
import { validateScrapedOffer } from "../shared/contract/scraped-offer.ts";
import { type OfferMessage, toOfferMessage } from "../shared/offer.ts";
import { sampleOffer } from "./sample-offer.ts";
import { integrationEnv } from "./integration-env.ts";
import { createTestTopic, testKafka } from "./kafka-helpers.ts";

export interface TestTopics {
  topic: string;
  dlq: string;
  group: string;
}

export async function createConsumerTopics(name: string): Promise<TestTopics> {
  const [topic, dlq] = await Promise.all([createTestTopic(name), createTestTopic(`${name}-dlq`, TOPICS.deadLetters)]);
  return { topic, dlq, group: `test-${name}-${Date.now()}` };
}

let itemSequence = 6_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1000;

/** Produces `n` distinct valid offers (one scrape) and returns their messages. */
export async function produceOffers(
  topic: string,
  n: number,
  scrapeId = `t-${Date.now()}`,
  overrides: (i: number) => Record<string, unknown> = () => ({}),
  scrapedAt = () => new Date().toISOString(),
): Promise<OfferMessage[]> {
  const producer = new OfferProducer(
    kafkaConfigFromEnv({ KAFKA_BROKERS: integrationEnv.kafkaBrokers }, "test-offers"),
    { topic },
  );
  const messages = Array.from({ length: n }, (_, i) => {
    const parsed = validateScrapedOffer(
      sampleOffer({ item_id: `MLB${itemSequence++}`, position: (i % 48) + 1, ...overrides(i) }),
    );
    if (!parsed.ok) throw new Error(parsed.errors.join());
    return toOfferMessage(parsed.value, {
      scrape_id: scrapeId,
      scraped_at: scrapedAt(),
      source_url: "https://www.mercadolivre.com.br/ofertas",
    });
  });
  try {
    await producer.send(messages);
  } finally {
    await producer.close();
  }
  return messages;
}

/** Sends raw bytes (poison) with a plain producer. */
export async function produceRaw(topic: string, values: Array<string | Buffer>): Promise<void> {
  const producer = testKafka().producer();
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: values.map((value, i) => ({
        key: `poison-${i}`,
        value,
        headers: { "content-type": "application/json" },
      })),
    });
  } finally {
    await producer.disconnect();
  }
}

/** Sum over partitions of (end offset − committed offset) for the group; unset counts from 0. */
export async function uncommitted(topic: string, group: string): Promise<number> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const [ends, offsets] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId: group, topics: [topic] }),
    ]);
    const committed = new Map(offsets[0]!.partitions.map((p) => [p.partition, Number(p.offset)]));
    return ends.reduce((sum, e) => sum + Number(e.high) - Math.max(0, committed.get(e.partition) ?? 0), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Runs statements on a local warehouse's DuckDB file (set-up of a test). */
export async function withLocalDatabase(root: string, work: (run: (sql: string) => Promise<void>) => Promise<void>) {
  const instance = await DuckDBInstance.create(join(root, LOCAL_DATABASE_FILE));
  const connection = await instance.connect();
  try {
    await work(async (sql) => void (await connection.run(sql)));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export interface WarehouseCounts {
  rows: number;
  distinctKeys: number;
  itemIds: Set<string>;
}

export async function localCounts(root: string): Promise<WarehouseCounts> {
  for (let attempt = 0;; attempt++) {
    try {
      const instance = await DuckDBInstance.create(join(root, LOCAL_DATABASE_FILE), { access_mode: "READ_ONLY" });
      const connection = await instance.connect();
      try {
        const rows = (await connection.runAndReadAll("SELECT offer_key, item_id FROM daily_offers"))
          .getRowObjectsJson() as Array<{ offer_key: string; item_id: string }>;
        return {
          rows: rows.length,
          distinctKeys: new Set(rows.map((r) => r.offer_key)).size,
          itemIds: new Set(rows.map((r) => r.item_id)),
        };
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
    } catch (error) {
      // the consumer holds the file while it loads, and the table may not exist yet
      if (attempt > 50) throw error;
      if (/does not exist|No such file/.test((error as Error).message)) {
        return { rows: 0, distinctKeys: 0, itemIds: new Set() };
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export async function bigqueryCounts(dataset: string): Promise<WarehouseCounts> {
  const bq = new BigQuery({ projectId: integrationEnv.bigqueryProject, apiEndpoint: integrationEnv.bigqueryEndpoint });
  try {
    const [rows] = await bq.query({
      query:
        `SELECT offer_key, item_id FROM \`${integrationEnv.bigqueryProject}.${dataset}.daily_offers\` WHERE offer_date >= DATE '2000-01-01'`,
    });
    return {
      rows: rows.length,
      distinctKeys: new Set(rows.map((r: { offer_key: string }) => r.offer_key)).size,
      itemIds: new Set(rows.map((r: { item_id: string }) => r.item_id)),
    };
  } catch (error) {
    if ((error as { code?: number }).code === 404) return { rows: 0, distinctKeys: 0, itemIds: new Set() };
    throw error;
  }
}

/** Polls `probe` until `done`; a probe that throws (a coordinator still loading) is polled again. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: { value: T } | { error: unknown } | null = null;
  for (;;) {
    try {
      const value = await probe();
      if (done(value)) return value;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (Date.now() > deadline) {
      const detail = "error" in last
        ? `error: ${(last.error as Error)?.message}`
        : JSON.stringify(last.value, (_k, v) => (v instanceof Set ? v.size : v));
      throw new Error(`timed out waiting for ${what}; last: ${detail}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

export type ConsumerProcess = DaemonProcess;

/** `bun run batch/consumer.ts` as a child process, like the daemon runs. */
export function startConsumerProcess(env: Record<string, string>): ConsumerProcess {
  return startDaemon("batch/consumer.ts", { KAFKA_BROKERS: integrationEnv.kafkaBrokers, ...env });
}

export function consumerEnv(topics: TestTopics, extra: Record<string, string>): Record<string, string> {
  return {
    OFERTAS_TOPIC: topics.topic,
    OFERTAS_DLQ_TOPIC: topics.dlq,
    OFERTAS_CONSUMER_GROUP: topics.group,
    OFERTAS_BATCH_INTERVAL_MS: "1500",
    OFERTAS_RETRY_BASE_MS: "200",
    OFERTAS_RETRY_MAX_MS: "2000",
    OFERTAS_KAFKA_SESSION_TIMEOUT_MS: "8000",
    // the details feed has tests of its own (enrich/enrichment.int.test.ts), with its own topics
    OFERTAS_CONSUMER_DETAILS: "false",
    // the alerts feed too (edge/../alert tests enable it on topics of their own)
    OFERTAS_CONSUMER_ALERTS: "false",
    // and the stock feed (alert/products.int.test.ts enables it on a topic of its own)
    OFERTAS_CONSUMER_STOCK: "false",
    ...extra,
  };
}

/** Environment for the BigQuery warehouse on the emulators, in a dataset of its own. */
export function bigqueryEnv(dataset: string, endpoints?: { bigquery: string; gcs: string }): Record<string, string> {
  return {
    OFERTAS_WAREHOUSE: "bigquery",
    OFERTAS_BQ_PROJECT: integrationEnv.bigqueryProject,
    OFERTAS_BQ_DATASET: dataset,
    OFERTAS_GCS_BUCKET: `stage-${dataset.replace(/_/g, "-")}`,
    OFERTAS_BQ_ENDPOINT: endpoints?.bigquery ?? integrationEnv.bigqueryEndpoint,
    OFERTAS_GCS_ENDPOINT: endpoints?.gcs ?? integrationEnv.gcsEndpoint,
    OFERTAS_BQ_POLL_INTERVAL_MS: "100",
    OFERTAS_ALLOW_SHORT_INTERVAL: "true",
  };
}
