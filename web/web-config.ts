/**
 * The web view's settings (shared/settings.ts); where the warehouse is comes from
 * shared/warehouse-settings.ts. What a public view may cost is bounded here: how many new
 * questions a client (and everyone) may ask, and what one BigQuery query may bill and take.
 */
import { listenHost } from "../shared/listen-host.ts";
import { MINUTE_MS, SECOND_MS } from "../shared/duration.ts";
import { boolSetting, durationSetting, type Env, intSetting, settingsGroup } from "../shared/settings.ts";
import { type WarehouseLocation, warehouseLocationFromEnv } from "../shared/warehouse-settings.ts";
import type { QueryBounds } from "../query/engine.ts";
import type { QueryLimits } from "./query-limiter.ts";

export const WEB_SETTINGS = settingsGroup(
  "Web view",
  "`bun run web/server.ts` (started by `npm start` and `npm run demo`).",
  {
    port: intSetting(
      "OFERTAS_WEB_PORT",
      8088,
      { min: 0, max: 65_535 },
      "port the web view listens on (on OFERTAS_HOST)",
    ),
    cacheSeconds: intSetting(
      "OFERTAS_WEB_CACHE_SECONDS",
      300,
      { min: 1, max: 86_400 },
      "BigQuery: how long a computed page's data is reused (the local warehouse is re-read after each load)",
    ),
    historyDays: intSetting(
      "OFERTAS_WEB_HISTORY_DAYS",
      90,
      { min: 31, max: 730 },
      "days of price history on an item page",
    ),
    demo: boolSetting("OFERTAS_WEB_DEMO", false, "label every page as demo data (`npm run demo` sets it)"),
    queriesPerMinute: intSetting(
      "OFERTAS_WEB_QUERIES_PER_MINUTE",
      6,
      { min: 1, max: 6_000 },
      "new questions (requests the cache cannot answer: a search, a feed, another day or item) one client may ask per minute, after its burst; more are answered 429 with Retry-After",
    ),
    queryBurst: intSetting(
      "OFERTAS_WEB_QUERY_BURST",
      12,
      { min: 1, max: 1_000 },
      "new questions one client may ask at once (its bucket's size)",
    ),
    queriesPerMinuteAll: intSetting(
      "OFERTAS_WEB_QUERIES_PER_MINUTE_ALL",
      60,
      { min: 1, max: 100_000 },
      "new questions all clients together may ask per minute (and at once)",
    ),
    rateLimitClients: intSetting(
      "OFERTAS_WEB_RATE_LIMIT_CLIENTS",
      10_000,
      { min: 100, max: 1_000_000 },
      "clients whose buckets are kept (about 150 bytes each); the least recently seen is forgotten first",
    ),
    trustedProxyHops: intSetting(
      "OFERTAS_WEB_TRUSTED_PROXY_HOPS",
      0,
      { min: 0, max: 5 },
      "proxies in front of the view whose X-Forwarded-For entries are believed (the client is the entry that many from the right); 0: the header is ignored and the client is the connecting address",
    ),
    maxBilledMb: intSetting(
      "OFERTAS_WEB_MAX_BILLED_MB",
      1_024,
      { min: 10, max: 1_048_576 },
      "BigQuery: MiB one query of the view may bill (`maximumBytesBilled`); a question that would bill more is answered 503, saying so",
    ),
    queryTimeout: durationSetting(
      "OFERTAS_WEB_QUERY_TIMEOUT",
      "30s",
      { minMs: SECOND_MS, maxMs: 10 * MINUTE_MS },
      "BigQuery: how long one query of the view may run (`jobTimeoutMs`); a slower one is answered 503",
    ),
  },
);

export type WebSettings = ReturnType<typeof WEB_SETTINGS.read> & {
  warehouse: WarehouseLocation;
  hostname: string;
  limits: QueryLimits;
  queryBounds: QueryBounds;
};

export function webSettingsFromEnv(env: Env): WebSettings {
  const s = WEB_SETTINGS.read(env);
  return {
    ...s,
    warehouse: warehouseLocationFromEnv(env),
    hostname: listenHost(env),
    limits: {
      perClient: { capacity: s.queryBurst, perMinute: s.queriesPerMinute },
      allClients: { capacity: s.queriesPerMinuteAll, perMinute: s.queriesPerMinuteAll },
      maxClients: s.rateLimitClients,
    },
    queryBounds: { maxBytesBilled: s.maxBilledMb * 1024 * 1024, jobTimeoutMs: s.queryTimeout },
  };
}
