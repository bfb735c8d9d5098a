/**
 * The one source of truth for an offer, in three shapes:
 *
 *  - ScrapedOffer: what the scraper extracts from one card of a deals/search page;
 *  - OfferMessage: what travels on the Kafka topic (the offer plus scrape provenance);
 *  - WarehouseRow: one row of the BigQuery table `daily_offers` (see DAILY_OFFERS_COLUMNS).
 *
 * Money is a two-place decimal string everywhere (see money.ts). Every issue a schema
 * reports carries the field's path; `describeIssues` turns them into "field: problem".
 */
import * as v from "valibot";
import {
  boundedInt,
  cleanString,
  dealEndTimestamp,
  httpsUrl,
  imageUrl,
  money,
  optionalText,
  scrapedAtTimestamp,
  siteCode,
  utcTimestamp,
  watchId,
} from "./contract-fields.ts";
import { hostOfPlainHttpsUrl, MAX_POSITION, MAX_REVIEWS } from "./contract-fields.ts";
import { type Money, moneyToCents } from "./money.ts";
import { currenciesOf, isHostOfSite, SITE_CODES, type SiteCode } from "./sites.ts";
import { hexPrefix, sha256, sha256Sync } from "./sha256.ts";

export const SCHEMA_VERSION = 1 as const;
export const MAX_TITLE_LENGTH = 500;

// What callers imported from here before the field schemas had their own module.
export {
  EARLIEST_TIMESTAMP,
  FUTURE_SKEW_MS,
  hostOfPlainHttpsUrl,
  isPlainHttpsUrl,
  isWellFormedText,
  LATEST_DEAL_END,
  MAX_POSITION,
  MAX_REVIEWS,
  MAX_URL_LENGTH,
} from "./contract-fields.ts";

export const InstallmentsSchema = v.strictObject({
  count: v.pipe(
    v.number("must be a number"),
    v.integer("must be an integer"),
    v.minValue(1, "must be at least 1"),
    v.maxValue(120, "must be at most 120"),
  ),
  amount: money,
  interest_free: v.boolean("must be true or false"),
});
export type Installments = v.InferOutput<typeof InstallmentsSchema>;

/** Fields of one offer as the scraper sees it on a card. Absent optional parts are null/false. */
const SCRAPED_OFFER_ENTRIES = {
  site: siteCode,
  item_id: v.pipe(v.string("must be a string"), v.regex(/^[A-Z]{3}\d{5,15}$/, 'must look like "MLB5419371492"')),
  product_id: v.optional(
    v.nullable(v.pipe(v.string(), v.regex(/^[A-Z]{3}\d{3,15}$/, 'must look like "MLB22246671"'))),
    null,
  ),
  user_product_id: v.optional(
    v.nullable(v.pipe(v.string(), v.regex(/^[A-Z]{3}U\d{3,15}$/, 'must look like "MLBU3454994034"'))),
    null,
  ),
  title: v.pipe(
    cleanString(),
    v.trim(),
    v.minLength(1, "must not be empty"),
    v.maxLength(MAX_TITLE_LENGTH, `must be at most ${MAX_TITLE_LENGTH} characters`),
  ),
  url: httpsUrl,
  image_url: v.optional(v.nullable(imageUrl), null),
  price: money,
  original_price: v.optional(v.nullable(money), null),
  discount_pct: v.optional(
    v.nullable(
      v.pipe(
        v.number("must be a number"),
        v.integer("must be an integer"),
        v.minValue(0, "must be between 0 and 99"),
        v.maxValue(99, "must be between 0 and 99"),
      ),
    ),
    null,
  ),
  currency: v.pipe(v.string("must be a string"), v.regex(/^[A-Z]{3}$/, "must be an ISO-4217 code like BRL")),
  installments: v.optional(v.nullable(InstallmentsSchema), null),
  free_shipping: v.optional(v.boolean("must be true or false"), false),
  full: v.optional(v.boolean("must be true or false"), false),
  seller: optionalText(200),
  official_store: v.optional(v.boolean("must be true or false"), false),
  brand: optionalText(200),
  rating: v.optional(
    v.nullable(
      v.pipe(
        v.number("must be a number"),
        v.minValue(0, "must be between 0 and 5"),
        v.maxValue(5, "must be between 0 and 5"),
      ),
    ),
    null,
  ),
  reviews: v.optional(v.nullable(boundedInt("reviews", 0, MAX_REVIEWS)), null),
  label: optionalText(100),
  lightning_end: v.optional(v.nullable(dealEndTimestamp), null),
  coupon: optionalText(200),
  sponsored: v.optional(v.boolean("must be true or false"), false),
  /** Where the card was on its page; null for an observation read from the item's own page. */
  position: v.nullable(boundedInt("position", 1, MAX_POSITION)),
  page: v.nullable(v.pipe(
    v.number("must be a number"),
    v.integer("must be an integer"),
    v.minValue(1, "must be at least 1"),
    v.maxValue(1000, "must be at most 1000"),
  )),
};

// ------------------------------------------------------------- cross-field rules

type OfferCore = {
  site: SiteCode;
  item_id: string;
  url: string;
  price: Money;
  original_price: Money | null;
  discount_pct: number | null;
  currency: string;
  source_url?: string;
};

/** Without a claimed discount a price above the struck one is only odd; this far above it is a misread. */
export const MAX_PRICE_OVER_ORIGINAL = 10;

const CURRENCIES = Object.fromEntries(SITE_CODES.map((s) => [s, new Set(currenciesOf(s))])) as Record<
  SiteCode,
  Set<string>
>;

/** Rules that relate fields. Each names the field that is wrong. */
export function crossFieldProblems(o: OfferCore): Array<{ field: keyof OfferCore; message: string }> {
  const problems: Array<{ field: keyof OfferCore; message: string }> = [];
  if (!o.item_id.startsWith(o.site)) {
    problems.push({ field: "item_id", message: `must start with the site code ${o.site}` });
  }
  if (!CURRENCIES[o.site].has(o.currency)) {
    problems.push({ field: "currency", message: `${o.currency} is not a currency of site ${o.site}` });
  }
  if (!isHostOfSite(hostOfPlainHttpsUrl(o.url) ?? "", o.site)) {
    problems.push({ field: "url", message: `must be on the ${o.site} site's own domain` });
  }
  if (o.source_url !== undefined && !isHostOfSite(hostOfPlainHttpsUrl(o.source_url) ?? "", o.site)) {
    problems.push({ field: "source_url", message: `must be on the ${o.site} site's own domain` });
  }
  if (o.original_price !== null) {
    const price = moneyToCents(o.price);
    const original = moneyToCents(o.original_price);
    if (original === 0) {
      problems.push({ field: "original_price", message: "must be above 0.00 (a struck-through price of nothing)" });
    } else if (o.discount_pct !== null && price > original) {
      problems.push({
        field: "price",
        message:
          `${o.price} is above original_price ${o.original_price} although a ${o.discount_pct}% discount is claimed`,
      });
    } else if (price > original * MAX_PRICE_OVER_ORIGINAL) {
      problems.push({
        field: "price",
        message: `${o.price} is more than ${MAX_PRICE_OVER_ORIGINAL}× original_price ${o.original_price}`,
      });
    }
  }
  return problems;
}

/** A pipe step that reports crossFieldProblems at the offending field's path. */
function offerRules<T extends OfferCore>() {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const offer = dataset.value;
    for (const { field, message } of crossFieldProblems(offer)) {
      addIssue({
        message,
        path: [{
          type: "object",
          origin: "value",
          input: offer as Record<string, unknown>,
          key: field,
          value: offer[field],
        }],
      });
    }
  });
}

const ScrapedOfferObject = v.strictObject(SCRAPED_OFFER_ENTRIES);
export const ScrapedOfferSchema = v.pipe(ScrapedOfferObject, offerRules<v.InferOutput<typeof ScrapedOfferObject>>());
export type ScrapedOffer = v.InferOutput<typeof ScrapedOfferSchema>;
/** What a producer may send: optional parts may be left out. */
export type ScrapedOfferInput = v.InferInput<typeof ScrapedOfferSchema>;

// ------------------------------------------------------------------ Kafka message

export const SCRAPE_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

const OfferMessageObject = v.strictObject({
  schema_version: v.literal(SCHEMA_VERSION, `must be ${SCHEMA_VERSION}`),
  scrape_id: v.pipe(
    v.string("must be a string"),
    v.regex(SCRAPE_ID_PATTERN, "must be 8-64 characters of [A-Za-z0-9_-]"),
  ),
  scraped_at: scrapedAtTimestamp,
  source_url: httpsUrl,
  /** The watch whose run found the offer (shared/watch/); null for an ad-hoc scrape or ingest. */
  watch_id: v.optional(v.nullable(watchId), null),
  ...SCRAPED_OFFER_ENTRIES,
});
/** Every field a message may have: the closed set of metric labels for invalid offers. */
export const FIELD_NAMES = Object.keys(OfferMessageObject.entries) as Array<keyof typeof OfferMessageObject.entries>;
export type FieldName = (typeof FIELD_NAMES)[number];

export const OfferMessageSchema = v.pipe(OfferMessageObject, offerRules<v.InferOutput<typeof OfferMessageObject>>());
export type OfferMessage = v.InferOutput<typeof OfferMessageSchema>;

export interface ScrapeContext {
  scrape_id: string;
  scraped_at: string;
  source_url: string;
  watch_id?: string | null;
}

export function toOfferMessage(offer: ScrapedOffer, ctx: ScrapeContext): OfferMessage {
  return { schema_version: SCHEMA_VERSION, ...ctx, watch_id: ctx.watch_id ?? null, ...offer };
}

// ----------------------------------------------------------------- warehouse row

// The names the BigQuery API returns (INT64 comes back as INTEGER), so Terraform sees no diff.
type BigQueryType = "STRING" | "INTEGER" | "NUMERIC" | "FLOAT" | "BOOLEAN" | "DATE" | "TIMESTAMP";

interface Column<S extends v.GenericSchema> {
  readonly type: BigQueryType;
  readonly mode: "REQUIRED" | "NULLABLE";
  readonly schema: S;
  readonly description: string;
}

const required = <S extends v.GenericSchema>(type: BigQueryType, schema: S, description: string): Column<S> => ({
  type,
  mode: "REQUIRED",
  schema,
  description,
});
const nullable = <S extends v.GenericSchema>(
  type: BigQueryType,
  schema: S,
  description: string,
): Column<v.NullableSchema<S, undefined>> => ({
  type,
  mode: "NULLABLE",
  schema: v.nullable(schema),
  description,
});

const isoDate = v.pipe(v.string(), v.isoDate("must be a YYYY-MM-DD date"));
const int = v.pipe(v.number("must be a number"), v.integer("must be an integer"));
const signedDecimal = v.pipe(v.string(), v.regex(/^-?\d{1,13}\.\d{2}$/, "must be a decimal string with two places"));

/**
 * Columns of `daily_offers`, in table order. The BigQuery JSON schema, the row schema
 * below and the local warehouse's DDL are all generated from this list.
 */
export const DAILY_OFFERS_COLUMNS = {
  offer_key: required(
    "STRING",
    v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/)),
    "Deterministic id of this observation: hash of site, item_id, scrape_id, page, position. Loads are idempotent on it.",
  ),
  offer_date: required("DATE", isoDate, "Partition column: calendar date of scraped_at in America/Sao_Paulo."),
  scraped_at: required("TIMESTAMP", utcTimestamp, "When the page was fetched (UTC)."),
  ingested_at: required("TIMESTAMP", utcTimestamp, "When the batch consumer wrote the row (UTC)."),
  scrape_id: required("STRING", v.string(), "Id of the scrape run that saw the offer."),
  schema_version: required("INTEGER", int, "Version of the Kafka message contract."),
  source_url: required("STRING", v.string(), "Page the offer was scraped from."),
  site: required(
    "STRING",
    siteCode,
    "Mercado Livre site code (MLB Brazil, MLA Argentina, MLM Mexico, MCO Colombia, MLC Chile, MPE Peru, MLU Uruguay).",
  ),
  item_id: required("STRING", v.string(), "Sold item id, e.g. MLB5419371492."),
  product_id: nullable("STRING", v.string(), "Catalog product id (/p/ links), e.g. MLB22246671."),
  user_product_id: nullable("STRING", v.string(), "User-product id (/up/ links), e.g. MLBU3454994034."),
  title: required("STRING", v.string(), "Card title."),
  url: required("STRING", v.string(), "Canonical item URL (tracking query and fragment removed)."),
  image_url: nullable("STRING", v.string(), "Card image URL."),
  currency: required("STRING", v.string(), "ISO-4217 currency of the prices."),
  price: required(
    "NUMERIC",
    signedDecimal,
    "Current price shown on the card (the Pix price when the discount says 'no Pix').",
  ),
  original_price: nullable("NUMERIC", signedDecimal, "Struck-through previous price shown on the card."),
  discount_pct: nullable("INTEGER", int, "Discount percent as displayed on the card."),
  computed_discount_pct: nullable(
    "NUMERIC",
    signedDecimal,
    "Discount recomputed from price and original_price, two places.",
  ),
  installments_count: nullable("INTEGER", int, "Number of installments offered."),
  installment_amount: nullable("NUMERIC", signedDecimal, "Amount of one installment."),
  installments_interest_free: nullable("BOOLEAN", v.boolean(), "Whether the installments are interest-free."),
  free_shipping: required("BOOLEAN", v.boolean(), "Card announces free shipping."),
  full_fulfilment: required("BOOLEAN", v.boolean(), "Shipped by Mercado Livre Full."),
  seller: nullable("STRING", v.string(), "Seller / store name."),
  official_store: required("BOOLEAN", v.boolean(), "Seller is an official store."),
  brand: nullable("STRING", v.string(), "Brand shown on the card."),
  rating: nullable("FLOAT", v.number(), "Average rating 0-5."),
  reviews: nullable("INTEGER", int, "Number of reviews."),
  label: nullable("STRING", v.string(), "Highlight label, e.g. OFERTA DO DIA, OFERTA RELÂMPAGO."),
  lightning_end: nullable("TIMESTAMP", utcTimestamp, "End of a lightning deal (UTC)."),
  coupon: nullable("STRING", v.string(), "Coupon text, e.g. 'Cupom R$ 30 OFF'."),
  sponsored: required("BOOLEAN", v.boolean(), "Card is an ad."),
  position: nullable("INTEGER", int, "1-based position of the card on its page (null: read from the item's own page)."),
  page: nullable("INTEGER", int, "1-based page number (null: read from the item's own page)."),
  kafka_topic: required("STRING", v.string(), "Kafka topic the message was read from."),
  kafka_partition: required("INTEGER", int, "Kafka partition of the message."),
  kafka_offset: required("INTEGER", int, "Kafka offset of the message."),
  // added after the first release: last, where ALTER TABLE puts it on tables that predate it
  watch_id: nullable("STRING", v.string(), "Watch whose scheduled run found the offer; null for ad-hoc scrapes."),
} as const;

export type DailyOffersColumn = keyof typeof DAILY_OFFERS_COLUMNS;

type RowEntries = { [K in DailyOffersColumn]: (typeof DAILY_OFFERS_COLUMNS)[K]["schema"] };
const rowEntries = Object.fromEntries(
  Object.entries(DAILY_OFFERS_COLUMNS).map(([name, column]) => [name, column.schema]),
) as RowEntries;

export const WarehouseRowSchema = v.strictObject(rowEntries);
export type WarehouseRow = v.InferOutput<typeof WarehouseRowSchema>;

/** Table layout shared by BigQuery, Terraform and the local warehouse. */
export const DAILY_OFFERS_TABLE = {
  name: "daily_offers",
  partitionField: "offer_date",
  clusteringFields: ["site", "item_id"],
} as const satisfies {
  name: string;
  partitionField: DailyOffersColumn;
  clusteringFields: readonly DailyOffersColumn[];
};

/** A column of a BigQuery JSON schema (rendered by shared/tables.ts). */
export interface BigQueryField {
  name: string;
  type: BigQueryType;
  mode: "REQUIRED" | "NULLABLE";
  description: string;
}

// ---------------------------------------------------------------------- errors

/** One problem: the field at fault (a closed set, safe as a metric label) and "path: problem". */
export interface Problem {
  field: FieldName | "unknown_field" | "offer";
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: string[]; problems: Problem[] };

/** At most this many problems are described per offer; the rest are counted. */
export const MAX_PROBLEMS_PER_OFFER = 10;
const MAX_PATH_SHOWN = 60;

/** "field.path: problem" for every issue, so a caller always learns which field is wrong. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[], max = MAX_PROBLEMS_PER_OFFER): Problem[] {
  const problems = issues.slice(0, max).map((issue): Problem => {
    const fullPath = v.getDotPath(issue) ?? "(offer)";
    // a hostile key may be megabytes long: never echo it whole
    const path = fullPath.length > MAX_PATH_SHOWN ? `${fullPath.slice(0, MAX_PATH_SHOWN)}…` : fullPath;
    const top = issue.path?.[0]?.key;
    const known = typeof top === "string" && (FIELD_NAMES as readonly string[]).includes(top);
    if (issue.kind === "schema" && issue.expected === "never") {
      return { field: known ? (top as FieldName) : "unknown_field", message: `${path}: unknown field` };
    }
    const field = known ? (top as FieldName) : issue.path ? "unknown_field" : "offer";
    if (issue.kind === "schema" && issue.received === "undefined" && issue.expected?.startsWith('"')) {
      return { field, message: `${path}: is required` };
    }
    return { field, message: `${path}: ${issue.message}` };
  });
  if (issues.length > MAX_PROBLEMS_PER_OFFER) {
    problems.push({
      field: "offer",
      message: `(offer): ${issues.length - MAX_PROBLEMS_PER_OFFER} more problem(s) not shown`,
    });
  }
  return problems;
}

function validate<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  maxProblems = MAX_PROBLEMS_PER_OFFER,
): ValidationResult<v.InferOutput<S>> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  const problems = describeIssues(result.issues, maxProblems);
  return { ok: false, errors: problems.map((p) => p.message), problems };
}

export const validateScrapedOffer = (input: unknown) => validate(ScrapedOfferSchema, input);
export const validateOfferMessage = (input: unknown) => validate(OfferMessageSchema, input);
export const validateWarehouseRow = (input: unknown) => validate(WarehouseRowSchema, input, Infinity);

// -------------------------------------------------------------------- identity

type KeyFields = Pick<OfferMessage, "site" | "item_id" | "scrape_id" | "page" | "position">;

const identityOf = (m: KeyFields) => [m.site, m.item_id, m.scrape_id, m.page, m.position].join("|");

/**
 * Deterministic id of one observation of an offer: the same message always gets the same
 * key, so re-delivered or re-loaded messages collapse into one row. 128 bits of SHA-256.
 */
export async function offerKey(m: KeyFields): Promise<string> {
  return hexPrefix(await sha256(identityOf(m)), 16);
}

/** offerKey without an await, where the runtime hashes synchronously (Bun); null elsewhere. */
export function offerKeySync(m: KeyFields): string | null {
  return sha256Sync ? hexPrefix(sha256Sync(identityOf(m)), 16) : null;
}
