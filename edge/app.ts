/**
 * The scrape route as a Hono app (runtime-neutral: Bun and Deno serve the same `fetch`).
 *
 *   POST /scrape   {site?, view?, pages?, category?, query?, price_min?, price_max?, item?} → scrape
 *                  a deals view, a search or an item's page, produce every valid offer
 *   POST /offers   JSON array or NDJSON of offers scraped elsewhere → validate, produce
 *   PUT/GET/DELETE /watches[/:id], POST /watches/tick → what to follow on a schedule (watches/)
 *   GET  /healthz  liveness;  GET /readyz  Kafka reachable and topic present (and any scraper drift);
 *   GET /metrics  Prometheus
 *
 * Write routes need `Authorization: Bearer $OFERTAS_TOKEN` when a token is configured.
 * Whose fault a failure is decides its status: a bad request is the caller's (4xx), a page that
 * cannot be scraped is the upstream's (502), Kafka down is ours (503).
 */
import { type Context, Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import * as v from "valibot";
import { log } from "../shared/log.ts";
import { PROMETHEUS_CONTENT_TYPE } from "../shared/metrics.ts";
import { SCRAPE_ID_PATTERN } from "../shared/offer.ts";
import type { SiteCode } from "../shared/sites.ts";
import { checkOffers, type OffersLimits, parseJsonArray, parseNdjson } from "./offers-body.ts";
import type { RouteMetrics } from "./route-metrics.ts";
import { type ScrapeProducer, ScrapeService } from "./scrape-service.ts";
import type { ScrapeReport, ScrapeRequest } from "./scraper/scrape-view.ts";
import { viewRequestProblem } from "./scraper/views.ts";
import { scrapeBodySchema } from "./scrape-body.ts";
import { referencePage } from "../shared/openapi/reference-page.ts";
import { openApiDocument } from "../shared/openapi/openapi.ts";
import { ROUTE_API, routeOperations } from "./api-doc.ts";
import { watchRoutes, type WatchRoutesDeps } from "./watches/watch-routes.ts";

export interface RouteConfig {
  /** Bearer token for write routes; null leaves them open (local development only). */
  token: string | null;
  maxBodyBytes: number;
  /** Sites callers may scrape; the first is the default. */
  sites: readonly SiteCode[];
  maxPages: number;
  maxOffersPerRequest: number;
  /** How old a `POST /offers` scraped_at may be, in days; 0 = the server's clock only. */
  backfillDays: number;
  maxConcurrentScrapes: number;
  maxQueuedScrapes: number;
}

/** Defaults for what a test or tool leaves out. */
export const ROUTE_DEFAULTS = {
  maxOffersPerRequest: 1_000,
  backfillDays: 0,
  maxConcurrentScrapes: 2,
  maxQueuedScrapes: 4,
} satisfies Partial<RouteConfig>;

export interface AppDeps {
  config: Pick<RouteConfig, "token" | "maxBodyBytes" | "sites" | "maxPages"> & Partial<RouteConfig>;
  producer: ScrapeProducer;
  scrape(request: ScrapeRequest): Promise<ScrapeReport>;
  /** The scrape service to share (the watches' ticker runs through it); built from the above when absent. */
  service?: ScrapeService;
  /** The watches' API, when the route keeps watches. */
  watches?: WatchRoutesDeps;
  /** The drifts under way, one line each, for /readyz (drift-monitor.ts). */
  drift?: { details(): string[] };
  metrics: RouteMetrics;
  newScrapeId?: () => string;
  now?: () => number;
}

type Json = Record<string, unknown>;

export function createApp(deps: AppDeps): Hono {
  const { producer, metrics } = deps;
  const config: RouteConfig = { ...ROUTE_DEFAULTS, ...deps.config };
  const newScrapeId = deps.newScrapeId ?? (() => crypto.randomUUID());
  const now = deps.now ?? (() => Date.now());
  const service = deps.service ?? new ScrapeService({
    producer,
    scrape: deps.scrape,
    metrics,
    maxConcurrent: config.maxConcurrentScrapes,
    maxQueued: config.maxQueuedScrapes,
    newScrapeId,
  });
  const limits: OffersLimits = { maxOffers: config.maxOffersPerRequest, backfillDays: config.backfillDays };
  const app = new Hono();

  const limit = bodyLimit({
    maxSize: config.maxBodyBytes,
    onError: (c) => c.json({ error: `request body is larger than ${config.maxBodyBytes} bytes` }, 413),
  });
  const auth = config.token
    ? bearerAuth({
      token: config.token,
      noAuthenticationHeader: { message: { error: "Authorization: Bearer <token> required" } },
      invalidToken: { message: { error: "invalid token" } },
      invalidAuthenticationHeader: { message: { error: "Authorization header must be 'Bearer <token>'" } },
    })
    : (_c: Context, next: () => Promise<void>) => next();

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  app.get("/readyz", async (c) => {
    const r = await producer.ready();
    // a drift is told, not a reason to stop serving: the pages still parse
    const drift = deps.drift?.details() ?? [];
    return c.json(
      { status: r.ok ? "ready" : "not ready", kafka: r.detail, ...(drift.length ? { scraper_drift: drift } : {}) },
      r.ok ? 200 : 503,
    );
  });

  app.get("/metrics", (c) => c.body(metrics.registry.render(), 200, { "content-type": PROMETHEUS_CONTENT_TYPE }));

  // the API described from the schemas the handlers validate with (api-doc.ts), built once
  let operations: ReturnType<typeof routeOperations> | null = null;
  const described = () => (operations ??= routeOperations(config));
  app.get("/openapi.json", (c) => c.json(openApiDocument(ROUTE_API, described())));
  app.get(
    "/api",
    (c) => c.html(referencePage(ROUTE_API, described()), 200, { "content-security-policy": "default-src 'none'" }),
  );

  const ScrapeBody = scrapeBodySchema(config);

  app.post("/scrape", auth, limit, async (c) => {
    const body = await readJsonBody(c, { allowEmpty: true });
    if ("response" in body) return body.response;
    const parsed = v.safeParse(ScrapeBody, body.value ?? {});
    if (!parsed.success) {
      return c.json({ error: "invalid request", details: parsed.issues.slice(0, 10).map((i) => i.message) }, 400);
    }
    const request: ScrapeRequest = parsed.output;
    const requestProblem = viewRequestProblem(request);
    if (requestProblem) return c.json({ error: "invalid request", details: [requestProblem] }, 400);

    // no point fetching pages whose offers cannot be delivered
    const readiness = await service.ready();
    if (!readiness.ok) {
      metrics.errors.inc({ kind: "produce" });
      metrics.scrapes.inc({ site: request.site, view: request.view, outcome: "kafka_unavailable" });
      return c.json({ error: "Kafka unavailable; nothing was scraped or sent", detail: readiness.detail }, 503);
    }

    const admission = service.submit(request);
    if (!admission.accepted) {
      c.header("retry-after", String(admission.retryAfterSeconds));
      return c.json({
        error: "too many scrapes under way; try again later",
        retry_after_seconds: admission.retryAfterSeconds,
      }, 429);
    }
    const result = (await admission.result)!;
    return c.json(result.summary, result.status);
  });

  app.post("/offers", auth, limit, async (c) => {
    const scrapeId = c.req.header("x-scrape-id") ?? newScrapeId();
    if (!SCRAPE_ID_PATTERN.test(scrapeId)) {
      return c.json({ error: "X-Scrape-Id must be 8-64 characters of [A-Za-z0-9_-]" }, 400);
    }
    const ndjson = isMediaType(c, "application/x-ndjson");
    if (!ndjson && !isMediaType(c, "application/json")) {
      return c.json({ error: "Content-Type must be application/json (an array) or application/x-ndjson" }, 415);
    }
    const text = await c.req.text();
    if (text.trim() === "") return c.json({ error: "request body is empty" }, 400);
    const parsed = ndjson ? parseNdjson(text, limits.maxOffers) : parseJsonArray(text, limits.maxOffers);
    if ("malformed" in parsed) return c.json({ error: parsed.malformed }, 400);
    if ("tooMany" in parsed) {
      return c.json({ error: `a request carries at most ${limits.maxOffers} offers; split it` }, 413);
    }

    const checked = await checkOffers(parsed.items, parsed.lineErrors, { scrapeId, now: now(), limits });
    for (const field of checked.rejectedFields) metrics.offersInvalid.inc({ reason: field });
    const summary: Json = {
      scrape_id: scrapeId,
      received: parsed.items.length,
      produced: 0,
      rejected: checked.rejectedFields.length,
      rejected_offers: checked.rejected,
      ...(checked.rejectedFields.length > checked.rejected.length
        ? { rejected_offers_not_listed: checked.rejectedFields.length - checked.rejected.length }
        : {}),
    };
    if (checked.valid.length === 0) {
      return c.json({
        ...summary,
        error: parsed.items.length ? "no valid offer in the request" : "the request holds no offers",
      }, 422);
    }
    if (!(await service.produce(checked.valid, summary, "ingest"))) return c.json(summary, 503);
    log("info", "ingest", { ...summary, rejected_offers: undefined });
    return c.json(summary, 200);
  });

  if (deps.watches) app.route("/watches", watchRoutes(deps.watches, { auth, limit }));

  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse(); // 401/400 from bearerAuth
    log("error", "unhandled", { path: new URL(c.req.url).pathname, message: error.message });
    return c.json({ error: "internal error" }, 500);
  });
  return app;
}

// ------------------------------------------------------------------ request bodies

type BodyResult<T> = { value: T } | { response: Response };

async function readJsonBody(c: Context, options: { allowEmpty: boolean }): Promise<BodyResult<unknown>> {
  const text = await c.req.text();
  if (text.trim() === "") {
    return options.allowEmpty ? { value: undefined } : { response: c.json({ error: "request body is empty" }, 400) };
  }
  if (!isMediaType(c, "application/json")) {
    return { response: c.json({ error: "Content-Type must be application/json" }, 415) };
  }
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { response: c.json({ error: `malformed JSON: ${(error as Error).message}` }, 400) };
  }
}

function isMediaType(c: Context, type: string): boolean {
  return (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase() === type;
}
