-- product_history: DuckDB twin of sql/bigquery/product_history.sql (same days, same columns):
--   each catalog product's days, product_id in item_id's place, for fake_discounts.sql; the prior
--   days from product_days, the report day from daily_offers by product_day_summary.sql.
SELECT
  offer_date, site, product_id AS item_id, title, currency, last_price, original_price, displayed_discount_pct,
  min_price, max_price, last_item_id, last_seller, last_official_store, listings, sellers
FROM {{dataset}}.product_days
WHERE offer_date BETWEEN $run_date - 31 AND $run_date - 2
UNION ALL
SELECT
  offer_date, site, product_id AS item_id, title, currency, last_price, original_price, displayed_discount_pct,
  min_price, max_price, last_item_id, last_seller, last_official_store, listings, sellers
FROM ({{report_day_products}})
