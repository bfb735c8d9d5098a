-- item_days_merge: folds one loaded batch of daily_offers into item_days, right after the load. Only what a second load of the same batch leaves unchanged: the lowest and highest
-- price, the last observation (latest scraped_at, ties by Kafka position, as price_history.sql
-- orders them) and the set of watches. The batch's rows are read back from daily_offers by their
-- Kafka positions (batch_rows), within the batch's days.
-- DuckDB twin of sql/bigquery/item_days_merge.sql (which merges from a table item_days_batch.sql
-- writes first: the emulator's MERGE reads only a table).
-- Three statements (the loader runs them one by one): the batch reduced per item and day, the
-- item-days that exist updated, the others inserted. Unlike one MERGE, whose join held the whole
-- day of item_days in memory, each holds only the batch's rows (at most 50,000).
CREATE OR REPLACE TEMP TABLE batch_days AS
SELECT
  offer_date,
  site,
  item_id,
  min(price) AS min_price,
  max(price) AS max_price,
  max(scraped_at) AS last_scraped_at,
  -- one state per item and day: the whole last observation, by one struct key
  arg_max(
    {
      'price': price,
      'title': title,
      'currency': currency,
      'url': url,
      'original_price': original_price,
      'displayed_discount_pct': coalesce(discount_pct, CAST(round(computed_discount_pct) AS BIGINT)),
      'kafka_partition': kafka_partition,
      'kafka_offset': kafka_offset
    },
    {'at': scraped_at, 'partition': kafka_partition, 'offset': kafka_offset}
  ) AS last,
  coalesce(list_sort(list(DISTINCT watch_id) FILTER (WHERE watch_id IS NOT NULL)), []) AS watch_ids
FROM ({{batch_rows}}) AS b
GROUP BY offer_date, site, item_id;

UPDATE item_days AS t SET
  min_price = least(t.min_price, s.min_price),
  max_price = greatest(t.max_price, s.max_price),
  last_price = CASE WHEN {{s_is_newer}} THEN s.last.price ELSE t.last_price END,
  title = CASE WHEN {{s_is_newer}} THEN s.last.title ELSE t.title END,
  currency = CASE WHEN {{s_is_newer}} THEN s.last.currency ELSE t.currency END,
  url = CASE WHEN {{s_is_newer}} THEN s.last.url ELSE t.url END,
  original_price = CASE WHEN {{s_is_newer}} THEN s.last.original_price ELSE t.original_price END,
  displayed_discount_pct = CASE WHEN {{s_is_newer}} THEN s.last.displayed_discount_pct ELSE t.displayed_discount_pct END,
  last_kafka_partition = CASE WHEN {{s_is_newer}} THEN s.last.kafka_partition ELSE t.last_kafka_partition END,
  last_kafka_offset = CASE WHEN {{s_is_newer}} THEN s.last.kafka_offset ELSE t.last_kafka_offset END,
  last_scraped_at = greatest(t.last_scraped_at, s.last_scraped_at),
  watch_ids = list_sort(list_distinct(list_concat(t.watch_ids, s.watch_ids))),
  updated_by_batch = {{batch_id}},
  updated_at = {{updated_at}}
FROM batch_days AS s
WHERE t.offer_date BETWEEN {{first_day}} AND {{last_day}}
  AND t.offer_date = s.offer_date AND t.site = s.site AND t.item_id = s.item_id;

INSERT INTO item_days (
  offer_date, site, item_id, title, currency, url, min_price, max_price, last_price, original_price,
  displayed_discount_pct, last_scraped_at, last_kafka_partition, last_kafka_offset, watch_ids,
  updated_by_batch, updated_at
)
SELECT
  s.offer_date, s.site, s.item_id, s.last.title, s.last.currency, s.last.url, s.min_price, s.max_price,
  s.last.price, s.last.original_price, s.last.displayed_discount_pct, s.last_scraped_at,
  s.last.kafka_partition, s.last.kafka_offset, s.watch_ids, {{batch_id}}, {{updated_at}}
FROM batch_days AS s
WHERE NOT EXISTS (
  SELECT 1 FROM item_days AS t
  WHERE t.offer_date BETWEEN {{first_day}} AND {{last_day}}
    AND t.offer_date = s.offer_date AND t.site = s.site AND t.item_id = s.item_id
);
