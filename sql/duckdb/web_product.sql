-- web_product: one catalog product's price lines from {{first_day}} to {{last_day}}: per day and
-- per seller (its name, or the listing's id when the page named none), the lowest price its
-- listings of the product had that day (the rows of daily_offers carrying the product's id). The
-- product page draws a line per seller and the best-price line over them. Reads those days only.
-- DuckDB twin of sql/bigquery/web_product.sql.
SELECT
  CAST(offer_date AS VARCHAR) AS offer_date,
  coalesce(seller, item_id) AS seller_key,
  any_value(seller) AS seller,
  bool_or(official_store) AS official_store,
  CAST(min(price) AS DECIMAL(18, 2)) AS min_price,
  count(DISTINCT item_id) AS listings,
  any_value(currency) AS currency,
  arg_max(title, scraped_at) AS title
FROM {{dataset}}.daily_offers
WHERE offer_date BETWEEN {{first_day}} AND {{last_day}} AND site = {{site}} AND product_id = {{product_id}}
GROUP BY offer_date, seller_key
ORDER BY offer_date, seller_key
LIMIT {{limit}}
