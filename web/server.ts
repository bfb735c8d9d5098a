/**
 * The deals web view, as a daemon: `bun run web/server.ts`. Reads the warehouse the consumer
 * loads (the local DuckDB file by default, BigQuery with OFERTAS_WAREHOUSE=bigquery) and the
 * watches' topics (web/watch-source.ts); never writes. New questions are rate limited per client
 * (OFERTAS_WEB_QUERIES_PER_MINUTE…) and each BigQuery query is bounded (OFERTAS_WEB_MAX_BILLED_MB…).
 */
import process from "node:process";
import { WATCH_SETTINGS } from "../shared/watch/watch-settings.ts";
import { KAFKA_SETTINGS, kafkaConfigFromEnv } from "../shared/kafka.ts";
import { KafkaKeyedLog } from "../shared/keyed-log.ts";
import { log } from "../shared/log.ts";
import { offerDate } from "../shared/timestamp.ts";
import { serve } from "../shared/serve.ts";
import { runDaemon } from "../shared/shutdown.ts";
import { createWebApp } from "./app.tsx";
import { BigQuerySource } from "./bigquery-source.ts";
import { DuckDbSource } from "./duckdb-source.ts";
import { CachedSource, type DealsSource } from "./source.ts";
import { webSettingsFromEnv } from "./web-config.ts";
import { LogWatchSource } from "./watch-source.ts";
import { QueryLimiter } from "./query-limiter.ts";

export function startWeb(env: Record<string, string | undefined> = process.env) {
  const settings = webSettingsFromEnv(env);
  const where = settings.warehouse;
  const inner: DealsSource = where.kind === "local" ? new DuckDbSource(where.localDir) : new BigQuerySource({
    projectId: where.projectId,
    dataset: where.dataset,
    location: where.location,
    apiEndpoint: where.bigqueryEndpoint,
    cacheSeconds: settings.cacheSeconds,
    bounds: settings.queryBounds,
  });
  const today = () => offerDate(new Date().toISOString());
  // today's list (what `/` shows) is never pushed out of the cache, whatever else is asked
  const source = new CachedSource(inner, { pinnedDay: today });
  const kafka = KAFKA_SETTINGS.read(env);
  const watches = new LogWatchSource(
    new KafkaKeyedLog(
      { ...kafkaConfigFromEnv(env, "ofertas-web"), retry: { retries: 3 } },
      [kafka.watchesTopic, kafka.watchRunsTopic],
      "web-watches",
    ),
    { watches: kafka.watchesTopic, runs: kafka.watchRunsTopic },
    {
      pagesPerHourPerHost: WATCH_SETTINGS.settings.pagesPerHour.read(env),
      runTimeoutMs: WATCH_SETTINGS.settings.runTimeout.read(env),
    },
  );
  const app = createWebApp({
    source,
    watches,
    demo: settings.demo,
    historyDays: settings.historyDays,
    today,
    limiter: new QueryLimiter(settings.limits),
    trustedProxyHops: settings.trustedProxyHops,
  });
  const server = serve(app.fetch, { port: settings.port, hostname: settings.hostname, maxRequestBodySize: 16 * 1024 });
  const url = `http://${settings.hostname}:${server.port}`;
  // today's list is the costly question (its verdicts are computed): have it ready for the first view
  source.deals(today()).catch((error) => log("warn", "web_warmup_failed", { message: (error as Error).message }));
  log("info", "web_listening", {
    url,
    warehouse: where.kind,
    demo: settings.demo,
    queries_per_minute: settings.queriesPerMinute,
    query_burst: settings.queryBurst,
    trusted_proxy_hops: settings.trustedProxyHops,
  });
  return {
    url,
    port: server.port,
    stop: async () => {
      await server.stop();
      await Promise.all([source.close(), watches.close()]);
    },
  };
}

if (import.meta.main) await runDaemon("web", () => startWeb());
