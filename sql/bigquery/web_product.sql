-- web_product: one catalog product's price lines from {{first_day}} to {{last_day}}: per day and
-- per seller (its name, or the listing's id when the page named none), the lowest price its
-- listings of the product had that day (the rows of daily_offers carrying the product's id). The
-- product page draws a line per seller and the best-price line over them. Reads those days'
-- partitions only.
-- BigQuery twin of sql/duckdb/web_product.sql.
SELECT
  CAST(offer_date AS STRING) AS offer_date,
  IFNULL(seller, item_id) AS seller_key,
  ANY_VALUE(seller) AS seller,
  LOGICAL_OR(official_store) AS official_store,
  MIN(price) AS min_price,
  COUNT(DISTINCT item_id) AS listings,
  ANY_VALUE(currency) AS currency,
  ARRAY_AGG(title ORDER BY scraped_at DESC LIMIT 1)[OFFSET(0)] AS title
FROM `{{dataset}}.daily_offers`
WHERE offer_date BETWEEN {{first_day}} AND {{last_day}} AND site = {{site}} AND product_id = {{product_id}}
GROUP BY offer_date, seller_key
ORDER BY offer_date, seller_key
LIMIT {{limit}}
