-- item_days_batch: what one loaded batch of daily_offers (its staging table, batch_rows) says
-- of each item's day, reduced as item_days keeps it: lowest, highest, the last observation
-- (latest scraped_at, ties by Kafka position, as price_history.sql orders them) and the watches.
-- Written to a table of the batch that item_days_merge.sql merges from (a MERGE reads one table).
SELECT
  offer_date,
  site,
  item_id,
  min_price,
  max_price,
  last.price AS last_price,
  last.title AS title,
  last.currency AS currency,
  last.url AS url,
  last.original_price AS original_price,
  last.displayed_discount_pct AS displayed_discount_pct,
  last_scraped_at,
  last.kafka_partition AS last_kafka_partition,
  last.kafka_offset AS last_kafka_offset,
  ARRAY(SELECT DISTINCT w FROM UNNEST(watch_ids) AS w ORDER BY w) AS watch_ids
FROM (
  SELECT
    offer_date,
    site,
    item_id,
    MIN(price) AS min_price,
    MAX(price) AS max_price,
    ARRAY_AGG(STRUCT(price, title, currency, url, original_price,
        COALESCE(discount_pct, CAST(ROUND(computed_discount_pct) AS INT64)) AS displayed_discount_pct,
        kafka_partition, kafka_offset)
      ORDER BY scraped_at DESC, kafka_partition DESC, kafka_offset DESC LIMIT 1)[OFFSET(0)] AS last,
    MAX(scraped_at) AS last_scraped_at,
    ARRAY_AGG(watch_id IGNORE NULLS) AS watch_ids
  FROM {{batch_rows}}
  GROUP BY offer_date, site, item_id
)
