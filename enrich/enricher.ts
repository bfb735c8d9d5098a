/**
 * The enricher daemon: `bun run enrich/enricher.ts`. Reads the offers topic in its own consumer
 * group (from where the group left off; a new group starts at the end: history is not
 * enriched), details items with OfferEnricher, produces to the product-details topic, which the
 * batch consumer loads into `product_details`. Settings: docs/configuration.md, "Enricher".
 */
import { listenHost } from "../shared/listen-host.ts";
import { untilKafkaAnswers } from "../shared/kafka-start.ts";
import { Kafka } from "kafkajs";
import process from "node:process";
import { siteRedirects } from "../edge/scraper/scrape-view.ts";
import { PoliteFetcher } from "../edge/scraper/polite-fetch.ts";
import { parseProductPage } from "../edge/scraper/product/parse-product-page.ts";
import { fetchUrl } from "../edge/scraper/views.ts";
import { decodeOffer } from "../batch/transform.ts";
import { kafkaConfigFromEnv } from "../shared/kafka.ts";
import { useSizedGunzip } from "../shared/kafka-gzip.ts";
import { log } from "../shared/log.ts";
import { PROMETHEUS_CONTENT_TYPE, Registry } from "../shared/metrics.ts";
import { DETAILS_SCHEMA_VERSION, type DetailsMessage } from "../shared/contract/details-message.ts";
import { retry } from "../shared/retry.ts";
import { SafeProducer } from "../shared/safe-producer.ts";
import type { StockMessage } from "../shared/contract/stock-message.ts";
import { StockProducer } from "../edge/stock-producer.ts";
import { type RunningServer, serve } from "../shared/serve.ts";
import { runDaemon } from "../shared/shutdown.ts";
import { onConsumerCrash } from "../shared/kafka-crash.ts";
import { SITES } from "../shared/sites.ts";
import { rebuildLedger } from "./details-history.ts";
import { enricherSettingsFromEnv } from "./enricher-config.ts";
import { FreshnessLedger } from "./freshness.ts";
import { OfferEnricher, OUTCOMES } from "./offer-enricher.ts";

export async function startEnricher(
  env: Record<string, string | undefined> = process.env,
  onFail: (error: Error) => void = () => {},
) {
  const settings = enricherSettingsFromEnv(env);
  const kafkaConfig = kafkaConfigFromEnv(env, "ofertas-enricher");
  useSizedGunzip();
  const kafka = new Kafka(kafkaConfig);
  const registry = new Registry();
  const outcomes = registry.counter(
    "ofertas_enricher_offers_total",
    `Offers read by the enricher, by outcome (${OUTCOMES.join(", ")}).`,
  );
  const fetchSeconds = registry.histogram(
    "ofertas_enricher_fetch_seconds",
    "Time to fetch and parse one product page.",
    [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  );

  const ledger = new FreshnessLedger(settings.freshMs);
  // a broker down or leaders still being elected: each step keeps trying, quietly, until Kafka answers
  const step = (what: string) => ({ daemon: "enricher", what });
  const rebuilt = await untilKafkaAnswers(() =>
    rebuildLedger(kafka, settings.detailsTopic, ledger, {
      freshMs: settings.freshMs,
      groupPrefix: settings.groupId,
    }), step("freshness ledger"));
  log("info", "enricher_freshness_rebuilt", { details_read: rebuilt.read, items_fresh: rebuilt.items });

  const producer = new SafeProducer(kafkaConfig, { topic: settings.detailsTopic, sendTimeoutMs: 15_000 });
  await untilKafkaAnswers(() => producer.connect(), step("details producer"));
  // what each page said of the stock, beside its details (the alerter's out_of_stock, back_in_stock)
  const stock = new StockProducer(kafkaConfig, { topic: settings.stockTopic, sendTimeoutMs: 15_000 });
  await untilKafkaAnswers(() => stock.connect(), step("stock producer"));
  // fewer retries than a scrape: one product page is not worth holding the partition for long
  const fetcher = new PoliteFetcher({
    minIntervalMs: settings.minIntervalMs,
    maxBytes: settings.maxPageBytes,
    retries: 1,
    timeoutMs: 10_000,
  });
  const enricher = new OfferEnricher({
    fetchPage: async (url, site) => {
      const started = performance.now();
      try {
        const page = await fetcher.get(
          fetchUrl(url, settings.baseUrl),
          SITES[site].locale,
          siteRedirects(site, settings.baseUrl),
        );
        return page.body;
      } finally {
        fetchSeconds.observe((performance.now() - started) / 1000);
      }
    },
    parse: parseProductPage,
    produce: (message: DetailsMessage) =>
      // an outage is waited out (details are not lost, the page is not fetched again)
      retry(
        () =>
          producer.send([{
            key: message.item_id,
            value: JSON.stringify(message),
            headers: { schema_version: String(DETAILS_SCHEMA_VERSION) },
          }]),
        { attempts: 20, backoff: { baseMs: 500, maxMs: 30_000, jitter: "equal" } },
      ).then(() => {}),
    produceStock: (message: StockMessage) =>
      retry(() => stock.send([message]), { attempts: 20, backoff: { baseMs: 500, maxMs: 30_000, jitter: "equal" } })
        .then(() => {}),
    ledger,
    perScrape: settings.perScrape,
    challengePauseMs: settings.challengePauseMs,
    failureBackoffMs: settings.failureBackoffMs,
  });

  const consumer = kafka.consumer({
    groupId: settings.groupId,
    sessionTimeout: 60_000,
    maxBytes: 1 << 20,
    maxBytesPerPartition: 256 << 10,
  });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  onConsumerCrash(consumer, "enricher offers", onFail);
  await untilKafkaAnswers(async () => {
    await consumer.connect();
    await consumer.subscribe({ topic: settings.offersTopic, fromBeginning: false });
  }, { ...step("offers group"), cleanup: () => consumer.disconnect() });
  await consumer.run({
    partitionsConsumedConcurrently: 1,
    eachMessage: async ({ topic, partition, message, heartbeat }) => {
      const decoded = decodeOffer({
        topic,
        partition,
        offset: message.offset,
        key: message.key,
        value: message.value,
        headers: message.headers ?? {},
      });
      // a broken message is the batch consumer's to dead-letter; the enricher only skips it
      if (!("message" in decoded)) return;
      const { outcome, detail } = await enricher.handle(decoded.message);
      outcomes.inc({ outcome });
      if (outcome === "detailed") {
        log("info", "details_produced", { item_id: decoded.message.item_id, scrape_id: decoded.message.scrape_id });
      } else if (outcome === "fetch_failed" || outcome === "challenge" || outcome === "page_not_product") {
        log("warn", `details_${outcome}`, { item_id: decoded.message.item_id, detail: detail?.slice(0, 300) });
      }
      await heartbeat();
    },
  });

  let metricsServer: RunningServer | null = null;
  if (settings.metricsPort !== null) {
    metricsServer = serve((request) => {
      const path = new URL(request.url).pathname;
      if (path === "/metrics") {
        return new Response(registry.render(), { headers: { "content-type": PROMETHEUS_CONTENT_TYPE } });
      }
      if (path === "/healthz") return Response.json({ status: "ok" });
      return new Response("not found", { status: 404 });
    }, { port: settings.metricsPort, hostname: listenHost(env), maxRequestBodySize: 1024 });
  }
  log("info", "enricher_started", {
    offers_topic: settings.offersTopic,
    details_topic: settings.detailsTopic,
    fresh_days: settings.freshDays,
    per_scrape: settings.perScrape,
  });
  return {
    ledger,
    /** Resolves once the group has its partitions (a new group reads from there on). */
    joined,
    stop: async () => {
      await consumer.disconnect();
      await producer.close();
      await stock.close();
      await metricsServer?.stop();
      log("info", "enricher_stopped", {});
    },
  };
}

if (import.meta.main) await runDaemon("enricher", (fail) => startEnricher(process.env, fail));
