/**
 * The contract for a product's details, read from the item's own page (edge/scraper/product/):
 *
 *  - ProductDetails: what the product-page parser extracts;
 *  - DetailsMessage: what travels on the `product-details` topic, keyed by the item id of the
 *    offer that asked for it (the page of a catalog product may show another item winning the
 *    buy box: that one is `shown_item_id`);
 *  - the row of `product_details` (PRODUCT_DETAILS_COLUMNS): one per item per São Paulo day,
 *    loads idempotent on details_key.
 *
 * Field schemas are the offer contract's (shared/contract-fields.ts): the same text, money,
 * URL and integer rules.
 */
import * as v from "valibot";
import {
  boundedInt,
  cleanString,
  httpsUrl,
  money,
  optionalText,
  scrapedAtTimestamp,
  siteCode,
} from "./contract-fields.ts";
import { hostOfPlainHttpsUrl } from "./contract-fields.ts";
import { isHostOfSite } from "./sites.ts";
import { offerDate } from "./timestamp.ts";

export const DETAILS_SCHEMA_VERSION = 1 as const;

/** Bounds of what one page may carry (real pages: 3,100-character descriptions, 72 specification rows). */
export const MAX_DESCRIPTION_LENGTH = 50_000;
export const MAX_ATTRIBUTES = 500;
export const MAX_CATEGORY_DEPTH = 20;

export const CONDITIONS = ["new", "used", "refurbished"] as const;
/**
 * Whose name seller_name is: an official store's, the store name of another shop, or an ordinary
 * seller's nickname (often generated: its seller links say `typeSeller=classic`), which is no store.
 */
export const SELLER_NAME_KINDS = ["official_store_name", "store_name", "nickname"] as const;
export const PRODUCT_PAGE_KINDS = ["product", "unavailable_product"] as const;

const text = (max: number) =>
  v.pipe(
    cleanString(),
    v.trim(),
    v.minLength(1, "must not be empty"),
    v.maxLength(max, `must be at most ${max} characters`),
  );
const nullableId = (pattern: RegExp, example: string) =>
  v.nullable(v.pipe(v.string("must be a string"), v.regex(pattern, `must look like "${example}"`)));

export const AttributeSchema = v.strictObject({ name: text(200), value: text(2_000) });
export type Attribute = v.InferOutput<typeof AttributeSchema>;

const DETAILS_ENTRIES = {
  site: siteCode,
  /** The item the page shows (the buy-box winner of a catalog page); null when none is for sale. */
  shown_item_id: nullableId(/^[A-Z]{3}\d{5,15}$/, "MLB5419371492"),
  product_id: nullableId(/^[A-Z]{3}\d{3,15}$/, "MLB1027172671"),
  user_product_id: nullableId(/^[A-Z]{3}U\d{3,15}$/, "MLBU3454994034"),
  title: text(500),
  canonical_url: v.nullable(httpsUrl),
  price: v.nullable(money),
  original_price: v.nullable(money),
  currency: v.nullable(v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, "must be an ISO-4217 code like BRL"))),
  available: v.boolean("must be true or false"),
  condition: v.nullable(v.picklist(CONDITIONS, `must be one of ${CONDITIONS.join(", ")}`)),
  sold_quantity_text: optionalText(100),
  sold_quantity_min: v.nullable(boundedInt("sold_quantity_min", 0, 1e12)),
  available_quantity: v.nullable(boundedInt("available_quantity", 0, 1e9)),
  available_quantity_text: optionalText(100),
  seller_name: optionalText(200),
  seller_name_kind: v.nullable(v.picklist(SELLER_NAME_KINDS, `must be one of ${SELLER_NAME_KINDS.join(", ")}`)),
  official_store: v.nullable(v.boolean("must be true or false")),
  rating: v.nullable(v.pipe(v.number("must be a number"), v.minValue(0), v.maxValue(5, "must be at most 5"))),
  reviews: v.nullable(boundedInt("reviews", 0, 1e9)),
  category_id: nullableId(/^[A-Z]{3}\d{1,15}$/, "MLB1055"),
  category_path: v.nullable(v.pipe(v.array(text(200)), v.maxLength(MAX_CATEGORY_DEPTH, "too many categories"))),
  description: v.nullable(text(MAX_DESCRIPTION_LENGTH)),
  attributes: v.nullable(v.pipe(v.array(AttributeSchema), v.maxLength(MAX_ATTRIBUTES, "too many attributes"))),
  images: v.nullable(boundedInt("images", 0, 1_000)),
};

export const ProductDetailsSchema = v.strictObject(DETAILS_ENTRIES);
export type ProductDetails = v.InferOutput<typeof ProductDetailsSchema>;

const DetailsMessageObject = v.strictObject({
  schema_version: v.literal(DETAILS_SCHEMA_VERSION, `must be ${DETAILS_SCHEMA_VERSION}`),
  /** The offer's item: the message key and the join with daily_offers. */
  item_id: v.pipe(v.string("must be a string"), v.regex(/^[A-Z]{3}\d{5,15}$/, 'must look like "MLB5419371492"')),
  page_url: httpsUrl,
  page_kind: v.picklist(PRODUCT_PAGE_KINDS, `must be one of ${PRODUCT_PAGE_KINDS.join(", ")}`),
  fetched_at: scrapedAtTimestamp,
  ...DETAILS_ENTRIES,
});

export const DetailsMessageSchema = v.pipe(
  DetailsMessageObject,
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const m = dataset.value;
    const wrong = (key: string, message: string) =>
      addIssue({ message, path: [{ type: "object", origin: "value", input: m, key, value: (m as never)[key] }] });
    if (!m.item_id.startsWith(m.site)) wrong("item_id", `must start with the site code ${m.site}`);
    if (!isHostOfSite(hostOfPlainHttpsUrl(m.page_url) ?? "", m.site)) {
      wrong("page_url", `must be on the ${m.site} site's own domain`);
    }
  }),
);
export type DetailsMessage = v.InferOutput<typeof DetailsMessageSchema>;

export function validateDetailsMessage(
  input: unknown,
): { ok: true; value: DetailsMessage } | { ok: false; errors: string[] } {
  const result = v.safeParse(DetailsMessageSchema, input);
  if (result.success) return { ok: true, value: result.output };
  return {
    ok: false,
    errors: result.issues.slice(0, 10).map((i) => `${(v.getDotPath(i) ?? "(details)").slice(0, 60)}: ${i.message}`),
  };
}

export function validateProductDetails(
  input: unknown,
): { ok: true; value: ProductDetails } | { ok: false; errors: string[] } {
  const result = v.safeParse(ProductDetailsSchema, input);
  if (result.success) return { ok: true, value: result.output };
  return {
    ok: false,
    errors: result.issues.slice(0, 10).map((i) => `${(v.getDotPath(i) ?? "(details)").slice(0, 60)}: ${i.message}`),
  };
}

// ----------------------------------------------------------------- warehouse row

type ColumnType = "STRING" | "INTEGER" | "NUMERIC" | "FLOAT" | "BOOLEAN" | "DATE" | "TIMESTAMP";
const col = (type: ColumnType, mode: "REQUIRED" | "NULLABLE" | "REPEATED", description: string) => ({
  type,
  mode,
  description,
});

/** Columns of `product_details`, in table order (BigQuery schema and DuckDB DDL come from here). */
export const PRODUCT_DETAILS_COLUMNS = {
  details_key: col("STRING", "REQUIRED", "item_id@detail_date: one row per item per day; loads are idempotent on it."),
  detail_date: col("DATE", "REQUIRED", "Partition column: calendar date of fetched_at in America/Sao_Paulo."),
  fetched_at: col("TIMESTAMP", "REQUIRED", "When the product page was fetched (UTC)."),
  ingested_at: col("TIMESTAMP", "REQUIRED", "When the batch consumer wrote the row (UTC)."),
  schema_version: col("INTEGER", "REQUIRED", "Version of the details message contract."),
  site: col("STRING", "REQUIRED", "Mercado Livre site code."),
  item_id: col("STRING", "REQUIRED", "Item of the offer the details are for (joins daily_offers.item_id)."),
  page_url: col("STRING", "REQUIRED", "Product page fetched."),
  page_kind: col("STRING", "REQUIRED", "product, or unavailable_product (no price, nothing for sale)."),
  shown_item_id: col("STRING", "NULLABLE", "Item the page shows (a catalog page's buy-box winner)."),
  product_id: col("STRING", "NULLABLE", "Catalog product id."),
  user_product_id: col("STRING", "NULLABLE", "User-product id."),
  title: col("STRING", "REQUIRED", "Product title."),
  canonical_url: col("STRING", "NULLABLE", "The page's canonical URL."),
  price: col("NUMERIC", "NULLABLE", "Price shown (null when unavailable)."),
  original_price: col("NUMERIC", "NULLABLE", "Struck-through price shown."),
  currency: col("STRING", "NULLABLE", "ISO-4217 currency of the prices."),
  available: col("BOOLEAN", "REQUIRED", "Whether the product can be bought."),
  condition: col("STRING", "NULLABLE", "new, used or refurbished."),
  sold_quantity_text: col("STRING", "NULLABLE", "Sold count as shown, e.g. '+5mil vendidos' (a bucket)."),
  sold_quantity_min: col("INTEGER", "NULLABLE", "The least the sold count text promises, e.g. 5000."),
  available_quantity: col("INTEGER", "NULLABLE", "Stock, when the page gives an exact number."),
  available_quantity_text: col("STRING", "NULLABLE", "Stock as shown, e.g. '+25 disponibles'."),
  seller_name: col("STRING", "NULLABLE", "Seller or official store name."),
  seller_name_kind: col("STRING", "NULLABLE", "official_store_name, store_name, or nickname (an ordinary seller's)."),
  official_store: col("BOOLEAN", "NULLABLE", "Seller is an official store."),
  rating: col("FLOAT", "NULLABLE", "Average rating shown, 0-5."),
  reviews: col("INTEGER", "NULLABLE", "Number of ratings."),
  category_id: col("STRING", "NULLABLE", "Leaf category id, e.g. MCO167820."),
  category_path: col("STRING", "REPEATED", "Breadcrumb labels, root first."),
  description: col("STRING", "NULLABLE", "Seller's description, plain text with line breaks."),
  attributes: col("STRING", "NULLABLE", 'Specifications as a JSON array of {"name","value"}, in page order.'),
  images: col("INTEGER", "NULLABLE", "Pictures in the gallery (videos not counted)."),
  kafka_topic: col("STRING", "REQUIRED", "Kafka topic the message was read from."),
  kafka_partition: col("INTEGER", "REQUIRED", "Kafka partition of the message."),
  kafka_offset: col("INTEGER", "REQUIRED", "Kafka offset of the message."),
} as const;

export type DetailsRow = { [K in keyof typeof PRODUCT_DETAILS_COLUMNS]: unknown };

export const detailsKey = (itemId: string, day: string) => `${itemId}@${day}`;

export function toDetailsRow(
  m: DetailsMessage,
  source: { topic: string; partition: number; offset: string },
  ingestedAt: string,
): DetailsRow {
  const day = offerDate(m.fetched_at);
  return {
    details_key: detailsKey(m.item_id, day),
    detail_date: day,
    fetched_at: m.fetched_at,
    ingested_at: ingestedAt,
    schema_version: m.schema_version,
    site: m.site,
    item_id: m.item_id,
    page_url: m.page_url,
    page_kind: m.page_kind,
    shown_item_id: m.shown_item_id,
    product_id: m.product_id,
    user_product_id: m.user_product_id,
    title: m.title,
    canonical_url: m.canonical_url,
    price: m.price,
    original_price: m.original_price,
    currency: m.currency,
    available: m.available,
    condition: m.condition,
    sold_quantity_text: m.sold_quantity_text,
    sold_quantity_min: m.sold_quantity_min,
    available_quantity: m.available_quantity,
    available_quantity_text: m.available_quantity_text,
    seller_name: m.seller_name,
    seller_name_kind: m.seller_name_kind,
    official_store: m.official_store,
    rating: m.rating,
    reviews: m.reviews,
    category_id: m.category_id,
    category_path: m.category_path ?? [],
    description: m.description,
    attributes: m.attributes === null ? null : JSON.stringify(m.attributes),
    images: m.images,
    kafka_topic: source.topic,
    kafka_partition: source.partition,
    kafka_offset: Number(source.offset),
  };
}
