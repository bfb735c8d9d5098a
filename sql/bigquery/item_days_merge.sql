-- item_days_merge: folds one loaded batch of daily_offers into item_days, right after the batch's
-- MERGE into daily_offers. batch_days is the batch reduced per item and day
-- (item_days_batch.sql). Only what a second load of the same batch leaves unchanged: the lowest
-- and highest price, the last observation and the set of watches.
-- Reads: that table, and item_days' partitions of the batch's days (clustered by item).
-- BigQuery twin of sql/duckdb/item_days_merge.sql.
MERGE `{{dataset}}.item_days` AS t
USING {{batch_days}} AS s
ON t.offer_date BETWEEN {{first_day}} AND {{last_day}}
  AND t.offer_date = s.offer_date AND t.site = s.site AND t.item_id = s.item_id
WHEN MATCHED THEN UPDATE SET
  min_price = LEAST(t.min_price, s.min_price),
  max_price = GREATEST(t.max_price, s.max_price),
  last_price = IF({{s_is_newer}}, s.last_price, t.last_price),
  title = IF({{s_is_newer}}, s.title, t.title),
  currency = IF({{s_is_newer}}, s.currency, t.currency),
  url = IF({{s_is_newer}}, s.url, t.url),
  original_price = IF({{s_is_newer}}, s.original_price, t.original_price),
  displayed_discount_pct = IF({{s_is_newer}}, s.displayed_discount_pct, t.displayed_discount_pct),
  last_kafka_partition = IF({{s_is_newer}}, s.last_kafka_partition, t.last_kafka_partition),
  last_kafka_offset = IF({{s_is_newer}}, s.last_kafka_offset, t.last_kafka_offset),
  last_scraped_at = GREATEST(t.last_scraped_at, s.last_scraped_at),
  watch_ids = ARRAY(SELECT DISTINCT w FROM UNNEST(ARRAY_CONCAT(t.watch_ids, s.watch_ids)) AS w ORDER BY w),
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
