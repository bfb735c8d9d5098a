-- item_days_merge: folds one loaded batch of daily_offers into item_days, in the load's own
-- transaction. Only what a second load of the same batch leaves unchanged: the lowest and highest
-- price, the last observation (latest scraped_at, ties by Kafka position, as price_history.sql
-- orders them) and the set of watches. The batch's rows are read back from daily_offers by their
-- Kafka positions (batch_rows), within the batch's days.
-- DuckDB twin of sql/bigquery/item_days_merge.sql (which merges from a table item_days_batch.sql
-- writes first: the emulator's MERGE reads only a table).
MERGE INTO item_days AS t
USING (
  SELECT
    offer_date,
    site,
    item_id,
    min(price) AS min_price,
    max(price) AS max_price,
    first(price ORDER BY scraped_at DESC, kafka_partition DESC, kafka_offset DESC) AS last_price,
    first(title ORDER BY scraped_at DESC, kafka_partition DESC, kafka_offset DESC) AS title,
    first(currency ORDER BY scraped_at DESC, kafka_partition DESC, kafka_offset DESC) AS currency,
    first(url ORDER BY scraped_at DESC, kafka_partition DESC, kafka_offset DESC) AS url,
    first(original_price ORDER BY scraped_at DESC, kafka_partition DESC, kafka_offset DESC) AS original_price,
    first(coalesce(discount_pct, CAST(round(computed_discount_pct) AS BIGINT))
      ORDER BY scraped_at DESC, kafka_partition DESC, kafka_offset DESC) AS displayed_discount_pct,
    max(scraped_at) AS last_scraped_at,
    first(kafka_partition ORDER BY scraped_at DESC, kafka_partition DESC, kafka_offset DESC) AS last_kafka_partition,
    first(kafka_offset ORDER BY scraped_at DESC, kafka_partition DESC, kafka_offset DESC) AS last_kafka_offset,
    list_sort(list_distinct(list(watch_id))) AS watch_ids
  FROM ({{batch_rows}}) AS b
  GROUP BY offer_date, site, item_id
) AS s
ON t.offer_date BETWEEN {{first_day}} AND {{last_day}}
  AND t.offer_date = s.offer_date AND t.site = s.site AND t.item_id = s.item_id
WHEN MATCHED THEN UPDATE SET
  min_price = least(t.min_price, s.min_price),
  max_price = greatest(t.max_price, s.max_price),
  last_price = CASE WHEN {{s_is_newer}} THEN s.last_price ELSE t.last_price END,
  title = CASE WHEN {{s_is_newer}} THEN s.title ELSE t.title END,
  currency = CASE WHEN {{s_is_newer}} THEN s.currency ELSE t.currency END,
  url = CASE WHEN {{s_is_newer}} THEN s.url ELSE t.url END,
  original_price = CASE WHEN {{s_is_newer}} THEN s.original_price ELSE t.original_price END,
  displayed_discount_pct = CASE WHEN {{s_is_newer}} THEN s.displayed_discount_pct ELSE t.displayed_discount_pct END,
  last_kafka_partition = CASE WHEN {{s_is_newer}} THEN s.last_kafka_partition ELSE t.last_kafka_partition END,
  last_kafka_offset = CASE WHEN {{s_is_newer}} THEN s.last_kafka_offset ELSE t.last_kafka_offset END,
  last_scraped_at = greatest(t.last_scraped_at, s.last_scraped_at),
  watch_ids = list_sort(list_distinct(list_concat(t.watch_ids, s.watch_ids))),
  updated_by_batch = {{batch_id}},
  updated_at = {{updated_at}}
WHEN NOT MATCHED THEN INSERT (
  offer_date, site, item_id, title, currency, url, min_price, max_price, last_price, original_price,
  displayed_discount_pct, last_scraped_at, last_kafka_partition, last_kafka_offset, watch_ids,
  updated_by_batch, updated_at
) VALUES (
  s.offer_date, s.site, s.item_id, s.title, s.currency, s.url, s.min_price, s.max_price, s.last_price,
  s.original_price, s.displayed_discount_pct, s.last_scraped_at, s.last_kafka_partition, s.last_kafka_offset,
  s.watch_ids, {{batch_id}}, {{updated_at}}
)
