/**
 * Every table of the warehouse as data: the loaded ones (their columns from shared/contract/)
 * and the tables the scheduled queries write. BigQuery JSON schemas (schema/*.json, read by Terraform), the
 * DuckDB DDL and the tests all come from these definitions.
 */
import { ALERTS_COLUMNS } from "./alert/alert-record.ts";
import { type Column, column as c, type SchemaField } from "./contract/column.ts";
import { PRODUCT_DETAILS_COLUMNS } from "./contract/details-row.ts";
import { DAILY_OFFERS_COLUMNS, DAILY_OFFERS_TABLE } from "./contract/warehouse-row.ts";
import { STOCK_COLUMNS } from "./contract/stock-row.ts";

export interface TableSpec {
  name: string;
  description: string;
  /** Tables the consumer loads: the column loads are idempotent on. */
  key?: string;
  partitionField: string;
  clusteringFields: readonly string[];
  columns: Record<string, Column>;
}

export const DAILY_OFFERS: TableSpec = {
  name: DAILY_OFFERS_TABLE.name,
  key: "offer_key",
  description:
    "One row per offer seen on a Mercado Livre deal page (ofertas). Partitioned by offer_date (America/Sao_Paulo).",
  partitionField: DAILY_OFFERS_TABLE.partitionField,
  clusteringFields: DAILY_OFFERS_TABLE.clusteringFields,
  columns: DAILY_OFFERS_COLUMNS,
};

/** An item's São Paulo day, as the per-item-per-day tables start. */
const ITEM_DAY = {
  offer_date: c("DATE", "REQUIRED", "São Paulo day."),
  site: c("STRING", "REQUIRED", "Mercado Livre site code."),
  item_id: c("STRING", "REQUIRED", "Sold item id."),
  title: c("STRING", "NULLABLE", "Title at the day's last observation."),
  currency: c("STRING", "NULLABLE", "Currency of the prices."),
};

/** What the item's price did that day (price_history and item_days). */
const DAY_PRICES = {
  min_price: c("NUMERIC", "REQUIRED", "Lowest price that day."),
  max_price: c("NUMERIC", "REQUIRED", "Highest price that day."),
  last_price: c("NUMERIC", "REQUIRED", "Price at the day's last observation."),
  original_price: c("NUMERIC", "NULLABLE", "Struck-through 'original' price at the last observation."),
};

export const PRICE_HISTORY: TableSpec = {
  name: "price_history",
  description:
    "One row per item per São Paulo day: what its price did that day. Written by the price_history scheduled query.",
  partitionField: "offer_date",
  clusteringFields: ["site", "item_id"],
  columns: {
    ...ITEM_DAY,
    observations: c("INTEGER", "REQUIRED", "Offers seen that day (all pages, all scrapes)."),
    scrapes: c("INTEGER", "REQUIRED", "Distinct scrapes that saw the item."),
    ...DAY_PRICES,
    displayed_discount_pct: c(
      "INTEGER",
      "NULLABLE",
      "Discount shown at the last observation (recomputed from the original price when the card showed none).",
    ),
    labels: c("STRING", "REPEATED", "Highlight labels seen that day, sorted."),
    last_scraped_at: c("TIMESTAMP", "REQUIRED", "Last observation."),
  },
};

export const FAKE_DISCOUNTS: TableSpec = {
  name: "fake_discounts",
  description:
    "Per offer of the day claiming a discount: the real discount against the lowest price of the prior 30 days, and a verdict.",
  partitionField: "offer_date",
  clusteringFields: ["site", "verdict"],
  columns: {
    ...ITEM_DAY,
    price: c("NUMERIC", "REQUIRED", "Price at the day's last observation."),
    original_price: c("NUMERIC", "NULLABLE", "Displayed 'original' price."),
    displayed_discount_pct: c("INTEGER", "REQUIRED", "Discount the card claims."),
    history_days: c("INTEGER", "REQUIRED", "Days with observations in the prior 30 days."),
    min_price_30d: c("NUMERIC", "NULLABLE", "Lowest price in the prior 30 days (the Omnibus reference price)."),
    max_price_30d: c("NUMERIC", "NULLABLE", "Highest price in the prior 30 days."),
    real_discount_pct: c(
      "NUMERIC",
      "NULLABLE",
      "(min_price_30d - price) / min_price_30d, in percent, two places; negative when the price is above it.",
    ),
    verdict: c("STRING", "REQUIRED", "real, inflated or insufficient_history."),
    reason: c("STRING", "NULLABLE", "Why the verdict is inflated or insufficient_history."),
  },
};

/** The verdict at product level (sql/bigquery/product_discounts.sql), a scheduled query's table. */
export const PRODUCT_DISCOUNTS: TableSpec = {
  name: "product_discounts",
  description:
    "Per catalog product of the day whose best price claims a discount: the real discount against the lowest price of the prior 30 days across every seller, and a verdict.",
  partitionField: "offer_date",
  clusteringFields: ["site", "verdict"],
  columns: {
    offer_date: c("DATE", "REQUIRED", "São Paulo day."),
    site: c("STRING", "REQUIRED", "Mercado Livre site code."),
    product_id: c("STRING", "REQUIRED", "Catalog product id."),
    title: c("STRING", "NULLABLE", "Title of the listing with the best price."),
    currency: c("STRING", "NULLABLE", "Currency of the prices."),
    price: c(
      "NUMERIC",
      "REQUIRED",
      "The product's best price at the day's end (the lowest of its listings' last prices).",
    ),
    original_price: c("NUMERIC", "NULLABLE", "That listing's displayed 'original' price."),
    displayed_discount_pct: c("INTEGER", "REQUIRED", "Discount that listing claims."),
    history_days: c("INTEGER", "REQUIRED", "Days the product was seen in the prior 30 days."),
    min_price_30d: c("NUMERIC", "NULLABLE", "Lowest price of any of its listings in the prior 30 days."),
    max_price_30d: c("NUMERIC", "NULLABLE", "Highest price of any of its listings in the prior 30 days."),
    real_discount_pct: c("NUMERIC", "NULLABLE", "(min_price_30d - price) / min_price_30d, in percent, two places."),
    verdict: c("STRING", "REQUIRED", "real, inflated or insufficient_history (fake_discounts.sql's rules)."),
    reason: c("STRING", "NULLABLE", "Why the verdict is inflated or insufficient_history."),
    best_item_id: c("STRING", "REQUIRED", "The listing with the best price."),
    best_seller: c("STRING", "NULLABLE", "Its seller, when the page named one."),
    best_official_store: c("BOOLEAN", "REQUIRED", "Whether that seller is an official store."),
    listings: c("INTEGER", "REQUIRED", "Listings of the product seen for sale that day."),
    sellers: c("INTEGER", "REQUIRED", "Distinct named sellers among them."),
  },
};

export const DAILY_TOP_DEALS: TableSpec = {
  name: "daily_top_deals",
  description: "The day's best real discounts, ranked per site and overall.",
  partitionField: "offer_date",
  clusteringFields: ["site"],
  columns: {
    offer_date: c("DATE", "REQUIRED", "São Paulo day."),
    site: c("STRING", "REQUIRED", "Mercado Livre site code."),
    item_id: c("STRING", "REQUIRED", "Sold item id."),
    title: c("STRING", "NULLABLE", "Title."),
    currency: c("STRING", "NULLABLE", "Currency of the prices."),
    price: c("NUMERIC", "REQUIRED", "Price of the day."),
    min_price_30d: c("NUMERIC", "REQUIRED", "Lowest price in the prior 30 days."),
    real_discount_pct: c("NUMERIC", "REQUIRED", "Real discount in percent."),
    displayed_discount_pct: c("INTEGER", "REQUIRED", "Discount the card claims."),
    rank_in_site: c("INTEGER", "REQUIRED", "1 = the site's best real discount of the day."),
    rank_overall: c("INTEGER", "REQUIRED", "1 = the best real discount of the day on any site."),
  },
};

export const PRODUCT_DETAILS: TableSpec = {
  name: "product_details",
  key: "details_key",
  description:
    "One row per item per São Paulo day: what the item's own page says (description, specifications, category, sold count, stock). Written by the enricher via Kafka.",
  partitionField: "detail_date",
  clusteringFields: ["site", "item_id"],
  columns: PRODUCT_DETAILS_COLUMNS,
};

export const STOCK_OBSERVATIONS: TableSpec = {
  name: "stock_observations",
  key: "stock_key",
  description:
    "One row per page fetch that said whether an item or a catalog product was for sale (a watch's run, the enricher): what back_in_stock and out_of_stock judge.",
  partitionField: "observed_date",
  clusteringFields: ["site", "subject_id"],
  columns: STOCK_COLUMNS,
};

/**
 * One row per item per São Paulo day the stream has moved past: what price_history.sql says of
 * that day (lowest, highest, last), recomputed from daily_offers when the first load of a later
 * day folds it (batch/warehouse/day-folds.ts); late rows refold their items. The alerter reads an
 * item's earlier days here without reading daily_offers' history.
 */
export const ITEM_DAYS: TableSpec = {
  name: "item_days",
  description:
    "One row per item per São Paulo day the stream has moved past: lowest, highest and last price, folded from daily_offers by the first load of a later day (sql/*/item_days_fold.sql; batch/warehouse/day-folds.ts). The day being scraped is read from daily_offers.",
  partitionField: "offer_date",
  clusteringFields: ["site", "item_id"],
  columns: {
    ...ITEM_DAY,
    url: c("STRING", "NULLABLE", "Item URL at the day's last observation."),
    ...DAY_PRICES,
    displayed_discount_pct: c(
      "INTEGER",
      "NULLABLE",
      "Discount shown at the last observation (recomputed from the original price when none was shown).",
    ),
    last_scraped_at: c("TIMESTAMP", "REQUIRED", "Last observation."),
    last_kafka_partition: c("INTEGER", "REQUIRED", "Kafka partition of the last observation (ties)."),
    last_kafka_offset: c("INTEGER", "REQUIRED", "Kafka offset of the last observation (ties)."),
    watch_ids: c("STRING", "REPEATED", "Watches whose runs saw the item that day, sorted."),
    updated_by_batch: c(
      "STRING",
      "REQUIRED",
      "`day` for a day folded whole, `late:<batch>` for a late batch's refold.",
    ),
    updated_at: c("TIMESTAMP", "REQUIRED", "When that fold ran."),
    // added after the first release: last, where a migration appends it
    product_id: c("STRING", "NULLABLE", "Catalog product of the day's last observation, when the listing is one's."),
  },
};

/**
 * One row per catalog product per São Paulo day, folded with item_days (the same plan, the same
 * loads): what the product's listings did that day, across sellers. The product-level verdict,
 * the product alerts and the product page read it (sql/<engine>/product_days_fold.sql).
 */
export const PRODUCT_DAYS: TableSpec = {
  name: "product_days",
  description:
    "One row per catalog product per São Paulo day: lowest price across its listings and who had it, the best price at the day's end, listings and sellers seen (sql/*/product_days_fold.sql).",
  partitionField: "offer_date",
  clusteringFields: ["site", "product_id"],
  columns: {
    offer_date: c("DATE", "REQUIRED", "São Paulo day."),
    site: c("STRING", "REQUIRED", "Mercado Livre site code."),
    product_id: c("STRING", "REQUIRED", "Catalog product id (/p/ links), e.g. MLB22246671."),
    title: c("STRING", "NULLABLE", "Title of the listing with the best price at the day's end."),
    currency: c("STRING", "NULLABLE", "Currency of the prices."),
    url: c("STRING", "NULLABLE", "URL of the listing with the best price at the day's end."),
    min_price: c("NUMERIC", "REQUIRED", "Lowest price any listing of the product had that day."),
    low_item_id: c("STRING", "REQUIRED", "The listing that had it (the earliest observation at that price)."),
    low_seller: c("STRING", "NULLABLE", "Its seller, when the page named one."),
    max_price: c("NUMERIC", "REQUIRED", "Highest price any listing of the product had that day."),
    last_price: c(
      "NUMERIC",
      "REQUIRED",
      "The product's best price at the day's end: the lowest of its listings' last prices.",
    ),
    last_item_id: c("STRING", "REQUIRED", "The listing with that price (ties: the lowest item id)."),
    last_seller: c("STRING", "NULLABLE", "Its seller, when the page named one."),
    last_official_store: c("BOOLEAN", "REQUIRED", "Whether that seller is an official store."),
    original_price: c("NUMERIC", "NULLABLE", "That listing's struck-through 'original' price."),
    displayed_discount_pct: c("INTEGER", "NULLABLE", "That listing's discount shown (recomputed when none was)."),
    listings: c("INTEGER", "REQUIRED", "Listings of the product seen for sale that day."),
    sellers: c("INTEGER", "REQUIRED", "Distinct named sellers among them."),
    last_scraped_at: c("TIMESTAMP", "REQUIRED", "Last observation of any listing of the product."),
    watch_ids: c("STRING", "REPEATED", "Watches whose runs saw the product that day, sorted."),
    updated_by_batch: c(
      "STRING",
      "REQUIRED",
      "`day` for a day folded whole, `late:<batch>` for a late batch's refold.",
    ),
    updated_at: c("TIMESTAMP", "REQUIRED", "When that fold ran."),
  },
};

export const ALERTS: TableSpec = {
  name: "alerts",
  key: "event_key",
  description:
    "Every alert the alerter decided (rule, item, price, verdict, why, channels) and what became of it on each channel. Loaded by the consumer from ofertas.alerts.",
  partitionField: "event_date",
  clusteringFields: ["event", "alert_id"],
  columns: ALERTS_COLUMNS,
};

export const TABLES = [
  DAILY_OFFERS,
  PRODUCT_DETAILS,
  STOCK_OBSERVATIONS,
  ALERTS,
  ITEM_DAYS,
  PRODUCT_DAYS,
  PRICE_HISTORY,
  FAKE_DISCOUNTS,
  DAILY_TOP_DEALS,
  PRODUCT_DISCOUNTS,
] as const;

export function bigQuerySchemaOf(table: TableSpec): SchemaField[] {
  return Object.entries(table.columns).map(([name, col]) => ({
    name,
    type: col.type,
    mode: col.mode,
    description: col.description,
  }));
}

export const schemaPathOf = (table: TableSpec) => `schema/${table.name}.json`;

export function renderSchema(table: TableSpec): string {
  return `${JSON.stringify(bigQuerySchemaOf(table), null, 2)}\n`;
}

/** The tables the batch consumer loads from Kafka, by name. */
export const LOADED_TABLES: Readonly<Record<string, TableSpec & { key: string }>> = {
  [DAILY_OFFERS.name]: DAILY_OFFERS as TableSpec & { key: string },
  [PRODUCT_DETAILS.name]: PRODUCT_DETAILS as TableSpec & { key: string },
  [STOCK_OBSERVATIONS.name]: STOCK_OBSERVATIONS as TableSpec & { key: string },
  [ALERTS.name]: ALERTS as TableSpec & { key: string },
};

export function loadedTable(name: string): TableSpec & { key: string } {
  const table = LOADED_TABLES[name];
  if (!table) throw new Error(`no loaded table named ${name}`);
  return table;
}
