/**
 * The batch consumer daemon: `bun run batch/consumer.ts`.
 * Configuration from the environment (docs/configuration.md); the default loads into the local
 * warehouse (.ofertas/warehouse). SIGTERM/SIGINT stop reading, let the batch under way finish
 * (or abandon it uncommitted after 30 s) and exit.
 */
import { Kafka } from "kafkajs";
import process from "node:process";
import { kafkaConfigFromEnv } from "../shared/kafka.ts";
import { log } from "../shared/log.ts";
import { PROMETHEUS_CONTENT_TYPE } from "../shared/metrics.ts";
import { DAILY_OFFERS } from "../shared/tables.ts";
import { type RunningServer, serve } from "../shared/serve.ts";
import { stopOnSignals } from "../shared/shutdown.ts";
import { KafkaBackend } from "./backend/kafka-backend.ts";
import { BatchConsumer } from "./batch-consumer.ts";
import { CONSUMER_SETTINGS, consumerSettingsFromEnv } from "./consumer-config.ts";
import { runWithinMemoryBudget } from "./memory-budget.ts";
import { createConsumerMetrics } from "./consumer-metrics.ts";
import { DeadLetterSink } from "./dead-letters.ts";
import { shapeOf } from "./staging.ts";
import { WorkerLanes } from "./staging-lane.ts";
import { BigQueryWarehouse } from "./warehouse/bigquery-warehouse.ts";
import { LocalWarehouse } from "./warehouse/local-warehouse.ts";
import type { Warehouse } from "./warehouse/warehouse.ts";

export async function startConsumer(
  env: Record<string, string | undefined> = process.env,
  onFatal: (error: Error) => void = () => {},
) {
  const settings = consumerSettingsFromEnv(env);
  const kafkaConfig = kafkaConfigFromEnv(env, "ofertas-batch-consumer");
  const warehouse: Warehouse = settings.warehouse.kind === "local"
    ? new LocalWarehouse(settings.warehouse.local)
    : new BigQueryWarehouse(settings.warehouse.bigquery);
  const metrics = createConsumerMetrics();
  // gzip only pays on the way to GCS
  const shape = { ...shapeOf(DAILY_OFFERS), compress: settings.warehouse.kind === "bigquery" };
  const lanes = new WorkerLanes(new URL("./transform.ts", import.meta.url).href);
  const consumer = new BatchConsumer({
    backend: new KafkaBackend(new Kafka(kafkaConfig), {
      groupId: settings.groupId,
      topic: settings.topic,
      sessionTimeoutMs: settings.sessionTimeoutMs,
    }),
    settings,
    warehouse,
    deadLetters: new DeadLetterSink(kafkaConfig, settings.deadLetterTopic, settings.groupId),
    metrics,
    spoolRoot: settings.spoolRoot,
    shape,
    // the transform and the staged files are written on a worker's core while this thread reads Kafka
    openLane: (ingestedAt, onDead) => lanes.open(settings.spoolRoot, shape, ingestedAt, onDead),
    onFatal,
  });

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
      { port: settings.metricsPort, hostname: env.OFERTAS_HOST ?? "127.0.0.1", maxRequestBodySize: 1024 },
    );
  }
  try {
    await consumer.start();
  } catch (error) {
    await metricsServer?.stop();
    const message = (error as Error).message;
    if ((error as Error).name.startsWith("KafkaJS")) {
      throw new Error(`cannot reach Kafka at KAFKA_BROKERS=${kafkaConfig.brokers}: ${message}`);
    }
    throw error;
  }
  return {
    consumer,
    metricsPort: metricsServer?.port ?? null,
    stop: async () => {
      await consumer.stop();
      lanes.close();
      await metricsServer?.stop();
    },
  };
}

if (import.meta.main && !runWithinMemoryBudget(CONSUMER_SETTINGS.settings.memoryMb.read(process.env))) {
  let running: Awaited<ReturnType<typeof startConsumer>>;
  try {
    running = await startConsumer(process.env, () => {
      // a batch could not be loaded for a reason no retry covers: exit, a restart reads it again
      void running.stop().finally(() => process.exit(1));
    });
  } catch (error) {
    log("error", "consumer_start_failed", { message: (error as Error).message });
    process.exit(2);
  }
  stopOnSignals(running.stop);
}
