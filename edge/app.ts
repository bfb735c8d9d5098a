/**
 * The scrape route as a Hono app (runtime-neutral: Bun and Deno serve the same `fetch`).
 *
 *   POST /scrape   {site?, view?, pages?, category?} → scrape deal pages, produce every valid offer
 *   POST /offers   JSON array or NDJSON of offers scraped elsewhere → validate, produce
 *   GET  /healthz  liveness;  GET /readyz  Kafka reachable and topic present;  GET /metrics  Prometheus
 *
 * Write routes need `Authorization: Bearer $OFERTAS_TOKEN` when a token is configured.
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
import { ProduceError, type ProduceResult } from "./offer-producer.ts";
import { reasonOf, type RouteMetrics } from "./route-metrics.ts";
import type { ScrapeReport, ScrapeRequest } from "./scraper/scrape-view.ts";
import { VIEWS } from "./scraper/views.ts";

export interface RouteConfig {
  /** Bearer token for write routes; null leaves them open (local development only). */
  token: string | null;
  maxBodyBytes: number;
  /** Sites callers may scrape; the first is the default. */
  sites: readonly SiteCode[];
  maxPages: number;
}

export interface AppDeps {
  config: RouteConfig;
  producer: {
    send(messages: OfferMessage[]): Promise<ProduceResult>;
    ready(): Promise<{ ok: boolean; detail: string }>;
  };
  scrape(request: ScrapeRequest): Promise<ScrapeReport>;
  metrics: RouteMetrics;
  newScrapeId?: () => string;
  now?: () => string;
}

type Json = Record<string, unknown>;

export function createApp(deps: AppDeps): Hono {
  const { config, producer, metrics } = deps;
  const newScrapeId = deps.newScrapeId ?? (() => crypto.randomUUID());
  const now = deps.now ?? (() => new Date().toISOString());
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
    : async (_c: Context, next: () => Promise<void>) => next();

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
    category: v.optional(v.string("category must be a string")),
  });

  app.post("/scrape", auth, limit, async (c) => {
    const body = await readJsonBody(c, { allowEmpty: true });
    if ("response" in body) return body.response;
    const parsed = v.safeParse(ScrapeBody, body.value ?? {});
    if (!parsed.success) return c.json({ error: "invalid request", details: parsed.issues.map((i) => i.message) }, 400);
    const request: ScrapeRequest = parsed.output;
    if (request.view === "category" && !request.category) {
      return c.json({ error: "invalid request", details: ["the category view needs a category id"] }, 400);
    }
    if (request.view !== "category" && request.category !== undefined) {
      return c.json({ error: "invalid request", details: ["category is only for the category view"] }, 400);
    }

    // no point fetching pages whose offers cannot be delivered
    const readiness = await producer.ready();
    if (!readiness.ok) {
      metrics.errors.inc({ kind: "produce" });
      metrics.scrapes.inc({ site: request.site, view: request.view, outcome: "kafka_unavailable" });
      return c.json({ error: "Kafka unavailable; nothing was scraped or sent", detail: readiness.detail }, 503);
    }

    const scrapeId = newScrapeId();
    let report: ScrapeReport;
    try {
      report = await deps.scrape(request);
    } catch (error) {
      if (error instanceof RangeError) return c.json({ error: "invalid request", details: [error.message] }, 400);
      throw error;
    }
    metrics.pages.inc({ site: request.site }, report.pagesFetched);
    for (const e of report.errors) metrics.errors.inc({ kind: e.kind });
    for (const bad of report.invalid) metrics.offersInvalid.inc({ reason: reasonOf(bad.errors) });

    const messages = report.offers.map((o) =>
      toOfferMessage(o.offer, { scrape_id: scrapeId, scraped_at: o.scrapedAt, source_url: o.sourceUrl })
    );
    const summary: Json = {
      scrape_id: scrapeId,
      site: request.site,
      view: request.view,
      pages_fetched: report.pagesFetched,
      offers: messages.length,
      produced: 0,
      invalid: report.invalid.length,
      invalid_offers: report.invalid,
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
    const items = await readOfferItems(c);
    if ("response" in items) return items.response;

    const scrapedAt = now();
    const valid: OfferMessage[] = [];
    const rejected: Array<{ index: number; errors: string[] }> = [];
    items.value.forEach((item, index) => {
      if ("parseError" in item) {
        rejected.push({ index, errors: [item.parseError] });
        return;
      }
      const withProvenance = isRecord(item.value)
        ? { schema_version: 1, scrape_id: scrapeId, scraped_at: scrapedAt, source_url: item.value.url, ...item.value }
        : item.value;
      const checked = validateOfferMessage(withProvenance);
      if (checked.ok) valid.push(checked.value);
      else rejected.push({ index, errors: checked.errors });
    });
    for (const r of rejected) metrics.offersInvalid.inc({ reason: reasonOf(r.errors) });

    const summary: Json = {
      scrape_id: scrapeId,
      received: items.value.length,
      produced: 0,
      rejected: rejected.length,
      rejected_offers: rejected,
    };
    if (valid.length === 0) {
      return c.json({
        ...summary,
        error: items.value.length ? "no valid offer in the request" : "the request holds no offers",
      }, 422);
    }
    const produced = await produce(c, valid, summary, "ingest");
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

type OfferItem = { value: unknown } | { parseError: string };

/** A JSON array (application/json) or one offer per line (application/x-ndjson). */
async function readOfferItems(c: Context): Promise<BodyResult<OfferItem[]>> {
  if (isMediaType(c, "application/x-ndjson")) {
    const lines = (await c.req.text()).split("\n");
    const items: OfferItem[] = [];
    lines.forEach((line, i) => {
      if (line.trim() === "") return;
      try {
        items.push({ value: JSON.parse(line) });
      } catch (error) {
        items.push({ parseError: `line ${i + 1}: malformed JSON: ${(error as Error).message}` });
      }
    });
    return { value: items };
  }
  const body = await readJsonBody(c, { allowEmpty: false });
  if ("response" in body) {
    if (body.response.status === 415) {
      return {
        response: c.json({ error: "Content-Type must be application/json (an array) or application/x-ndjson" }, 415),
      };
    }
    return body;
  }
  if (!Array.isArray(body.value)) return { response: c.json({ error: "expected a JSON array of offers" }, 400) };
  return { value: body.value.map((value) => ({ value })) };
}

function isMediaType(c: Context, type: string): boolean {
  return (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase() === type;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
