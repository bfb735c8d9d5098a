-- product_discounts: the verdict at product level. For each catalog product of the day whose best
--   price claims a discount: that price (the lowest of its listings' last prices of the day, and
--   who had it), the lowest price of the prior 30 days across every seller, the real discount
--   against it, and fake_discounts.sql's own verdict (the same rules as an item's,
--   given product_history.sql in place of price_history). A seller who relists starts no fresh
--   history here: the product's low is every listing's.
-- Schedule:    every day 03:50 UTC, after the São Paulo day ended.
-- Destination: {{dataset}}.product_discounts, that day's partition:
--              destination_table_name_template = product_discounts${run_time-24h|"%Y%m%d"}
-- Write disposition: WRITE_TRUNCATE (that partition only).
-- Reads:       30 partitions of product_days and one of daily_offers (product_history.sql).
-- Parameters:  @run_date (scheduler); the tolerance and minimum history as fake_discounts.sql's.
WITH product_history AS (
{{product_history}}
),
judged AS (
{{judged}}
),
-- the report day's products: who had the best price, how many listings and sellers
best_of_day AS (
  SELECT *
  FROM product_history
  WHERE offer_date = DATE_SUB(@run_date, INTERVAL 1 DAY)
)
SELECT
  j.offer_date, j.site, j.item_id AS product_id, j.title, j.currency, j.price, j.original_price,
  j.displayed_discount_pct, j.history_days, j.min_price_30d, j.max_price_30d, j.real_discount_pct, j.verdict,
  j.reason, t.last_item_id AS best_item_id, t.last_seller AS best_seller,
  t.last_official_store AS best_official_store, t.listings, t.sellers
FROM judged AS j
JOIN best_of_day AS t ON t.site = j.site AND t.item_id = j.item_id
ORDER BY site, product_id
