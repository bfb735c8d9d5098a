/**
 * WarehouseRow: one row of `daily_offers`, in table order (DAILY_OFFERS_COLUMNS). The BigQuery
 * JSON schema, the row schema and the local warehouse's DDL are all generated from the columns.
 */
import * as v from "valibot";
import { KAFKA_COLUMNS, nullable, required, rowSchemaOf } from "./column.ts";
import { siteCode, utcTimestamp } from "./fields.ts";
import { validate } from "./issues.ts";
import { POWER_SELLER_LEVELS, REPUTATION_LEVELS } from "./seller.ts";

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
  ...KAFKA_COLUMNS,
  // added after the first release: last, where ALTER TABLE puts it on tables that predate it
  watch_id: nullable("STRING", v.string(), "Watch whose scheduled run found the offer; null for ad-hoc scrapes."),
  watch_run: nullable(
    "INTEGER",
    v.pipe(v.number(), v.integer(), v.minValue(1)),
    "Number of the watch's run that found the offer (1: its first run); null for ad-hoc scrapes and ingests.",
  ),
  seller_reputation: nullable(
    "STRING",
    v.picklist(REPUTATION_LEVELS),
    "Seller's reputation thermometer where the page showed it (an item's own page): 1_red … 5_green.",
  ),
  seller_power_status: nullable(
    "STRING",
    v.picklist(POWER_SELLER_LEVELS),
    "Seller's MercadoLíder level where the page showed it: silver, gold or platinum.",
  ),
} as const;

type DailyOffersColumn = keyof typeof DAILY_OFFERS_COLUMNS;

const WarehouseRowSchema = rowSchemaOf(DAILY_OFFERS_COLUMNS);
export type WarehouseRow = v.InferOutput<typeof WarehouseRowSchema>;

const COLUMN_NAMES = Object.keys(DAILY_OFFERS_COLUMNS) as DailyOffersColumn[];
/** Every problem is described: a row the consumer built and cannot load is a bug to see whole. */
export const validateWarehouseRow = (input: unknown) => validate(WarehouseRowSchema, COLUMN_NAMES, input, Infinity);

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
