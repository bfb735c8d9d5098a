-- item_days_recompute: the fold of one loaded batch into item_days in the form the BigQuery
-- emulator runs in time linear in the day (docs/emulators.md), second step: the item-days the
-- batch touched ({{stage}} is its staging table) recomputed whole from daily_offers, which
-- already holds the batch, per item and day as item_days_batch.sql + item_days_merge.sql keep them:
-- the lowest and highest price, the last observation (latest scraped_at, ties by Kafka position)
-- and the watches, sorted. Written by a query job appending to item_days, after
-- item_days_delete_touched.sql removed what item_days held for them. Running both again (a retried
-- batch) recomputes the same rows, so a stop between them loses nothing. Production BigQuery runs
-- item_days_batch.sql and item_days_merge.sql instead, which read only item_days' partitions of
-- the batch's days, and never appends to item_days outside DML.
-- The emulator's forms: keys matched with IN on one string (it joins row by row, but runs IN
-- natively); the last observation by ROW_NUMBER (an ARRAY_AGG of a struct cost it ~3 ms a row);
-- the day's lowest and highest price as whole cents in the window (its window MIN and MAX of a
-- NUMERIC do not order numbers; prices have two places, so cents are exact); a query job's
-- destination, not an INSERT (its INSERT … SELECT of a windowed query wrote one row).
SELECT
  offer_date, site, item_id, title, currency, url, min_price, max_price, price AS last_price, original_price,
  COALESCE(discount_pct, CAST(ROUND(computed_discount_pct) AS INT64)) AS displayed_discount_pct,
  scraped_at AS last_scraped_at, kafka_partition AS last_kafka_partition, kafka_offset AS last_kafka_offset,
  ARRAY(SELECT DISTINCT w FROM UNNEST(watches) AS w WHERE w IS NOT NULL ORDER BY w) AS watch_ids,
  {{batch_id}} AS updated_by_batch, {{updated_at}} AS updated_at
FROM (
  SELECT
    *,
    ROW_NUMBER() OVER (
      PARTITION BY offer_date, site, item_id ORDER BY scraped_at DESC, kafka_partition DESC, kafka_offset DESC
    ) AS newest,
    -- in cents: the emulator's MIN and MAX over NUMERIC in a window compare wrongly; prices have two places
    CAST(MIN(CAST(ROUND(price * 100) AS INT64)) OVER (PARTITION BY offer_date, site, item_id) AS NUMERIC) / 100
      AS min_price,
    CAST(MAX(CAST(ROUND(price * 100) AS INT64)) OVER (PARTITION BY offer_date, site, item_id) AS NUMERIC) / 100
      AS max_price,
    ARRAY_AGG(watch_id) OVER (PARTITION BY offer_date, site, item_id) AS watches
  FROM (
    SELECT *
    FROM `{{dataset}}.daily_offers`
    WHERE offer_date BETWEEN {{first_day}} AND {{last_day}}
      AND CONCAT(site, '|', item_id, '|', CAST(offer_date AS STRING)) IN (
        SELECT CONCAT(site, '|', item_id, '|', CAST(offer_date AS STRING)) FROM {{stage}}
      )
  )
)
WHERE newest = 1
