/**
 * item_days_merge.sql (and BigQuery's item_days_batch.sql), filled in for one loaded batch of
 * daily_offers: which rows are the batch's, which days it touched, and the batch's id (what the
 * alerter asks for).
 */
import { dateLiteral, sqlFile } from "./sql-templates.ts";

export interface ItemDaysBatch {
  id: string;
  dates: readonly string[];
  /** The batch's rows: DuckDB reads them back from daily_offers by their Kafka positions. */
  ranges: ReadonlyArray<{ topic: string; partition: number; first: string; last: string }>;
  /** When the load ran (UTC ISO). */
  loadedAt: string;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The source row (s) is the later observation: latest scraped_at, ties by Kafka position. */
const isNewer = (partition: string, offset: string) =>
  `(s.last_scraped_at > t.last_scraped_at OR (s.last_scraped_at = t.last_scraped_at AND (${partition} > t.last_kafka_partition OR (${partition} = t.last_kafka_partition AND ${offset} >= t.last_kafka_offset))))`;

function checked(batch: ItemDaysBatch): { first: string; last: string } {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(batch.id)) throw new Error(`not a batch id: ${batch.id}`);
  if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(batch.loadedAt)) throw new Error(`not a UTC time: ${batch.loadedAt}`);
  return { first: batch.dates[0]!, last: batch.dates[batch.dates.length - 1]! };
}

/** DuckDB: the MERGE of one batch, its rows read back from daily_offers by their offset ranges. */
export function duckdbItemDaysMergeSql(batch: ItemDaysBatch): string {
  const { first, last } = checked(batch);
  const positions = batch.ranges.map((r) => {
    if (!/^\d+$/.test(r.first) || !/^\d+$/.test(r.last)) throw new Error(`not an offset range: ${r.first}-${r.last}`);
    return `(kafka_topic = ${quote(r.topic)} AND kafka_partition = ${
      Math.trunc(r.partition)
    } AND kafka_offset BETWEEN ${r.first} AND ${r.last})`;
  });
  const rows = `SELECT * FROM daily_offers WHERE offer_date BETWEEN ${dateLiteral(first)} AND ${
    dateLiteral(last)
  } AND (${positions.join(" OR ") || "false"})`;
  return fill(
    sqlFile("duckdb", "item_days_merge").replaceAll("{{batch_rows}}", () => rows),
    batch,
    first,
    last,
    "",
    isNewer("s.last.kafka_partition", "s.last.kafka_offset"),
  );
}

/** BigQuery: the batch reduced per item and day, from its staging table (to be written to a table). */
export function bigqueryItemDaysBatchSql(stagingTable: string): string {
  return sqlFile("bigquery", "item_days_batch").replaceAll("{{batch_rows}}", () => stagingTable);
}

/** BigQuery: the MERGE of one batch from the table bigqueryItemDaysBatchSql wrote. */
export function bigqueryItemDaysMergeSql(batch: ItemDaysBatch, dataset: string, batchDays: string): string {
  const { first, last } = checked(batch);
  return fill(
    sqlFile("bigquery", "item_days_merge").replaceAll("{{batch_days}}", () => batchDays),
    batch,
    first,
    last,
    dataset,
    isNewer("s.last_kafka_partition", "s.last_kafka_offset"),
  );
}

function fill(sql: string, batch: ItemDaysBatch, first: string, last: string, dataset: string, newer: string): string {
  return sql
    .replaceAll("{{s_is_newer}}", newer)
    .replaceAll("{{first_day}}", dateLiteral(first))
    .replaceAll("{{last_day}}", dateLiteral(last))
    .replaceAll("{{batch_id}}", quote(batch.id))
    .replaceAll("{{updated_at}}", `TIMESTAMP ${quote(batch.loadedAt)}`)
    .replaceAll("{{dataset}}", () => dataset);
}

/**
 * BigQuery, the emulator's form (docs/emulators.md): the item-days the batch's staging table
 * touched, deleted, then recomputed from daily_offers (a query whose rows a job appends).
 */
export function bigqueryItemDaysRecomputeSql(
  batch: ItemDaysBatch,
  dataset: string,
  stagingTable: string,
): { remove: string; recompute: string } {
  const { first, last } = checked(batch);
  // sent without its comment lines: with them, the emulator answered the recompute with one row
  const filled = (name: string) =>
    fill(sqlFile("bigquery", name).replaceAll("{{stage}}", () => stagingTable), batch, first, last, dataset, "")
      .replace(/^\s*--.*\n/gm, "");
  return { remove: filled("item_days_delete_touched"), recompute: filled("item_days_recompute") };
}
