/** The scrape route's settings, from the environment, with a clear error for each bad value. */
import { envInt } from "../shared/env-values.ts";
import { isSiteCode, SITE_CODES, type SiteCode } from "../shared/sites.ts";
import { TOPICS, type Env } from "../shared/kafka.ts";
import type { RouteConfig } from "./app.ts";
import { MAX_PAGES } from "./scraper/views.ts";

export interface RouteSettings extends RouteConfig {
  port: number;
  hostname: string;
  /** Replay server instead of Mercado Livre (tests, demos); null in production. */
  baseUrl: string | null;
  minIntervalMs: number;
  sendTimeoutMs: number;
  /** Topic offers are produced to. */
  topic: string;
}

export function routeSettingsFromEnv(env: Env): RouteSettings {
  const int = (name: string, fallback: number, min: number, max: number) => envInt(env, name, fallback, min, max);
  const sites = (env.OFERTAS_SITES ?? SITE_CODES.join(",")).split(",").map((s) => s.trim()).filter(Boolean);
  for (const s of sites) if (!isSiteCode(s)) throw new Error(`OFERTAS_SITES: unknown site "${s}" (known: ${SITE_CODES.join(", ")})`);
  if (sites.length === 0) throw new Error("OFERTAS_SITES: no site given");
  const baseUrl = env.OFERTAS_ML_BASE_URL || null;
  if (baseUrl && !/^https?:\/\/[^/]+/.test(baseUrl)) throw new Error(`OFERTAS_ML_BASE_URL must be an http(s) URL, got "${baseUrl}"`);
  const token = env.OFERTAS_TOKEN || null;
  if (token !== null && token.length < 16) throw new Error("OFERTAS_TOKEN must be at least 16 characters");
  return {
    port: int("PORT", 8080, 0, 65535),
    hostname: env.OFERTAS_HOST ?? "127.0.0.1",
    token,
    maxBodyBytes: int("OFERTAS_MAX_BODY_BYTES", 5 * 1024 * 1024, 1024, 512 * 1024 * 1024),
    sites: sites as SiteCode[],
    maxPages: int("OFERTAS_MAX_PAGES", MAX_PAGES, 1, MAX_PAGES),
    baseUrl,
    minIntervalMs: int("OFERTAS_MIN_INTERVAL_MS", 1000, 0, 60_000),
    sendTimeoutMs: int("OFERTAS_SEND_TIMEOUT_MS", 15_000, 100, 120_000),
    topic: env.OFERTAS_TOPIC || TOPICS.offers.name,
  };
}
