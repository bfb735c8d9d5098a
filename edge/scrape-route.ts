/**
 * The scrape route, as a daemon: `bun run edge/scrape-route.ts` (or
 * `deno run --allow-net --allow-env --allow-read --allow-sys edge/scrape-route.ts`).
 * Configuration comes from the environment (docs/configuration.md). SIGTERM/SIGINT stop
 * accepting requests, let those under way finish and flush the producer, then exit.
 */
import process from "node:process";
import { kafkaConfigFromEnv } from "../shared/kafka.ts";
import { log } from "../shared/log.ts";
import { serve } from "../shared/serve.ts";
import { runDaemon } from "../shared/shutdown.ts";
import { KAFKA_SETTINGS } from "../shared/kafka.ts";
import { KafkaKeyedLog } from "../shared/keyed-log.ts";
import { untilKafkaAnswers } from "../shared/kafka-start.ts";
import { createApp } from "./app.ts";
import { driftSettingsFromEnv } from "./drift-config.ts";
import { DriftMonitor } from "./drift-monitor.ts";
import { OfferProducer } from "./offer-producer.ts";
import { StockProducer } from "./stock-producer.ts";
import { routeSettingsFromEnv } from "./route-config.ts";
import { createRouteMetrics } from "./route-metrics.ts";
import { PoliteFetcher } from "./scraper/polite-fetch.ts";
import { type ScrapeRequest, scrapeView } from "./scraper/scrape-view.ts";
import { WorkerPageParser } from "./scraper/page-parser.ts";
import { DriftDetector } from "./scraper/drift.ts";
import { ScrapeService } from "./scrape-service.ts";
import { startWatches } from "./watches/start-watches.ts";

/** How long a stop waits for the scrapes under way. */
const STOP_GRACE_MS = 30_000;

export async function startScrapeRoute(env: Record<string, string | undefined> = process.env) {
  const settings = routeSettingsFromEnv(env);
  const producer = new OfferProducer(kafkaConfigFromEnv(env, "ofertas-scrape-route"), {
    sendTimeoutMs: settings.sendTimeoutMs,
    topic: settings.topic,
  });
  // what item and product pages say of the stock (out_of_stock and back_in_stock judge it)
  const stock = new StockProducer(kafkaConfigFromEnv(env, "ofertas-scrape-route-stock"), {
    sendTimeoutMs: settings.sendTimeoutMs,
    topic: KAFKA_SETTINGS.settings.stockTopic.read(env),
  });
  const fetcher = new PoliteFetcher({ minIntervalMs: settings.minIntervalMs, maxBytes: settings.maxPageBytes });
  // pages are parsed off the event loop, one at a time, each within a time limit
  const parser = new WorkerPageParser(settings.parseTimeoutMs);
  const metrics = createRouteMetrics();
  // each page's coverage against its baseline, kept on a topic of its own (read in the background)
  const driftTopic = KAFKA_SETTINGS.settings.scraperDriftTopic.read(env);
  const driftLog = new KafkaKeyedLog(
    { ...kafkaConfigFromEnv(env, "ofertas-drift"), retry: { retries: 3 } },
    [driftTopic],
    "drift",
  );
  const drift = new DriftMonitor(new DriftDetector(driftSettingsFromEnv(env)), metrics, {
    log: driftLog,
    topic: driftTopic,
  });
  drift.start().catch((error) => log("error", "drift_not_loaded", { message: (error as Error).message }));
  const scrape = (request: ScrapeRequest) =>
    scrapeView(request, { fetcher, baseUrl: settings.baseUrl, parser, maxCards: settings.maxCardsPerPage });
  const service = new ScrapeService({
    producer,
    metrics,
    scrape,
    maxConcurrent: settings.maxConcurrentScrapes,
    maxQueued: settings.maxQueuedScrapes,
    drift,
    stock,
  });
  const watches = startWatches(env, settings, service);
  const app = createApp({ config: settings, producer, metrics, service, scrape, watches, drift });
  // connect early so the first request does not pay for it; an outage is waited out quietly
  // (it shows in /readyz meanwhile, and a send connects again on its own)
  let stopped = false;
  untilKafkaAnswers(() => producer.connect(), { daemon: "route", what: "producer", stopped: () => stopped })
    .catch(() => {});
  untilKafkaAnswers(() => stock.connect(), { daemon: "route", what: "stock producer", stopped: () => stopped })
    .catch(() => {});
  const server = serve(app.fetch, {
    port: settings.port,
    hostname: settings.hostname,
    maxRequestBodySize: settings.maxBodyBytes,
  });
  log("info", "listening", {
    url: `http://${settings.hostname}:${server.port}`,
    topic: settings.topic,
    auth: settings.token ? "bearer" : "none",
    sites: settings.sites,
  });
  if (!settings.token && settings.hostname !== "127.0.0.1") {
    log("warn", "no_token", { message: "OFERTAS_TOKEN is not set: write routes are open" });
  }

  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= (async () => {
    stopped = true;
    log("info", "stopping");
    watches.stopTicking();
    await server.stop();
    // the watches' runs under way finish and are recorded (bounded: a stop never hangs)
    await Promise.race([service.queue.drained(), new Promise((r) => setTimeout(r, STOP_GRACE_MS))]);
    await watches.store.close();
    await drift.flush();
    await driftLog.close();
    await producer.close();
    await stock.close();
    parser.close();
    log("info", "stopped");
  })());
  return { port: server.port, stop };
}

if (import.meta.main) await runDaemon("route", () => startScrapeRoute());
