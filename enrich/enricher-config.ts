/**
 * The enricher's settings (shared/settings.ts). How it fetches is the scrape route's own rules,
 * read from the same variables: OFERTAS_MIN_INTERVAL_MS, OFERTAS_MAX_PAGE_BYTES and
 * OFERTAS_ML_BASE_URL (docs/configuration.md, "Scrape route").
 */
import { ROUTE_SETTINGS } from "../edge/route-config.ts";
import { KAFKA_SETTINGS } from "../shared/kafka.ts";
import { type Env, intSetting, optionalIntSetting, settingsGroup, textSetting } from "../shared/settings.ts";
import { DAY_MS } from "../shared/duration.ts";

export const ENRICHER_SETTINGS = settingsGroup(
  "Enricher",
  "`bun run enrich/enricher.ts` (started by `npm start`): product details for the offers on the topic. It fetches with the scrape route's rules (OFERTAS_MIN_INTERVAL_MS, OFERTAS_MAX_PAGE_BYTES, OFERTAS_ML_BASE_URL).",
  {
    groupId: textSetting("OFERTAS_ENRICHER_GROUP", "ofertas-enricher", "Kafka consumer group of the enricher"),
    freshDays: intSetting(
      "OFERTAS_DETAILS_FRESH_DAYS",
      7,
      { min: 1, max: 13 },
      "an item detailed this many days ago or less is not fetched again (the details topic keeps 14 days)",
    ),
    perScrape: intSetting(
      "OFERTAS_DETAILS_PER_SCRAPE",
      20,
      { min: 0, max: 1_000 },
      "most product pages fetched for the offers of one scrape (0 turns enrichment off)",
    ),
    challengePauseMs: intSetting(
      "OFERTAS_DETAILS_CHALLENGE_PAUSE_MS",
      600_000,
      { min: 0, max: DAY_MS },
      "after a challenge or block page, no product page is fetched for this long",
    ),
    failureBackoffMs: intSetting(
      "OFERTAS_DETAILS_FAILURE_BACKOFF_MS",
      3_600_000,
      { min: 0, max: 7 * DAY_MS },
      "an item whose page failed (network, HTTP, layout) is not tried again for this long",
    ),
    metricsPort: optionalIntSetting(
      "OFERTAS_ENRICHER_METRICS_PORT",
      { min: 0, max: 65_535 },
      "serve /metrics and /healthz on this port (unset: none)",
    ),
  },
);

export type EnricherSettings = ReturnType<typeof ENRICHER_SETTINGS.read> & {
  freshMs: number;
  offersTopic: string;
  detailsTopic: string;
  /** Where what each page said of the stock goes. */
  stockTopic: string;
  minIntervalMs: number;
  maxPageBytes: number;
  baseUrl: string | null;
};

export function enricherSettingsFromEnv(env: Env): EnricherSettings {
  const s = ENRICHER_SETTINGS.read(env);
  const route = ROUTE_SETTINGS.settings;
  return {
    ...s,
    freshMs: s.freshDays * DAY_MS,
    offersTopic: KAFKA_SETTINGS.settings.topic.read(env),
    detailsTopic: KAFKA_SETTINGS.settings.detailsTopic.read(env),
    stockTopic: KAFKA_SETTINGS.settings.stockTopic.read(env),
    minIntervalMs: route.minIntervalMs.read(env),
    maxPageBytes: route.maxPageBytes.read(env),
    baseUrl: route.baseUrl.read(env),
  };
}
