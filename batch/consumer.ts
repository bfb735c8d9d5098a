/**
 * The batch consumer daemon: `bun run batch/consumer.ts`.
 * Configuration from the environment (docs/configuration.md); the default loads into the local
 * warehouse (.ofertas/warehouse). SIGTERM/SIGINT stop reading, let the batch under way finish
 * (or abandon it uncommitted after 30 s) and exit.
 */
import { listenHost } from "../shared/listen-host.ts";
import { Kafka } from "kafkajs";
import process from "node:process";
import { kafkaConfigFromEnv } from "../shared/kafka.ts";
import { useSizedGunzip } from "../shared/kafka-gzip.ts";
import { PROMETHEUS_CONTENT_TYPE } from "../shared/metrics.ts";
import { Registry } from "../shared/metrics.ts";
import { ALERTS, DAILY_OFFERS, PRODUCT_DETAILS, STOCK_OBSERVATIONS, type TableSpec } from "../shared/tables.ts";
import { type RunningServer, serve } from "../shared/serve.ts";
import { runDaemon } from "../shared/shutdown.ts";
import { KafkaBackend } from "./backend/kafka-backend.ts";
import { BatchConsumer, type BatchConsumerDeps } from "./batch-consumer.ts";
import { transformRecord as transformDetails } from "./details-transform.ts";
import { transformRecord as transformAlerts } from "./alerts-transform.ts";
import { transformRecord as transformStock } from "./stock-transform.ts";
import { CONSUMER_SETTINGS, consumerSettingsFromEnv } from "./consumer-config.ts";
import { runWithinMemoryBudget } from "./runtime/memory-budget.ts";
import { createConsumerMetrics } from "./consumer-metrics.ts";
import { DeadLetterSink } from "./dead-letters.ts";
import { KafkaLoadAnnouncer, type LoadAnnouncer } from "./load-announcer.ts";
import { type RowShape, shapeOf } from "./staging.ts";
import { inThreadLane, WorkerLanes } from "./runtime/staging-lane.ts";
import { BigQueryWarehouse } from "./warehouse/bigquery-warehouse.ts";
import { LocalWarehouse } from "./warehouse/local-warehouse.ts";
import type { Warehouse } from "./warehouse/warehouse.ts";

/**
 * One feed of the daemon: a topic loaded into its table by its own BatchConsumer (consumer
 * group, dead-letter topic, metrics prefix). The offers are transformed on a worker's core;
 * the details feed is small and stays in this thread.
 */
interface Feed {
  name: string;
  consumer: BatchConsumer;
  close(): void;
}

export async function startConsumer(
  env: Record<string, string | undefined> = process.env,
  onFatal: (error: Error) => void = () => {},
) {
  const settings = consumerSettingsFromEnv(env);
  const kafkaConfig = kafkaConfigFromEnv(env, "ofertas-batch-consumer");
  useSizedGunzip();
  // one warehouse for both feeds: the local DuckDB file has one writer at a time
  const warehouse: Warehouse = settings.warehouse.kind === "local"
    ? new LocalWarehouse(settings.warehouse.local)
    : new BigQueryWarehouse(settings.warehouse.bigquery);
  const registry = new Registry();
  // gzip only pays on the way to GCS
  const compress = settings.warehouse.kind === "bigquery";

  const feedOf = (
    name: string,
    table: TableSpec,
    kafka: { groupId: string; topic: string; deadLetterTopic: string },
    metricsPrefix: string,
    lane: (shape: RowShape) => { open: BatchConsumerDeps["openLane"]; close(): void },
    announcer?: LoadAnnouncer,
  ): Feed => {
    const shape = { ...shapeOf(table), compress };
    const lanes = lane(shape);
    return {
      name,
      close: lanes.close,
      consumer: new BatchConsumer({
        backend: new KafkaBackend(new Kafka(kafkaConfig), {
          groupId: kafka.groupId,
          topic: kafka.topic,
          sessionTimeoutMs: settings.sessionTimeoutMs,
        }),
        settings: { ...settings, groupId: kafka.groupId },
        warehouse,
        deadLetters: new DeadLetterSink(kafkaConfig, kafka.deadLetterTopic, kafka.groupId),
        metrics: createConsumerMetrics(registry, metricsPrefix),
        spoolRoot: settings.spoolRoot,
        shape,
        openLane: lanes.open,
        onFatal,
        announcer,
      }),
    };
  };

  const feeds: Feed[] = [
    feedOf("offers", DAILY_OFFERS, settings, "ofertas", (shape) => {
      // the transform and the staged files are written on a worker's core while this thread reads Kafka
      const lanes = new WorkerLanes(new URL("./transform.ts", import.meta.url).href);
      return {
        open: (ingestedAt, onDead) => lanes.open(settings.spoolRoot, shape, ingestedAt, onDead),
        close: () => lanes.close(),
      };
    }, new KafkaLoadAnnouncer(kafkaConfig, settings.loadsTopic)),
  ];
  if (settings.details) {
    feeds.push(feedOf("details", PRODUCT_DETAILS, settings.details, "ofertas_details", (shape) => ({
      open: (ingestedAt, onDead) => inThreadLane(settings.spoolRoot, shape, transformDetails, ingestedAt, onDead),
      close: () => {},
    })));
  }
  if (settings.stock) {
    // announced like the offers: the alerter judges the stock rules on these loads
    feeds.push(feedOf("stock", STOCK_OBSERVATIONS, settings.stock, "ofertas_stock", (shape) => ({
      open: (ingestedAt, onDead) => inThreadLane(settings.spoolRoot, shape, transformStock, ingestedAt, onDead),
      close: () => {},
    }), new KafkaLoadAnnouncer(kafkaConfig, settings.loadsTopic)));
  }
  if (settings.alerts) {
    feeds.push(feedOf("alerts", ALERTS, settings.alerts, "ofertas_alerts", (shape) => ({
      open: (ingestedAt, onDead) => inThreadLane(settings.spoolRoot, shape, transformAlerts, ingestedAt, onDead),
      close: () => {},
    })));
  }
  const consumer = feeds[0]!.consumer;
  const metrics = { registry };

  let metricsServer: RunningServer | null = null;
  if (settings.metricsPort !== null) {
    metricsServer = serve(
      (request) => {
        const path = new URL(request.url).pathname;
        if (path === "/metrics") {
          return new Response(metrics.registry.render(), { headers: { "content-type": PROMETHEUS_CONTENT_TYPE } });
        }
        if (path === "/healthz") return Response.json({ status: "ok" });
        return new Response("not found", { status: 404 });
      },
      { port: settings.metricsPort, hostname: listenHost(env), maxRequestBodySize: 1024 },
    );
  }
  const started: Feed[] = [];
  try {
    for (const feed of feeds) {
      await feed.consumer.start();
      started.push(feed);
    }
  } catch (error) {
    // what no retry fixes (the warehouse's setup, refused credentials): the start ends here
    for (const feed of started) await feed.consumer.stop();
    for (const feed of feeds) feed.close();
    await metricsServer?.stop();
    if ((error as Error).name.startsWith("KafkaJS")) {
      throw new Error(
        `Kafka at KAFKA_BROKERS=${kafkaConfig.brokers} refused the consumer: ${(error as Error).message}`,
      );
    }
    throw error;
  }
  return {
    consumer,
    feeds,
    metricsPort: metricsServer?.port ?? null,
    stop: async () => {
      await Promise.all(feeds.map((feed) => feed.consumer.stop()));
      for (const feed of feeds) feed.close();
      await metricsServer?.stop();
    },
  };
}

// a batch that could not be loaded for a reason no retry covers, or a reader kafkajs gave up on:
// consumer_failed, a stop and exit 1 (runDaemon); a restart reads the batch again
if (import.meta.main && !runWithinMemoryBudget(CONSUMER_SETTINGS.settings.memoryMb.read(process.env))) {
  await runDaemon("consumer", (fail) => startConsumer(process.env, fail));
}
