/**
 * The scraper's drift told to the operator: a drift the route keeps on the drift topic reaches
 * the alerter's channels once, as an operator alert, however many checks see it.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { Kafka } from "kafkajs";
import { kafkaConfigFromEnv, TOPICS } from "../shared/kafka.ts";
import { type RunningServer, serve } from "../shared/serve.ts";
import { createConsumerTopics, waitFor } from "../test/consumer-helpers.ts";
import { startDaemon } from "../test/daemon-process.ts";
import { integrationEnv } from "../test/integration-env.ts";
import { createTestTopic } from "../test/kafka-helpers.ts";
import { freePort } from "../test/route-process.ts";

let hook: RunningServer;
const received: Array<{ kind: string; why: string }> = [];
const root = mkdtempSync(`${tmpdir()}/operator-drift-`);

before(() => {
  hook = serve(async (request) => {
    const body = JSON.parse(await request.text()) as { alerts: Array<{ kind: string; why: string }> };
    received.push(...body.alerts);
    return new Response(null, { status: 204 });
  }, { port: 0, hostname: "127.0.0.1", maxRequestBodySize: 1 << 20 });
});
after(async () => {
  await hook?.stop();
  rmSync(root, { recursive: true, force: true });
});

const snapshot = (drifting: boolean) =>
  JSON.stringify({
    site: "MLB",
    view: "all",
    baseline: [{ pages: 1, statePages: 1, cards: 48, present: { rating: 48 } }],
    drifting: drifting
      ? [{ site: "MLB", view: "all", field: "rating", baseline: 1, now: 0, since: new Date().toISOString() }]
      : [],
    at: new Date().toISOString(),
  });

test(
  "operator alerts: a scraper drift reaches the channels once, not once per check",
  { timeout: 120_000 },
  async () => {
    const offers = await createConsumerTopics("op-drift");
    const env = {
      KAFKA_BROKERS: integrationEnv.kafkaBrokers,
      OFERTAS_TOPIC: offers.topic,
      OFERTAS_WATCHES_TOPIC: await createTestTopic("op-watches", TOPICS.watches),
      OFERTAS_WATCH_RUNS_TOPIC: await createTestTopic("op-runs", TOPICS.watchRuns),
      OFERTAS_LOADS_TOPIC: await createTestTopic("op-loads", TOPICS.loads),
      OFERTAS_ALERTS_TOPIC: await createTestTopic("op-alerts", TOPICS.alerts),
      OFERTAS_ALERT_STATE_TOPIC: await createTestTopic("op-state", TOPICS.alertState),
      OFERTAS_SCRAPER_DRIFT_TOPIC: await createTestTopic("op-drift", TOPICS.scraperDrift),
      OFERTAS_LOCAL_DIR: root,
      OFERTAS_ALERTER_GROUP: `op-alerter-${Date.now()}`,
      OFERTAS_CONSUMER_GROUP: offers.group,
      OFERTAS_ALERT_CHANNELS: JSON.stringify({ ops: `json://127.0.0.1:${hook.port}/ops` }),
      OFERTAS_ALERT_ALLOW_LOOPBACK: "true",
      OFERTAS_ALERT_CHECK_EVERY: "1s",
      OFERTAS_ALERTER_PORT: String(await freePort()),
    };
    const kafka = new Kafka(kafkaConfigFromEnv(env, "test-drift-writer"));
    const producer = kafka.producer();
    await producer.connect();
    const alerter = startDaemon("alert/alerter.ts", env);
    try {
      await producer.send({
        topic: env.OFERTAS_SCRAPER_DRIFT_TOPIC,
        acks: -1,
        messages: [{ key: "MLB/all", value: snapshot(true) }],
      });
      const [alert] = await waitFor(
        "the drift's operator alert",
        () => Promise.resolve(received.filter((a) => a.kind === "scraper_drift")),
        (alerts) => alerts.length >= 1,
        60_000,
      );
      assert.match(alert!.why, /stopped finding rating on MLB all pages: 0% now, 100% usually/);
      // several checks later (1 s apart), still the one alert
      await new Promise((r) => setTimeout(r, 4_000));
      assert.equal(received.filter((a) => a.kind === "scraper_drift").length, 1, alerter.output().slice(-2000));
    } finally {
      await producer.disconnect();
      await alerter.stop();
    }
  },
);
