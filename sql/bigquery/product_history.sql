-- product_history: each catalog product's days as price_history.sql's columns, product_id in
--   item_id's place, so that fake_discounts.sql judges a product as it judges an item: its price of
--   the day is its best price at the day's end (the lowest of its listings' last prices), its
--   30-day low and high are across every seller. The prior days come from product_days (folded
--   as loads land); the report day from daily_offers by product_day_summary.sql, since a
--   scheduled query may run before that day is folded.
-- Reads:       30 partitions of product_days and one of daily_offers.
-- Parameters:  @run_date (the report day is the day before). Used by product_discounts.sql.
SELECT
  offer_date, site, product_id AS item_id, title, currency, last_price, original_price, displayed_discount_pct,
  min_price, max_price, last_item_id, last_seller, last_official_store, listings, sellers
FROM `{{dataset}}.product_days`
WHERE offer_date BETWEEN DATE_SUB(@run_date, INTERVAL 31 DAY) AND DATE_SUB(@run_date, INTERVAL 2 DAY)
UNION ALL
SELECT
  offer_date, site, product_id AS item_id, title, currency, last_price, original_price, displayed_discount_pct,
  min_price, max_price, last_item_id, last_seller, last_official_store, listings, sellers
FROM ({{report_day_products}})
