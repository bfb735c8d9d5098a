-- item_days_fold: one day of item_days ({{day}}) recomputed from daily_offers: per item, the
-- lowest and highest price, the last observation (latest scraped_at, ties by Kafka position, as
-- price_history.sql orders them; its catalog product too) and the watches that saw it, sorted. {{items}} is TRUE for a
-- whole day (the first load of a later day folds it) or the items a late batch brought rows for.
-- Two statements, in one transaction: the day's (or the items') rows deleted, then written again,
-- in chunks of items ({{chunk}}: a hash of the item) so the aggregation of a busy day stays in
-- the loader's 64 MB. Running it again writes the same rows (batch/warehouse/day-folds.ts).
-- DuckDB twin of sql/bigquery/item_days_fold.sql.
DELETE FROM item_days WHERE offer_date = {{day}} AND {{items}};

INSERT INTO item_days (
  offer_date, site, item_id, title, currency, url, min_price, max_price, last_price, original_price,
  displayed_discount_pct, last_scraped_at, last_kafka_partition, last_kafka_offset, watch_ids,
  updated_by_batch, updated_at, product_id
)
SELECT
  offer_date, site, item_id, last.title, last.currency, last.url, min_price, max_price, last.price,
  last.original_price, last.displayed_discount_pct, last_scraped_at, last.kafka_partition,
  last.kafka_offset, watch_ids, {{fold}}, {{updated_at}}, last.product_id
FROM (
  SELECT
    offer_date,
    site,
    item_id,
    min(price) AS min_price,
    max(price) AS max_price,
    max(scraped_at) AS last_scraped_at,
    -- the whole last observation, by one struct key
    arg_max(
      {
        'price': price,
        'title': title,
        'currency': currency,
        'url': url,
        'original_price': original_price,
        'displayed_discount_pct': coalesce(discount_pct, CAST(round(computed_discount_pct) AS BIGINT)),
        'kafka_partition': kafka_partition,
        'kafka_offset': kafka_offset,
        'product_id': product_id
      },
      {'at': scraped_at, 'partition': kafka_partition, 'offset': kafka_offset}
    ) AS last,
    coalesce(list_sort(list(DISTINCT watch_id) FILTER (WHERE watch_id IS NOT NULL)), []) AS watch_ids
  FROM daily_offers
  WHERE offer_date = {{day}} AND {{items}} AND {{chunk}}
  GROUP BY offer_date, site, item_id
)
