-- price_history: what each item's price did on one São Paulo day: lowest, highest and last
--   price, the original price and discount shown last, the labels seen. One row per item per day.
-- Schedule:    every day 03:30 UTC (00:30 in São Paulo), for the São Paulo day that just ended.
-- Destination: {{dataset}}.price_history, that day's partition:
--              destination_table_name_template = price_history${run_time-24h|"%Y%m%d"}
-- Write disposition: WRITE_TRUNCATE. It replaces only that partition, so re-runs and backfills are idempotent.
-- Reads:       one partition of daily_offers (incremental, never a full scan).
-- Parameters:  @run_date (set by the scheduler); the first_day and last_day placeholders are both
--              DATE_SUB(@run_date, INTERVAL 1 DAY) when scheduled (Terraform fills them in). The web
--              view computes a range of days with the same SQL (shared/sql-templates.ts).
WITH day AS (
  SELECT *
  FROM `{{dataset}}.daily_offers`
  WHERE offer_date BETWEEN {{first_day}} AND {{last_day}}
),
per_item AS (
  SELECT
    offer_date,
    site,
    item_id,
    COUNT(*) AS observations,
    COUNT(DISTINCT scrape_id) AS scrapes,
    MIN(price) AS min_price,
    MAX(price) AS max_price,
    ARRAY_AGG(
      STRUCT(title, currency, price, original_price, discount_pct, computed_discount_pct, scraped_at)
      ORDER BY scraped_at DESC, kafka_partition DESC, kafka_offset DESC LIMIT 1
    )[OFFSET(0)] AS last,
    ARRAY_AGG(DISTINCT label IGNORE NULLS ORDER BY label) AS labels
  FROM day
  GROUP BY offer_date, site, item_id
)
SELECT
  offer_date,
  site,
  item_id,
  last.title AS title,
  last.currency AS currency,
  observations,
  scrapes,
  min_price,
  max_price,
  last.price AS last_price,
  last.original_price AS original_price,
  -- a bare "no Pix" label shows no percent: fall back to the one the prices imply
  COALESCE(last.discount_pct, CAST(ROUND(last.computed_discount_pct) AS INT64)) AS displayed_discount_pct,
  IFNULL(labels, []) AS labels,
  last.scraped_at AS last_scraped_at
FROM per_item
ORDER BY site, item_id
