/**
 * The web view's API, described once (its JSON, CSV and Atom answers, and its pages): the query
 * parameters the handlers accept and the schemas of what they answer, with examples worked out
 * from the project's own saved deals page. shared/openapi/ turns it into /openapi.json and /api;
 * web/api-doc.test.ts holds it to the app's routes.
 */
import * as v from "valibot";
import type { ApiInfo, Operation } from "../shared/openapi/openapi.ts";
import { SITE_CODES } from "../shared/sites.ts";
import { VERDICTS } from "./deals.ts";
import { DealsQuery } from "./deals-query.ts";
import { ItemQuery } from "./item-query.ts";
import { ItemsQuery } from "./items-query.ts";
import { queryParameters } from "./query-params.ts";
import { productOperations } from "./product-api-doc.ts";

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const day = v.pipe(v.string(), v.isoDate());
const decimal = v.pipe(v.string(), v.regex(/^-?\d+\.\d{2}$/));
const ErrorPage = { description: "a parameter is wrong (the page says which)", contentType: "text/html" };
const ErrorJson = {
  description: "a parameter is wrong (the error says which)",
  schema: v.object({ error: v.string() }),
};
const TooMany = {
  description:
    "too many new questions from this client (or from all): answers already computed are still served; see Retry-After",
  contentType: "text/html",
};
const TooManyJson = { ...TooMany, contentType: undefined, schema: v.object({ error: v.string() }) };
const Unavailable = {
  description:
    "the warehouse could not be read, or the question is over the view's BigQuery bounds (the page says which)",
  contentType: "text/html",
};
const UnavailableJson = { ...Unavailable, contentType: undefined, schema: v.object({ error: v.string() }) };
const pageErrors = { 400: ErrorPage, 429: TooMany, 503: Unavailable };
const jsonErrors = { 400: ErrorJson, 429: TooManyJson, 503: UnavailableJson };

const DealSchema = v.object({
  site: v.picklist(SITE_CODES),
  item_id: v.string(),
  title: v.nullable(v.string()),
  currency: v.nullable(v.string()),
  price: decimal,
  original_price: v.nullable(decimal),
  displayed_discount_pct: count,
  history_days: count,
  min_price_30d: v.nullable(decimal),
  max_price_30d: v.nullable(decimal),
  real_discount_pct: v.nullable(decimal),
  verdict: v.picklist(VERDICTS),
  reason: v.nullable(v.string()),
  url: v.string(),
  image_url: v.nullable(v.string()),
  label: v.nullable(v.string()),
  watch_ids: v.array(v.string()),
  product_id: v.optional(v.nullable(v.string())),
  seller: v.optional(v.nullable(v.string())),
  official_store: v.optional(v.boolean()),
  seller_reputation: v.optional(v.nullable(v.string())),
  seller_power_status: v.optional(v.nullable(v.string())),
});

const DealsAnswerSchema = v.object({
  date: day,
  data_version: v.string(),
  as_of: v.string(),
  updating: v.boolean(),
  total: count,
  counts: v.record(v.string(), count),
  page: count,
  pages: count,
  deals: v.array(DealSchema),
});

const ItemMatchSchema = v.object({
  site: v.string(),
  item_id: v.string(),
  last_day: day,
  title: v.nullable(v.string()),
  currency: v.nullable(v.string()),
  url: v.nullable(v.string()),
  last_price: v.nullable(decimal),
  min_price: v.nullable(decimal),
  days_seen: count,
  verdict: v.nullable(v.picklist(VERDICTS)),
});

const ItemsAnswerSchema = v.object({
  q: v.string(),
  site: v.nullable(v.string()),
  first: day,
  last: day,
  items: v.array(ItemMatchSchema),
  total: count,
  page: count,
  pages: count,
  problem: v.null(),
});

const HistoryAnswerSchema = v.object({
  site: v.string(),
  item_id: v.string(),
  date: day,
  min_price_30d: v.nullable(decimal),
  verdict: v.nullable(v.picklist(VERDICTS)),
  product_id: v.optional(v.nullable(v.string())),
  points: v.array(v.object({
    offer_date: day,
    min_price: decimal,
    max_price: decimal,
    last_price: decimal,
    original_price: v.nullable(decimal),
    displayed_discount_pct: v.nullable(count),
    labels: v.array(v.string()),
  })),
  alerts: v.array(v.looseObject({ alert_id: v.string(), kind: v.string() })),
});

// the handlers' own schemas (web/query-params.ts reads them): what is described is what is accepted
const dealsQuery = queryParameters(DealsQuery);
const itemsQuery = queryParameters(ItemsQuery);
const itemQuery = queryParameters(ItemQuery);

/**
 * A deal of the project's saved deals page (edge/scraper/fixtures/deals-br.html) as the view
 * answers it: the card's price, "original", link and picture; its 30-day history made up.
 */
const EXAMPLE_DEAL = {
  site: "MLB",
  item_id: "MLB5419371492",
  title: "Cafeteira Elétrica 1,2 L",
  currency: "BRL",
  price: "149.00",
  original_price: "199.00",
  displayed_discount_pct: 25,
  history_days: 21,
  min_price_30d: "189.00",
  max_price_30d: "199.00",
  real_discount_pct: "21.16",
  verdict: "real",
  reason: null,
  url: "https://www.mercadolivre.com.br/cafeteira/up/MLBU3454994034",
  image_url: "https://http2.mlstatic.com/D_Q_NP_2X_333333-MLB3_012026-AB.webp",
  label: null,
  watch_ids: [],
};

const page = (path: string, summary: string, query?: Operation["query"]): Operation => ({
  method: "get",
  path,
  summary,
  query,
  responses: { 200: { description: "HTML", contentType: "text/html" }, ...pageErrors },
});

export const WEB_API: ApiInfo = {
  title: "ofertas web view",
  version: "1",
  description:
    "Read-only: a day's offers ranked by their real discount (verdicts from the scheduled queries' SQL), items found by name, an item's price history, the watches and their alerts. Every page works without script.",
};

export const WEB_OPERATIONS: Operation[] = [
  page("/", "A day's offers ranked by real discount, with filters and pages.", dealsQuery),
  {
    method: "get",
    path: "/api/deals",
    summary: "The same list as JSON, with the data version it answers from.",
    description:
      "`updating` is true while newer data is being read: the list is the previous one, as of `as_of`. An empty list is never answered while newer data is read.",
    query: dealsQuery,
    responses: {
      200: {
        description: "a page of the day's offers",
        schema: DealsAnswerSchema,
        example: {
          date: "2026-12-04",
          data_version: "1796417352000:2633728",
          as_of: "2026-12-04T12:00:05.000Z",
          updating: false,
          total: 1,
          counts: { real: 1 },
          page: 1,
          pages: 1,
          deals: [EXAMPLE_DEAL],
        },
      },
      ...jsonErrors,
    },
  },
  {
    method: "get",
    path: "/deals.csv",
    summary: "The same list as CSV (every match, no pages).",
    query: dealsQuery,
    responses: { 200: { description: "CSV", contentType: "text/csv" }, ...pageErrors },
  },
  page("/items", "Items found by words of their titles over the last 30 days.", itemsQuery),
  {
    method: "get",
    path: "/api/items",
    summary: "Items found by words of their titles over the last 30 days, as JSON.",
    query: itemsQuery,
    responses: {
      200: {
        description: "a page of the items found, most recently seen first",
        schema: ItemsAnswerSchema,
        example: {
          q: "cafeteira elétrica",
          site: null,
          first: "2026-11-05",
          last: "2026-12-04",
          items: [{
            site: "MLB",
            item_id: "MLB5419371492",
            last_day: "2026-12-04",
            title: "Cafeteira Elétrica 1,2 L",
            currency: "BRL",
            url: EXAMPLE_DEAL.url,
            last_price: "149.00",
            min_price: "149.00",
            days_seen: 3,
            verdict: "real",
          }],
          total: 1,
          page: 1,
          pages: 1,
          problem: null,
        },
      },
      ...jsonErrors,
      400: { description: "a parameter is wrong: no word, or too many, …", schema: v.object({ error: v.string() }) },
    },
  },
  page("/items/:site/:id", "One item's price history: the chart and the table.", itemQuery),
  ...productOperations({ pageErrors, jsonErrors, query: itemQuery, decimal, count }),
  {
    method: "get",
    path: "/api/items/:site/:id/history",
    summary: "One item's price history as JSON, with its verdict that day and its alerts.",
    query: itemQuery,
    responses: {
      200: {
        description: "the history",
        schema: HistoryAnswerSchema,
        example: {
          site: "MLB",
          item_id: "MLB5419371492",
          date: "2026-12-04",
          min_price_30d: "189.00",
          verdict: "real",
          points: [{
            offer_date: "2026-12-04",
            min_price: "149.00",
            max_price: "149.00",
            last_price: "149.00",
            original_price: "199.00",
            displayed_discount_pct: 25,
            labels: [],
          }],
          alerts: [],
        },
      },
      ...jsonErrors,
    },
  },
  {
    method: "get",
    path: "/watches",
    summary: "The watches: what each follows, its last and next run, its alerts of the week.",
    responses: {
      200: { description: "HTML", contentType: "text/html" },
      429: TooMany,
      503: { description: "the watches are still being read from Kafka (see Retry-After)", contentType: "text/html" },
    },
  },
  {
    method: "get",
    path: "/api/watches",
    summary: "The watches as JSON, each with its recent alerts.",
    responses: {
      200: {
        description: "every watch",
        schema: v.object({ watches: v.array(v.looseObject({ id: v.string(), recent_alerts: v.array(v.unknown()) })) }),
      },
      429: TooManyJson,
      503: {
        description:
          "the watches are still being read from Kafka (see Retry-After), or the warehouse could not be read",
        schema: v.object({ error: v.string() }),
      },
    },
  },
  {
    method: "get",
    path: "/alerts.atom",
    summary: "Every alert of the last 30 days, as an Atom feed.",
    responses: { 200: { description: "Atom", contentType: "application/atom+xml" }, 429: TooMany, 503: Unavailable },
  },
  {
    method: "get",
    path: "/watches/:id/alerts.atom",
    summary: "A watch's alerts of the last 30 days, as an Atom feed.",
    responses: {
      200: { description: "Atom", contentType: "application/atom+xml" },
      ...pageErrors,
      503: {
        description: "the watches are still being read (see Retry-After), or the warehouse could not be read",
        contentType: "text/html",
      },
    },
  },
  {
    method: "get",
    path: "/healthz",
    summary: "Liveness.",
    responses: {
      200: { description: "alive", schema: v.object({ status: v.literal("ok") }), example: { status: "ok" } },
    },
  },
  {
    method: "get",
    path: "/static/style.css",
    summary: "The pages' one stylesheet.",
    responses: { 200: { description: "CSS", contentType: "text/css" } },
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
