-- product_discounts: DuckDB twin of sql/bigquery/product_discounts.sql (same rules, same columns):
--   each product's best price of the day judged by fake_discounts.sql against the lowest price of
--   its prior 30 days across every seller, with who had that price.
WITH product_history AS (
{{product_history}}
),
judged AS (
{{judged}}
),
best_of_day AS (
  SELECT *
  FROM product_history
  WHERE offer_date = $run_date - 1
)
SELECT
  j.offer_date, j.site, j.item_id AS product_id, j.title, j.currency, j.price, j.original_price,
  j.displayed_discount_pct, j.history_days, j.min_price_30d, j.max_price_30d, j.real_discount_pct, j.verdict,
  j.reason, t.last_item_id AS best_item_id, t.last_seller AS best_seller,
  t.last_official_store AS best_official_store, t.listings, t.sellers
FROM judged AS j
JOIN best_of_day AS t ON t.site = j.site AND t.item_id = j.item_id
ORDER BY site, product_id
