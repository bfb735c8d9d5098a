/**
 * The scrape route's API, described once: each operation with the valibot schema its handler
 * validates the request with (scrapeBodySchema, the offer message, the watch), the schemas of its
 * answers, and examples from the project's own saved deals page. shared/openapi/ turns it into
 * /openapi.json and the /api page; edge/api-doc.test.ts holds it to the app's routes.
 */
import { readFileSync } from "node:fs";
import * as v from "valibot";
import { type ApiInfo, type Operation } from "../shared/openapi/openapi.ts";
import { OfferMessageSchema, toOfferMessage } from "../shared/offer.ts";
import { WatchInputSchema } from "../shared/watch/watch.ts";
import { scrapeBodySchema } from "./scrape-body.ts";
import type { SiteCode } from "../shared/sites.ts";
import { compactCoverage } from "./scraper/coverage.ts";
import { parsePage } from "./scraper/parse-page.ts";

export const ROUTE_API: ApiInfo = {
  title: "ofertas scrape route",
  version: "1",
  description:
    "Scrapes Mercado Libre's deal, search and item pages into offers on Kafka, takes offers scraped elsewhere, and keeps the watches. Write routes need `Authorization: Bearer $OFERTAS_TOKEN` when the route has a token.",
};

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const ErrorSchema = v.looseObject({ error: v.string(), details: v.optional(v.array(v.string())) });
const CoverageSchema = v.object({
  cards: count,
  state: v.nullable(v.string()),
  fields: v.record(v.string(), count),
});
const ScrapeAnswerSchema = v.object({
  scrape_id: v.string(),
  watch_id: v.optional(v.string()),
  site: v.string(),
  view: v.string(),
  pages_fetched: count,
  offers: count,
  produced: count,
  not_produced: v.optional(count),
  invalid: count,
  invalid_offers: v.array(v.looseObject({ errors: v.array(v.string()) })),
  errors: v.array(v.object({ kind: v.string(), page: v.nullable(count), url: v.string(), message: v.string() })),
  coverage: v.nullable(CoverageSchema),
  error: v.optional(v.string()),
});
const OffersAnswerSchema = v.object({
  scrape_id: v.string(),
  received: count,
  produced: count,
  not_produced: v.optional(count),
  rejected: count,
  rejected_offers: v.array(v.looseObject({ errors: v.array(v.string()) })),
  rejected_offers_not_listed: v.optional(count),
  error: v.optional(v.string()),
});
const WatchAnswerSchema = v.looseObject({ id: v.string(), name: v.string(), target: v.looseObject({}) });

/** The offers of the project's own saved deals page, as messages (the examples). */
function savedPageExamples() {
  const url = "https://www.mercadolivre.com.br/ofertas";
  const page = parsePage(readFileSync(new URL("./scraper/fixtures/deals-br.html", import.meta.url), "utf8"), { url });
  const offers = page.cards.flatMap((c) => (c.ok ? [c.offer] : []));
  const scrapeId = "example-scrape-0001";
  const messages = offers.map((o) =>
    toOfferMessage(o, { scrape_id: scrapeId, scraped_at: "2026-12-04T12:00:00.000Z", source_url: url })
  );
  const scrape = {
    scrape_id: "5f9b1c1e-2b7e-4d9a-9d43-8d2b2f0a6c11",
    site: "MLB",
    view: "all",
    pages_fetched: 1,
    offers: offers.length,
    produced: offers.length,
    invalid: 0,
    invalid_offers: [],
    errors: [],
    coverage: compactCoverage(page.coverage),
  };
  return { messages, scrape };
}

export function routeOperations(config: { sites: readonly SiteCode[]; maxPages: number }): Operation[] {
  const { messages, scrape } = savedPageExamples();
  const error = (description: string): { description: string; schema: typeof ErrorSchema } => ({
    description,
    schema: ErrorSchema,
  });
  return [
    {
      method: "get",
      path: "/healthz",
      summary: "Liveness: the process answers.",
      responses: {
        200: { description: "alive", schema: v.object({ status: v.literal("ok") }), example: { status: "ok" } },
      },
    },
    {
      method: "get",
      path: "/readyz",
      summary: "Readiness: Kafka takes acks=all writes; any scraper drift under way is listed, without failing.",
      responses: {
        200: {
          description: "ready",
          schema: v.object({
            status: v.picklist(["ready", "not ready"]),
            kafka: v.string(),
            scraper_drift: v.optional(v.array(v.string())),
          }),
          example: { status: "ready", kafka: "3 brokers, topic deal-of-the-day" },
        },
        503: error("Kafka is not reachable"),
      },
    },
    {
      method: "get",
      path: "/metrics",
      summary: "Prometheus metrics (scrapes, pages, offers, errors, field coverage, drifts).",
      responses: { 200: { description: "text exposition format", contentType: "text/plain" } },
    },
    {
      method: "post",
      path: "/scrape",
      auth: true,
      summary: "Scrape a view of a site (deals, a category, a search, one item) and produce its offers.",
      description:
        "The body may be empty (the first site's deals, one page). The answer counts what was read and sent, lists the cards refused with their reasons, the pages' errors, and the field coverage of the cards.",
      body: {
        description: "what to scrape",
        schema: scrapeBodySchema(config),
        example: { site: config.sites[0], view: "search", query: "cafeteira eletrica", pages: 1 },
      },
      responses: {
        200: { description: "scraped and produced", schema: ScrapeAnswerSchema, example: scrape },
        400: error("a field of the request is wrong (each reason names it)"),
        401: error("no bearer token, or the wrong one"),
        429: error("too many scrapes under way (Retry-After)"),
        502: { description: "the site refused or failed: nothing to produce", schema: ScrapeAnswerSchema },
        503: { description: "Kafka did not take the offers", schema: v.union([ScrapeAnswerSchema, ErrorSchema]) },
      },
    },
    {
      method: "post",
      path: "/offers",
      auth: true,
      summary: "Produce offers scraped elsewhere: a JSON array, or NDJSON (application/x-ndjson).",
      headers: {
        "x-scrape-id": {
          schema: v.string(),
          description: "8-64 characters of [A-Za-z0-9_-]; the same id keeps a retry idempotent",
        },
      },
      body: {
        description: "offers as the topic carries them (shared/offer.ts)",
        schema: v.array(OfferMessageSchema),
        example: messages,
      },
      responses: {
        200: {
          description: "the valid offers produced; the others listed with a reason per field",
          schema: OffersAnswerSchema,
          example: {
            scrape_id: "example-scrape-0001",
            received: messages.length,
            produced: messages.length,
            rejected: 0,
            rejected_offers: [],
          },
        },
        400: error("malformed JSON or NDJSON, or a bad X-Scrape-Id"),
        401: error("no bearer token, or the wrong one"),
        413: error("over the body or offers bound"),
        415: error("another content type"),
        422: { description: "no valid offer", schema: OffersAnswerSchema },
        503: { description: "Kafka did not acknowledge every offer", schema: OffersAnswerSchema },
      },
    },
    {
      method: "get",
      path: "/watches",
      auth: true,
      summary: "The watches, each with its status (last run, next run, back-off).",
      responses: {
        200: { description: "every watch", schema: v.object({ watches: v.array(WatchAnswerSchema) }) },
        503: error("the watches are still being read from Kafka"),
      },
    },
    {
      method: "post",
      path: "/watches/tick",
      auth: true,
      summary: "Run every watch that is due (Cloud Scheduler calls it every minute).",
      responses: {
        200: { description: "what the tick ran", schema: v.looseObject({ tick_id: v.string(), due: count }) },
        503: {
          description: "the watches or Kafka are not available",
          schema: v.looseObject({ unavailable: v.string() }),
        },
      },
    },
    {
      method: "get",
      path: "/watches/:id",
      auth: true,
      summary: "One watch and its status.",
      responses: { 200: { description: "the watch", schema: WatchAnswerSchema }, 404: error("no such watch") },
    },
    {
      method: "put",
      path: "/watches/:id",
      auth: true,
      summary: "Create or replace a watch: a target, a period (every or cron), alert rules.",
      body: {
        description: "the watch (docs/watches.md)",
        schema: WatchInputSchema,
        example: {
          target: { site: "MLB", view: "search", query: "cafeteira eletrica", pages: 1 },
          period: { every: "30m" },
        },
      },
      responses: {
        200: { description: "replaced", schema: WatchAnswerSchema },
        201: { description: "created", schema: WatchAnswerSchema },
        400: error("a field of the watch is wrong (each reason names it)"),
        422: error("the watch does not fit the deployment's bounds"),
      },
    },
    {
      method: "delete",
      path: "/watches/:id",
      auth: true,
      summary: "Stop following a watch.",
      responses: {
        200: { description: "deleted", schema: v.object({ deleted: v.string() }) },
        404: error("no such watch"),
      },
    },
    {
      method: "get",
      path: "/openapi.json",
      summary: "This description (OpenAPI 3.1).",
      responses: { 200: { description: "the document" } },
    },
    {
      method: "get",
      path: "/api",
      summary: "This description as a page.",
      responses: { 200: { description: "HTML", contentType: "text/html" } },
    },
  ];
}
