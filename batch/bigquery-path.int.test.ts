/**
 * The production path (GCS + BigQuery load jobs) keeps up, on the project's emulators: the
 * consumer daemon in BigQuery mode, with the item_days folds and the alerts feed on, reads a few
 * thousand offers (some scraped yesterday) while a broker is killed and restarted in the middle of
 * the loads. Every offer lands once, yesterday is folded into item_days and today is not, the
 * alerts feed's rows are there, the
 * committed offsets reach the end offsets, and the whole drains within DRAIN_BOUND_MS of the last
 * offer. And a stop during a load: SIGTERM ends the process within 10 s with nothing of that batch
 * committed; the next start loads it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { BigQuery } from "@google-cloud/bigquery";
import { Partitioners } from "kafkajs";
import {
  bigqueryCounts,
  bigqueryEnv,
  consumerEnv,
  createConsumerTopics,
  produceOffers,
  startConsumerProcess,
  uncommitted,
  waitFor,
} from "../test/consumer-helpers.ts";
import { emulatorAuth } from "../shared/gcp-emulator.ts";
import { integrationEnv } from "../test/integration-env.ts";
import { createTestTopic, kafkaLocal, restartNode, testKafka } from "../test/kafka-helpers.ts";
import { TOPICS } from "../shared/kafka.ts";
import { startFaultProxy } from "../test/fault-proxy.ts";

const OFFERS = 3_000;
const ALERT_RECORDS = 40;
/** From the broker's restart to every offer loaded and committed. */
const DRAIN_BOUND_MS = 180_000;
const uniqueName = (name: string) => `${name}_${Date.now()}_${Math.random().toString(36).slice(2, 6)}`;

async function count(dataset: string, table: string, column: string): Promise<number> {
  const bq = new BigQuery({
    projectId: integrationEnv.bigqueryProject,
    apiEndpoint: integrationEnv.bigqueryEndpoint,
    ...emulatorAuth(integrationEnv.bigqueryEndpoint),
  });
  const [rows] = await bq.query(
    `SELECT COUNT(*) AS n FROM \`${integrationEnv.bigqueryProject}.${dataset}.${table}\` WHERE ${column} >= DATE '2000-01-01'`,
  );
  return Number(rows[0].n);
}

/** Alert records as the alerter writes them (the consumer's third feed loads them into `alerts`). */
async function produceAlerts(topic: string, n: number): Promise<void> {
  const producer = testKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const now = new Date().toISOString();
    await producer.send({
      topic,
      messages: Array.from({ length: n }, (_, i) => {
        const id = (0xa1e000 + i).toString(16).padStart(24, "0");
        return {
          key: id,
          value: JSON.stringify({
            type: "alert",
            schema_version: 1,
            alert_id: id,
            rule_key: "global:below",
            kind: "below",
            watch_id: null,
            site: "MLB",
            item_id: `MLB${7_100_000_000 + i}`,
            offer_date: now.slice(0, 10),
            title: `Item ${i}`,
            currency: "BRL",
            url: null,
            price: "10.00",
            verdict: null,
            real_discount_pct: null,
            why: "cheap",
            channels: ["hook"],
            decided_at: now,
            source: "load:test",
          }),
        };
      }),
    });
  } finally {
    await producer.disconnect();
  }
}

test(
  "BigQuery path (emulators): thousands of offers with the fold and the alerts feed, a broker restarted during loads: every offer once, offsets at the end, drained in time",
  {
    timeout: 600_000,
  },
  async () => {
    const dataset = uniqueName("bq_path");
    const topics = await createConsumerTopics("bq-path");
    const feeds = {
      OFERTAS_LOADS_TOPIC: await createTestTopic("bq-loads", TOPICS.loads),
      OFERTAS_ALERTS_TOPIC: await createTestTopic("bq-alerts", TOPICS.alerts),
      OFERTAS_ALERTS_DLQ_TOPIC: await createTestTopic("bq-alerts-dlq", TOPICS.alertsDeadLetters),
    };
    const consumer = startConsumerProcess(consumerEnv(topics, {
      ...bigqueryEnv(dataset),
      ...feeds,
      OFERTAS_BATCH_INTERVAL_MS: "2000",
      OFERTAS_BATCH_MAX_RECORDS: "300",
      OFERTAS_CONSUMER_ALERTS: "true",
    }));
    let killed = false;
    try {
      await produceAlerts(feeds.OFERTAS_ALERTS_TOPIC, ALERT_RECORDS);
      // every offer first, then loads of 300 at a time: a broker is killed after the second load
      // and started again after the fifth, while the consumer loads
      // the first two rounds were scraped yesterday: the first load of today folds that day
      const produced: string[] = [];
      const yesterday = () => new Date(Date.now() - 86_400_000).toISOString();
      for (let round = 0; round < 10; round++) {
        const when = round < 2 ? yesterday : () => new Date().toISOString();
        const sent = await produceOffers(topics.topic, OFFERS / 10, `bq-path-${round}`, () => ({}), when);
        produced.push(...sent.map((m) => m.item_id));
      }
      const loads = () =>
        consumer.output().split("\n").filter((l) => /"event":"batch_loaded".*"table":"daily_offers"/.test(l)).length;
      await waitFor("two loads", async () => loads(), (n) => n >= 2, 120_000);
      assert.equal(await kafkaLocal("kill", "2"), 0);
      killed = true;
      await waitFor("three more loads", async () => loads(), (n) => n >= 5, 120_000).catch((error) => {
        throw new Error(`${(error as Error).message}\n${consumer.output().split("\n").slice(-30).join("\n")}`);
      });
      await restartNode(2);
      killed = false;
      const restarted = Date.now();
      await waitFor(
        "every offer loaded and committed",
        async () => ({
          rows: (await bigqueryCounts(dataset)).rows,
          left: await uncommitted(topics.topic, topics.group),
        }),
        (s) => s.rows === OFFERS && s.left === 0,
        DRAIN_BOUND_MS,
      );
      const drainedMs = Date.now() - restarted;
      const counts = await bigqueryCounts(dataset);
      assert.equal(counts.distinctKeys, OFFERS, "every offer once");
      assert.deepEqual([...counts.itemIds].sort(), produced.sort());
      assert.equal(
        await count(dataset, "item_days", "offer_date"),
        (OFFERS / 10) * 2,
        "yesterday folded (one item-day per offer's item), today open",
      );
      await waitFor(
        "the alerts feed loaded",
        () => count(dataset, "alerts", "event_date").catch(() => 0),
        (n) => n === ALERT_RECORDS,
        60_000,
      );
      const loaded = consumer.output().split("\n").filter((l) => l.includes('"event":"batch_loaded"')).length;
      console.log(`  drained ${drainedMs} ms after the broker came back; ${loaded} batches`);
      assert.ok(drainedMs <= DRAIN_BOUND_MS);
      assert.doesNotMatch(consumer.output(), /"event":"bigquery_job_running"/, "no job ran past its bound");
    } finally {
      if (killed) await restartNode(2);
      const exit = await consumer.stop();
      assert.equal(exit.code, 0, consumer.output().slice(-3000));
    }
  },
);

test(
  "BigQuery path (emulators): SIGTERM during a load ends the consumer within 10 s, nothing of the batch committed; the next start loads it",
  {
    timeout: 300_000,
  },
  async () => {
    const dataset = uniqueName("bq_stop");
    const topics = await createConsumerTopics("bq-stop");
    const bigquery = await startFaultProxy(integrationEnv.bigqueryEndpoint);
    try {
      const env = consumerEnv(topics, {
        ...bigqueryEnv(dataset, { bigquery: bigquery.url, gcs: integrationEnv.gcsEndpoint }),
        // the emulator's forms, as the consumer chooses them with the emulator itself
        OFERTAS_BQ_FORMS: "emulator",
      });
      const offers = await produceOffers(topics.topic, 200);
      const consumer = startConsumerProcess(env);
      // inside the load: once the load job was asked for, BigQuery stops answering
      await waitFor("a load job", async () => bigquery.paths.some((p) => /^POST .*\/jobs/.test(p)), (seen) => seen);
      bigquery.mode = "hang";
      await waitFor("the consumer waiting on BigQuery", async () => bigquery.counts.hang, (n) => n >= 1, 30_000);
      const signalled = Date.now();
      const exit = await consumer.stop();
      const stoppedMs = Date.now() - signalled;
      assert.equal(exit.code, 0, consumer.output().slice(-3000));
      assert.ok(stoppedMs < 10_000, `stopped in ${stoppedMs} ms`);
      assert.match(consumer.output(), /"event":"batch_abandoned"/);
      assert.equal(await uncommitted(topics.topic, topics.group), 200, "nothing of the batch committed");

      bigquery.mode = "pass";
      const next = startConsumerProcess(env);
      try {
        await waitFor(
          "the batch loaded by the next start",
          async () => ({
            rows: (await bigqueryCounts(dataset)).rows,
            left: await uncommitted(topics.topic, topics.group),
          }),
          (s) => s.rows === 200 && s.left === 0,
          120_000,
        );
        const counts = await bigqueryCounts(dataset);
        assert.equal(counts.distinctKeys, 200);
        assert.deepEqual([...counts.itemIds].sort(), offers.map((m) => m.item_id).sort());
      } finally {
        await next.stop();
      }
    } finally {
      bigquery.mode = "pass";
      await bigquery.close();
    }
  },
);
