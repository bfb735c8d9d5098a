/**
 * The row of `product_details`: one per item per São Paulo day, loads idempotent on details_key
 * (PRODUCT_DETAILS_COLUMNS, typed by the column model: the BigQuery schema and the DuckDB DDL
 * come from here too).
 */
import * as v from "valibot";
import { offerDate } from "../timestamp.ts";
import { KAFKA_COLUMNS, nullable, repeated, required, type RowOf } from "./column.ts";
import type { DetailsMessage } from "./details-message.ts";
import { siteCode, utcTimestamp } from "./fields.ts";
import { CONDITIONS, PRODUCT_PAGE_KINDS, SELLER_NAME_KINDS } from "./product-details.ts";
import { POWER_SELLER_LEVELS, REPUTATION_LEVELS } from "./seller.ts";

const isoDate = v.pipe(v.string(), v.isoDate());
const int = v.pipe(v.number(), v.integer());
const decimal = v.pipe(v.string(), v.regex(/^\d{1,13}\.\d{2}$/));

/** Columns of `product_details`, in table order (BigQuery schema and DuckDB DDL come from here). */
export const PRODUCT_DETAILS_COLUMNS = {
  details_key: required(
    "STRING",
    v.string(),
    "item_id@detail_date: one row per item per day; loads are idempotent on it.",
  ),
  detail_date: required("DATE", isoDate, "Partition column: calendar date of fetched_at in America/Sao_Paulo."),
  fetched_at: required("TIMESTAMP", utcTimestamp, "When the product page was fetched (UTC)."),
  ingested_at: required("TIMESTAMP", utcTimestamp, "When the batch consumer wrote the row (UTC)."),
  schema_version: required("INTEGER", int, "Version of the details message contract."),
  site: required("STRING", siteCode, "Mercado Livre site code."),
  item_id: required("STRING", v.string(), "Item of the offer the details are for (joins daily_offers.item_id)."),
  page_url: required("STRING", v.string(), "Product page fetched."),
  page_kind: required(
    "STRING",
    v.picklist(PRODUCT_PAGE_KINDS),
    "product, or unavailable_product (no price, nothing for sale).",
  ),
  shown_item_id: nullable("STRING", v.string(), "Item the page shows (a catalog page's buy-box winner)."),
  product_id: nullable("STRING", v.string(), "Catalog product id."),
  user_product_id: nullable("STRING", v.string(), "User-product id."),
  title: required("STRING", v.string(), "Product title."),
  canonical_url: nullable("STRING", v.string(), "The page's canonical URL."),
  price: nullable("NUMERIC", decimal, "Price shown (null when unavailable)."),
  original_price: nullable("NUMERIC", decimal, "Struck-through price shown."),
  currency: nullable("STRING", v.string(), "ISO-4217 currency of the prices."),
  available: required("BOOLEAN", v.boolean(), "Whether the product can be bought."),
  condition: nullable("STRING", v.picklist(CONDITIONS), "new, used or refurbished."),
  sold_quantity_text: nullable("STRING", v.string(), "Sold count as shown, e.g. '+5mil vendidos' (a bucket)."),
  sold_quantity_min: nullable("INTEGER", int, "The least the sold count text promises, e.g. 5000."),
  available_quantity: nullable("INTEGER", int, "Stock, when the page gives an exact number."),
  available_quantity_text: nullable("STRING", v.string(), "Stock as shown, e.g. '+25 disponibles'."),
  seller_name: nullable("STRING", v.string(), "Seller or official store name."),
  seller_name_kind: nullable(
    "STRING",
    v.picklist(SELLER_NAME_KINDS),
    "official_store_name, store_name, or nickname (an ordinary seller's).",
  ),
  official_store: nullable("BOOLEAN", v.boolean(), "Seller is an official store."),
  rating: nullable("FLOAT", v.number(), "Average rating shown, 0-5."),
  reviews: nullable("INTEGER", int, "Number of ratings."),
  category_id: nullable("STRING", v.string(), "Leaf category id, e.g. MCO167820."),
  category_path: repeated("STRING", v.string(), "Breadcrumb labels, root first."),
  description: nullable("STRING", v.string(), "Seller's description, plain text with line breaks."),
  attributes: nullable("STRING", v.string(), 'Specifications as a JSON array of {"name","value"}, in page order.'),
  images: nullable("INTEGER", int, "Pictures in the gallery (videos not counted)."),
  ...KAFKA_COLUMNS,
  // added after the first release: last, where a migration appends them (docs/contract.md)
  seller_id: nullable(
    "STRING",
    v.string(),
    "Mercado Libre's id of the seller (the page's seller links or tracking data).",
  ),
  seller_reputation: nullable(
    "STRING",
    v.picklist(REPUTATION_LEVELS),
    "Reputation thermometer: 1_red, 2_orange, 3_yellow, 4_light_green or 5_green.",
  ),
  seller_power_status: nullable(
    "STRING",
    v.picklist(POWER_SELLER_LEVELS),
    "MercadoLíder level: silver (the plain badge), gold or platinum; null when none is shown.",
  ),
  seller_sales_text: nullable("STRING", v.string(), "The seller's sales as shown, e.g. '+10mil ventas' (a bucket)."),
  seller_sales_min: nullable("INTEGER", int, "The least the sales text promises, e.g. 10000."),
} as const;

type DetailsRow = RowOf<typeof PRODUCT_DETAILS_COLUMNS>;

const detailsKey = (itemId: string, day: string) => `${itemId}@${day}`;

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
    seller_id: m.seller_id,
    seller_reputation: m.seller_reputation,
    seller_power_status: m.seller_power_status,
    seller_sales_text: m.seller_sales_text,
    seller_sales_min: m.seller_sales_min,
  };
}
