-- web_items: the items whose titles hold every word searched, seen between first_day and
-- last_day, most recently seen first: each item's latest day, its title, price, currency and link
-- that day, its catalog product (the search page groups a product's listings), and its lowest
-- price over the days. The days the consumer folded come from item_days;
-- the days it has not (the day being scraped, and any not closed yet) from daily_offers, reduced
-- the same way for the matching titles only. Both read only those days' partitions.
-- BigQuery twin of sql/duckdb/web_items.sql.
WITH folded AS (
  SELECT DISTINCT offer_date FROM `{{dataset}}.item_days` WHERE offer_date BETWEEN {{first_day}} AND {{last_day}}
),
days AS (
  SELECT offer_date, site, item_id, title, currency, url, last_price, min_price, product_id
  FROM `{{dataset}}.item_days`
  WHERE offer_date BETWEEN {{first_day}} AND {{last_day}} AND {{site}} AND {{words}}
  UNION ALL
  SELECT
    offer_date,
    site,
    item_id,
    ARRAY_AGG(title ORDER BY scraped_at DESC LIMIT 1)[OFFSET(0)] AS title,
    ARRAY_AGG(currency ORDER BY scraped_at DESC LIMIT 1)[OFFSET(0)] AS currency,
    ARRAY_AGG(url ORDER BY scraped_at DESC LIMIT 1)[OFFSET(0)] AS url,
    ARRAY_AGG(price ORDER BY scraped_at DESC LIMIT 1)[OFFSET(0)] AS last_price,
    MIN(price) AS min_price,
    ARRAY_AGG(product_id IGNORE NULLS ORDER BY scraped_at DESC LIMIT 1)[SAFE_OFFSET(0)] AS product_id
  FROM `{{dataset}}.daily_offers`
  WHERE offer_date BETWEEN {{first_day}} AND {{last_day}} AND {{site}} AND {{words}}
    AND offer_date NOT IN (SELECT offer_date FROM folded)
  GROUP BY offer_date, site, item_id
)
SELECT
  site,
  item_id,
  MAX(offer_date) AS last_day,
  ARRAY_AGG(title ORDER BY offer_date DESC LIMIT 1)[OFFSET(0)] AS title,
  ARRAY_AGG(currency ORDER BY offer_date DESC LIMIT 1)[OFFSET(0)] AS currency,
  ARRAY_AGG(url ORDER BY offer_date DESC LIMIT 1)[OFFSET(0)] AS url,
  ARRAY_AGG(last_price ORDER BY offer_date DESC LIMIT 1)[OFFSET(0)] AS last_price,
  MIN(min_price) AS min_price,
  COUNT(*) AS days_seen,
  ARRAY_AGG(product_id IGNORE NULLS ORDER BY offer_date DESC LIMIT 1)[SAFE_OFFSET(0)] AS product_id
FROM days
GROUP BY site, item_id
ORDER BY last_day DESC, site, item_id
LIMIT {{limit}}
