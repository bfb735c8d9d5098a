/**
 * The scrape route as a Hono app (runtime-neutral: Bun and Deno serve the same `fetch`).
 *
 *   POST /scrape   {site?, view?, pages?, category?} → scrape deal pages, produce every valid offer
 *   POST /offers   JSON array or NDJSON of offers scraped elsewhere → validate, produce
 *   GET  /healthz  liveness;  GET /readyz  Kafka reachable and topic present;  GET /metrics  Prometheus
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
import { type OfferMessage, SCRAPE_ID_PATTERN, toOfferMessage, validateOfferMessage } from "../shared/offer.ts";
import type { SiteCode } from "../shared/sites.ts";
import { checkOffers, MAX_REJECTED_LISTED, type OffersLimits, parseJsonArray, parseNdjson } from "./offers-body.ts";
import { ProduceError, type ProduceResult } from "./offer-producer.ts";
import type { RouteMetrics } from "./route-metrics.ts";
import { ScrapeQueue } from "./scrape-queue.ts";
import type { InvalidCard, ScrapeReport, ScrapeRequest } from "./scraper/scrape-view.ts";
import { VIEWS, viewUrl } from "./scraper/views.ts";

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
  producer: {
    send(messages: OfferMessage[]): Promise<ProduceResult>;
    ready(): Promise<{ ok: boolean; detail: string }>;
  };
  scrape(request: ScrapeRequest): Promise<ScrapeReport>;
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
  const queue = new ScrapeQueue(config.maxConcurrentScrapes, config.maxQueuedScrapes);
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
    return c.json({ status: r.ok ? "ready" : "not ready", kafka: r.detail }, r.ok ? 200 : 503);
  });

  app.get("/metrics", (c) => c.body(metrics.registry.render(), 200, { "content-type": PROMETHEUS_CONTENT_TYPE }));

  const ScrapeBody = v.strictObject({
    site: v.optional(v.picklist(config.sites, `site must be one of ${config.sites.join(", ")}`), config.sites[0]!),
    view: v.optional(v.picklist(VIEWS, `view must be one of ${VIEWS.join(", ")}`), "all"),
    pages: v.optional(
      v.pipe(
        v.number("pages must be a number"),
        v.integer("pages must be an integer"),
        v.minValue(1, `pages must be between 1 and ${config.maxPages}`),
        v.maxValue(config.maxPages, `pages must be between 1 and ${config.maxPages}`),
      ),
      1,
    ),
    category: v.optional(v.pipe(v.string("category must be a string"), v.maxLength(32, "category is too long"))),
  });

  app.post("/scrape", auth, limit, async (c) => {
    const body = await readJsonBody(c, { allowEmpty: true });
    if ("response" in body) return body.response;
    const parsed = v.safeParse(ScrapeBody, body.value ?? {});
    if (!parsed.success) {
      return c.json({ error: "invalid request", details: parsed.issues.slice(0, 10).map((i) => i.message) }, 400);
    }
    const request: ScrapeRequest = parsed.output;
    const requestProblem = checkScrapeRequest(request);
    if (requestProblem) return c.json({ error: "invalid request", details: [requestProblem] }, 400);

    // no point fetching pages whose offers cannot be delivered
    const readiness = await producer.ready();
    if (!readiness.ok) {
      metrics.errors.inc({ kind: "produce" });
      metrics.scrapes.inc({ site: request.site, view: request.view, outcome: "kafka_unavailable" });
      return c.json({ error: "Kafka unavailable; nothing was scraped or sent", detail: readiness.detail }, 503);
    }

    const admission = queue.submit(() => deps.scrape(request));
    if (!admission.accepted) {
      metrics.scrapes.inc({ site: request.site, view: request.view, outcome: "refused_busy" });
      c.header("retry-after", String(admission.retryAfterSeconds));
      return c.json({
        error: "too many scrapes under way; try again later",
        retry_after_seconds: admission.retryAfterSeconds,
      }, 429);
    }
    const scrapeId = newScrapeId();
    let report: ScrapeReport;
    try {
      report = await admission.result;
    } catch (error) {
      // the request was checked above: whatever fails now is the upstream's (or ours), never the caller's
      metrics.scrapes.inc({ site: request.site, view: request.view, outcome: "failed" });
      log("error", "scrape_crashed", { scrape_id: scrapeId, message: (error as Error).message });
      return c.json({ scrape_id: scrapeId, error: "the scrape failed", detail: (error as Error).message }, 502);
    }
    metrics.pages.inc({ site: request.site }, report.pagesFetched);
    for (const e of report.errors) metrics.errors.inc({ kind: e.kind });

    // the offers as they travel, checked against the whole contract before anything is sent
    const invalid: InvalidCard[] = [...report.invalid];
    const messages: OfferMessage[] = [];
    for (const o of report.offers) {
      const message = toOfferMessage(o.offer, {
        scrape_id: scrapeId,
        scraped_at: o.scrapedAt,
        source_url: o.sourceUrl,
      });
      const checked = validateOfferMessage(message);
      if (checked.ok) messages.push(checked.value);
      else {
        invalid.push({
          page: o.offer.page,
          position: o.offer.position,
          errors: checked.errors,
          fields: checked.problems.map((p) => p.field),
        });
      }
    }
    for (const bad of invalid) metrics.offersInvalid.inc({ reason: bad.fields[0] ?? "offer" });
    const summary: Json = {
      scrape_id: scrapeId,
      site: request.site,
      view: request.view,
      pages_fetched: report.pagesFetched,
      offers: messages.length,
      produced: 0,
      invalid: invalid.length,
      invalid_offers: invalid.slice(0, MAX_REJECTED_LISTED).map(({ fields: _fields, ...card }) => card),
      errors: report.errors,
    };
    const produced = await produce(c, messages, summary, "scrape");
    if (produced) return produced;
    const outcome = report.errors.length && messages.length === 0 ? "failed" : report.errors.length ? "partial" : "ok";
    metrics.scrapes.inc({ site: request.site, view: request.view, outcome });
    log("info", "scrape", { ...summary, invalid_offers: undefined });
    // nothing scraped because the site refused or failed: the upstream is at fault
    return c.json(summary, outcome === "failed" ? 502 : 200);
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
    const produced = await produce(c, checked.valid, summary, "ingest");
    if (produced) return produced;
    log("info", "ingest", { ...summary, rejected_offers: undefined });
    return c.json(summary, 200);
  });

  /** Produces and fills `summary.produced`; returns a 503 response when Kafka did not acknowledge all. */
  async function produce(
    c: Context,
    messages: OfferMessage[],
    summary: Json,
    source: "scrape" | "ingest",
  ): Promise<Response | null> {
    if (messages.length === 0) return null;
    const started = performance.now();
    try {
      const result = await producer.send(messages);
      summary.produced = result.produced;
      metrics.offersProduced.inc({ source }, result.produced);
      metrics.produceSeconds.observe((performance.now() - started) / 1000);
      return null;
    } catch (error) {
      if (!(error instanceof ProduceError)) throw error;
      metrics.errors.inc({ kind: "produce" });
      metrics.offersProduced.inc({ source }, error.produced);
      summary.produced = error.produced;
      summary.not_produced = error.notProduced;
      summary.error = "Kafka did not acknowledge every offer; retry with the same X-Scrape-Id to stay idempotent";
      log("error", "produce_failed", {
        scrape_id: summary.scrape_id,
        produced: error.produced,
        not_produced: error.notProduced,
        reason: error.message,
      });
      return c.json(summary, 503);
    }
  }

  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse(); // 401/400 from bearerAuth
    log("error", "unhandled", { path: new URL(c.req.url).pathname, message: error.message });
    return c.json({ error: "internal error" }, 500);
  });
  return app;
}

/** The caller's part of a scrape request that the schema cannot see (a category id of the site). */
function checkScrapeRequest(request: ScrapeRequest): string | null {
  if (request.view === "category" && !request.category) return "the category view needs a category id";
  if (request.view !== "category" && request.category !== undefined) return "category is only for the category view";
  try {
    viewUrl(request, 1);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
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
