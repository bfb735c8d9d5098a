/**
 * The row of `stock_observations`: one per page fetch that said something of the stock, loads
 * idempotent on stock_key (the source, the watch, the subject and the time: a message read twice
 * is one row). STOCK_COLUMNS types the rows; the BigQuery schema and the DuckDB DDL come from here.
 */
import * as v from "valibot";
import { offerDate } from "../timestamp.ts";
import { KAFKA_COLUMNS, nullable, required, type RowOf } from "./column.ts";
import { siteCode, utcTimestamp } from "./fields.ts";
import { STOCK_SOURCES, STOCK_SUBJECTS, type StockMessage, stockSubjectKey } from "./stock-message.ts";

const isoDate = v.pipe(v.string(), v.isoDate());
const int = v.pipe(v.number(), v.integer());
const decimal = v.pipe(v.string(), v.regex(/^\d{1,13}\.\d{2}$/));

export const STOCK_COLUMNS = {
  stock_key: required("STRING", v.string(), "source|watch|site|subject|id|observed_at: loads are idempotent on it."),
  observed_date: required("DATE", isoDate, "Partition column: calendar date of observed_at in America/Sao_Paulo."),
  observed_at: required("TIMESTAMP", utcTimestamp, "When the page was fetched (UTC)."),
  ingested_at: required("TIMESTAMP", utcTimestamp, "When the batch consumer wrote the row (UTC)."),
  schema_version: required("INTEGER", int, "Version of the stock message contract."),
  site: required("STRING", siteCode, "Mercado Livre site code."),
  subject: required("STRING", v.picklist(STOCK_SUBJECTS), "item (an item's own page) or product (a catalog page)."),
  subject_id: required(
    "STRING",
    v.string(),
    "The subject's id: the item of an item's page, the product of a catalog page.",
  ),
  item_id: nullable("STRING", v.string(), "The item of an item's page; a catalog page's buy-box listing, when any."),
  product_id: nullable("STRING", v.string(), "The product of a catalog page (or the item's product, when known)."),
  title: required("STRING", v.string(), "The page's title."),
  available: required("BOOLEAN", v.boolean(), "Whether anything was for sale."),
  available_quantity: nullable("INTEGER", int, "Units the page promised, when it gave an exact number."),
  price: nullable("NUMERIC", decimal, "The price shown, when anything was for sale."),
  seller: nullable("STRING", v.string(), "The seller shown, when anything was for sale."),
  source: required("STRING", v.picklist(STOCK_SOURCES), "route (a watch's run or a scrape of the page) or enricher."),
  watch_id: nullable("STRING", v.string(), "The watch whose run fetched the page."),
  watch_run: nullable("INTEGER", int, "Which run of that watch (1: its first)."),
  page_url: required("STRING", v.string(), "The page fetched."),
  ...KAFKA_COLUMNS,
} as const;

type StockRow = RowOf<typeof STOCK_COLUMNS>;

export function toStockRow(
  m: StockMessage,
  source: { topic: string; partition: number; offset: string },
  ingestedAt: string,
): StockRow {
  return {
    stock_key: `${m.source}|${m.watch_id ?? ""}|${stockSubjectKey(m)}|${m.observed_at}`,
    observed_date: offerDate(m.observed_at),
    observed_at: m.observed_at,
    ingested_at: ingestedAt,
    schema_version: m.schema_version,
    site: m.site,
    subject: m.subject,
    subject_id: (m.subject === "item" ? m.item_id : m.product_id)!,
    item_id: m.item_id,
    product_id: m.product_id,
    title: m.title,
    available: m.available,
    available_quantity: m.available_quantity,
    price: m.price,
    seller: m.seller,
    source: m.source,
    watch_id: m.watch_id,
    watch_run: m.watch_run,
    page_url: m.page_url,
    kafka_topic: source.topic,
    kafka_partition: source.partition,
    kafka_offset: Number(source.offset),
  };
}
