/**
 * The deals web view, as a daemon: `bun run web/server.ts`. Reads the warehouse the consumer
 * loads (the local DuckDB file by default, BigQuery with OFERTAS_WAREHOUSE=bigquery), the
 * watches' topics and the accounts topic; writes only what people do in its forms (their
 * watches, through the watches' own store, their accounts, channels and mutes: web/accounts/). New questions are rate limited per client
 * (OFERTAS_WEB_QUERIES_PER_MINUTE…) and each BigQuery query is bounded (OFERTAS_WEB_MAX_BILLED_MB…).
 */
import process from "node:process";
import type { Context } from "hono";
import { log } from "../shared/log.ts";
import { offerDate } from "../shared/timestamp.ts";
import { serve } from "../shared/serve.ts";
import { runDaemon } from "../shared/shutdown.ts";
import { createWebApp } from "./app.tsx";
import { BigQuerySource } from "./bigquery-source.ts";
import { DuckDbSource } from "./duckdb-source.ts";
import { CachedSource, type DealsSource } from "./source.ts";
import { webSettingsFromEnv } from "./web-config.ts";
import { startPeople } from "./accounts/start-people.ts";
import { clientAddress, clientKey, connectingAddress } from "./client-address.ts";
import { QueryLimiter } from "./query-limiter.ts";

export async function startWeb(env: Record<string, string | undefined> = process.env) {
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
  const ctx = { demo: settings.demo, source: where.kind === "local" ? "the local warehouse" : "BigQuery" };
  const clientOf = (c: Context) =>
    clientKey(
      clientAddress(
        connectingAddress(c.env, c.req.raw),
        c.req.header("x-forwarded-for") ?? null,
        settings.trustedProxyHops,
      ),
    );
  const people = await startPeople(env, ctx, clientOf, `http://${settings.hostname}:${settings.port}`);
  const app = createWebApp({
    source,
    watches: people.watchSource,
    demo: settings.demo,
    historyDays: settings.historyDays,
    today,
    limiter: new QueryLimiter(settings.limits),
    trustedProxyHops: settings.trustedProxyHops,
    people: people.deps,
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
      await Promise.all([source.close(), people.close()]);
    },
  };
}

if (import.meta.main) await runDaemon("web", () => startWeb());
