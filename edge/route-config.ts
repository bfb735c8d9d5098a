/** The scrape route's settings, declared once (shared/settings.ts): read here, documented in docs/configuration.md. */
import { LISTEN_HOST } from "../shared/listen-host.ts";
import { KAFKA_SETTINGS } from "../shared/kafka.ts";
import {
  type Env,
  intSetting,
  listSetting,
  optionalTextSetting,
  SettingError,
  settingsGroup,
} from "../shared/settings.ts";
import { isSiteCode, SITE_CODES, type SiteCode } from "../shared/sites.ts";
import type { RouteConfig } from "./app.ts";
import { MAX_PAGES } from "./scraper/views.ts";

/** RFC 6750 b64token: what may follow "Bearer " in an Authorization header. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export const ROUTE_SETTINGS = settingsGroup(
  "Scrape route",
  "`bun run edge/scrape-route.ts` (started by `npm start`).",
  {
    port: intSetting("PORT", 8080, { min: 0, max: 65_535 }, "port the route listens on"),
    hostname: LISTEN_HOST,
    token: optionalTextSetting(
      "OFERTAS_TOKEN",
      "bearer token for the write routes (16+ characters of RFC 6750's b64token set); unset leaves them open",
      (t) =>
        t.length < 16
          ? "must be at least 16 characters"
          : B64TOKEN.test(t)
          ? null
          : "may only hold A-Z a-z 0-9 - . _ ~ + / and trailing = (RFC 6750 b64token)",
    ),
    sites: listSetting(
      "OFERTAS_SITES",
      [...SITE_CODES],
      "sites callers may scrape; the first is the default (politeness is per host: each site is its own hosts, so more sites cost no host more)",
      (s) => (isSiteCode(s) ? null : `: unknown site "${s}" (known: ${SITE_CODES.join(", ")})`),
    ),
    maxPages: intSetting(
      "OFERTAS_MAX_PAGES",
      MAX_PAGES,
      { min: 1, max: MAX_PAGES },
      "most pages one scrape may request",
    ),
    maxBodyBytes: intSetting(
      "OFERTAS_MAX_BODY_BYTES",
      5 * 1024 * 1024,
      { min: 1024, max: 64 * 1024 * 1024 },
      "request body limit (413 above)",
    ),
    maxOffersPerRequest: intSetting(
      "OFERTAS_MAX_OFFERS_PER_REQUEST",
      1_000,
      { min: 1, max: 10_000 },
      "most offers one `POST /offers` may carry (413 above)",
    ),
    maxQueuedScrapes: intSetting(
      "OFERTAS_MAX_QUEUED_SCRAPES",
      4,
      { min: 0, max: 100 },
      "scrapes that may wait for a running one; more are answered 429 with Retry-After",
    ),
    maxConcurrentScrapes: intSetting(
      "OFERTAS_MAX_CONCURRENT_SCRAPES",
      2,
      { min: 1, max: 16 },
      "scrapes that run at once",
    ),
    backfillDays: intSetting(
      "OFERTAS_BACKFILL_DAYS",
      0,
      { min: 0, max: 400 },
      "`POST /offers` may carry `scraped_at` up to this many days old (a backfill window; 0 = server time only)",
    ),
    maxPageBytes: intSetting(
      "OFERTAS_MAX_PAGE_BYTES",
      4 * 1024 * 1024,
      { min: 64 * 1024, max: 64 * 1024 * 1024 },
      "largest upstream page read; bigger pages are an error of kind `too_large`",
    ),
    maxCardsPerPage: intSetting(
      "OFERTAS_MAX_CARDS_PER_PAGE",
      120,
      { min: 1, max: 2_000 },
      "most cards parsed from one page (real pages have at most 60); more is an error of kind `too_many_cards`",
    ),
    parseTimeoutMs: intSetting(
      "OFERTAS_PARSE_TIMEOUT_MS",
      10_000,
      { min: 100, max: 120_000 },
      "longest parse of one page (in a worker) before it counts as failed",
    ),
    baseUrl: optionalTextSetting(
      "OFERTAS_ML_BASE_URL",
      "fetch from this base URL instead of Mercado Livre (replays, tests)",
      (u) => (/^https?:\/\/[^/]+/.test(u) ? null : `must be an http(s) URL, got "${u}"`),
    ),
    minIntervalMs: intSetting(
      "OFERTAS_MIN_INTERVAL_MS",
      1_000,
      { min: 0, max: 60_000 },
      "minimum time between two requests to one Mercado Livre host",
    ),
    sendTimeoutMs: intSetting(
      "OFERTAS_SEND_TIMEOUT_MS",
      15_000,
      { min: 100, max: 120_000 },
      "how long a request waits for Kafka before answering 503",
    ),
  },
);

export type RouteSettings = RouteConfig & Omit<ReturnType<typeof ROUTE_SETTINGS.read>, keyof RouteConfig> & {
  /** Topic offers are produced to. */
  topic: string;
};

export function routeSettingsFromEnv(env: Env): RouteSettings {
  const s = ROUTE_SETTINGS.read(env);
  if (s.sites.length === 0) throw new SettingError("OFERTAS_SITES", ": no site given");
  return { ...s, sites: s.sites as SiteCode[], topic: KAFKA_SETTINGS.settings.topic.read(env) };
}
