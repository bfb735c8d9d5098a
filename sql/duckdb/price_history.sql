-- price_history: DuckDB twin of sql/bigquery/price_history.sql (same question, same columns).
-- The first_day and last_day placeholders are both the report day when scheduled; a range for the web view.
-- Differences: `first(x ORDER BY …)` for ARRAY_AGG(STRUCT …)[OFFSET(0)], list_sort(list_distinct(list(…)))
-- for ARRAY_AGG(DISTINCT … IGNORE NULLS ORDER BY …), `date - 1` for DATE_SUB(…, INTERVAL 1 DAY).
WITH day AS (
  SELECT *
  FROM {{dataset}}.daily_offers
  WHERE offer_date BETWEEN {{first_day}} AND {{last_day}}
),
per_item AS (
  SELECT
    offer_date,
    site,
    item_id,
    count(*) AS observations,
    count(DISTINCT scrape_id) AS scrapes,
    min(price) AS min_price,
    max(price) AS max_price,
    first(title ORDER BY scraped_at DESC, kafka_partition DESC, kafka_offset DESC) AS title,
    first(currency ORDER BY scraped_at DESC, kafka_partition DESC, kafka_offset DESC) AS currency,
    first(price ORDER BY scraped_at DESC, kafka_partition DESC, kafka_offset DESC) AS last_price,
    first(original_price ORDER BY scraped_at DESC, kafka_partition DESC, kafka_offset DESC) AS original_price,
    first(discount_pct ORDER BY scraped_at DESC, kafka_partition DESC, kafka_offset DESC) AS discount_pct,
    first(computed_discount_pct ORDER BY scraped_at DESC, kafka_partition DESC, kafka_offset DESC) AS computed_discount_pct,
    max(scraped_at) AS last_scraped_at,
    list_sort(list_distinct(list(label))) AS labels
  FROM day
  GROUP BY offer_date, site, item_id
)
SELECT
  offer_date,
  site,
  item_id,
  title,
  currency,
  observations,
  scrapes,
  min_price,
  max_price,
  last_price,
  original_price,
  coalesce(discount_pct, CAST(round(computed_discount_pct) AS BIGINT)) AS displayed_discount_pct,
  labels,
  last_scraped_at
FROM per_item
ORDER BY site, item_id
