-- item_days_fold: days of item_days ({{days}}) recomputed from daily_offers: per item and day, the
-- lowest and highest price, the last observation (latest scraped_at, ties by Kafka position, as
-- price_history.sql orders them; its catalog product too) and the watches that saw it, sorted. {{items}} is TRUE for
-- whole days (the first load of a later day folds them) or the items and days a late batch brought rows for.
-- All the days a load folds go in one job: a job costs seconds of its own in BigQuery (and on the emulator).
-- Two statements: the day's (or the items') rows deleted, then written again; in production one
-- transaction, on the emulator a DELETE job then a query job appending (docs/emulators.md).
-- Running it again writes the same rows (batch/warehouse/day-folds.ts).
-- The forms serve the emulator too: items matched with IN on one string, the last observation by
-- ROW_NUMBER, the day's lowest and highest price in whole cents (prices have two places).
-- BigQuery twin of sql/duckdb/item_days_fold.sql.
DELETE FROM `{{dataset}}.item_days` WHERE offer_date IN ({{days}}) AND {{items}};

SELECT
  offer_date, site, item_id, title, currency, url, min_price, max_price, price AS last_price, original_price,
  COALESCE(discount_pct, CAST(ROUND(computed_discount_pct) AS INT64)) AS displayed_discount_pct,
  scraped_at AS last_scraped_at, kafka_partition AS last_kafka_partition, kafka_offset AS last_kafka_offset,
  ARRAY(SELECT DISTINCT w FROM UNNEST(watches) AS w WHERE w != '' ORDER BY w) AS watch_ids,
  {{fold}} AS updated_by_batch, {{updated_at}} AS updated_at, product_id
FROM (
  SELECT
    *,
    ROW_NUMBER() OVER (
      PARTITION BY offer_date, site, item_id ORDER BY scraped_at DESC, kafka_partition DESC, kafka_offset DESC
    ) AS newest,
    CAST(MIN(CAST(ROUND(price * 100) AS INT64)) OVER (PARTITION BY offer_date, site, item_id) AS NUMERIC) / 100 AS min_price,
    CAST(MAX(CAST(ROUND(price * 100) AS INT64)) OVER (PARTITION BY offer_date, site, item_id) AS NUMERIC) / 100 AS max_price,
    ARRAY_AGG(IFNULL(watch_id, '')) OVER (PARTITION BY offer_date, site, item_id) AS watches
  FROM (SELECT * FROM `{{dataset}}.daily_offers` WHERE offer_date IN ({{days}}) AND {{items}})
)
WHERE newest = 1
