-- web_items: the items whose titles hold every word searched, seen between first_day and
-- last_day, most recently seen first: each item's latest day, its title, price, currency and link
-- that day, its catalog product (the search page groups a product's listings), and its lowest
-- price over the days. The days the consumer folded come from item_days;
-- the days it has not (the day being scraped, and any not closed yet) from daily_offers, reduced
-- the same way for the matching titles only. Both read only those days.
-- DuckDB twin of sql/bigquery/web_items.sql.
WITH folded AS (
  SELECT DISTINCT offer_date FROM {{dataset}}.item_days WHERE offer_date BETWEEN {{first_day}} AND {{last_day}}
),
days AS (
  SELECT offer_date, site, item_id, title, currency, url, last_price, min_price, product_id
  FROM {{dataset}}.item_days
  WHERE offer_date BETWEEN {{first_day}} AND {{last_day}} AND {{site}} AND {{words}}
  UNION ALL
  SELECT
    offer_date,
    site,
    item_id,
    arg_max(title, scraped_at) AS title,
    arg_max(currency, scraped_at) AS currency,
    arg_max(url, scraped_at) AS url,
    arg_max(price, scraped_at) AS last_price,
    min(price) AS min_price,
    arg_max(product_id, scraped_at) FILTER (WHERE product_id IS NOT NULL) AS product_id
  FROM {{dataset}}.daily_offers
  WHERE offer_date BETWEEN {{first_day}} AND {{last_day}} AND {{site}} AND {{words}}
    AND offer_date NOT IN (SELECT offer_date FROM folded)
  GROUP BY offer_date, site, item_id
)
SELECT
  site,
  item_id,
  max(offer_date) AS last_day,
  arg_max(title, offer_date) AS title,
  arg_max(currency, offer_date) AS currency,
  arg_max(url, offer_date) AS url,
  CAST(arg_max(last_price, offer_date) AS DECIMAL(18, 2)) AS last_price,
  CAST(min(min_price) AS DECIMAL(18, 2)) AS min_price,
  count(*) AS days_seen,
  arg_max(product_id, offer_date) FILTER (WHERE product_id IS NOT NULL) AS product_id
FROM days
GROUP BY site, item_id
ORDER BY last_day DESC, site, item_id
LIMIT {{limit}}
