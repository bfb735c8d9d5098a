-- web_items: the items whose titles hold every word searched, seen between first_day and
-- last_day (item_days, read only on those days' partitions), most recently seen first: each
-- item's latest day, its title, price, currency and link that day, and its lowest price over the
-- days. BigQuery twin of sql/duckdb/web_items.sql.
SELECT
  site,
  item_id,
  MAX(offer_date) AS last_day,
  ARRAY_AGG(title ORDER BY offer_date DESC LIMIT 1)[OFFSET(0)] AS title,
  ARRAY_AGG(currency ORDER BY offer_date DESC LIMIT 1)[OFFSET(0)] AS currency,
  ARRAY_AGG(url ORDER BY offer_date DESC LIMIT 1)[OFFSET(0)] AS url,
  ARRAY_AGG(last_price ORDER BY offer_date DESC LIMIT 1)[OFFSET(0)] AS last_price,
  MIN(min_price) AS min_price,
  COUNT(*) AS days_seen
FROM `{{dataset}}.item_days`
WHERE offer_date BETWEEN {{first_day}} AND {{last_day}} AND {{site}} AND {{words}}
GROUP BY site, item_id
ORDER BY last_day DESC, site, item_id
LIMIT {{limit}}
