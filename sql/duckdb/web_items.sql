-- web_items: the items whose titles hold every word searched, seen between first_day and
-- last_day (item_days, read only on those days), most recently seen first: each item's latest
-- day, its title, price, currency and link that day, and its lowest price over the days.
-- DuckDB twin of sql/bigquery/web_items.sql.
SELECT
  site,
  item_id,
  max(offer_date) AS last_day,
  arg_max(title, offer_date) AS title,
  arg_max(currency, offer_date) AS currency,
  arg_max(url, offer_date) AS url,
  CAST(arg_max(last_price, offer_date) AS DECIMAL(18, 2)) AS last_price,
  CAST(min(min_price) AS DECIMAL(18, 2)) AS min_price,
  count(*) AS days_seen
FROM {{dataset}}.item_days
WHERE offer_date BETWEEN {{first_day}} AND {{last_day}} AND {{site}} AND {{words}}
GROUP BY site, item_id
ORDER BY last_day DESC, site, item_id
LIMIT {{limit}}
