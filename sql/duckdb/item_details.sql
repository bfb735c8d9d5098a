-- item_details: what each item's own page said the last time it was detailed between
-- {{first_day}} and {{last_day}} (product_details, written by the enricher). One row per item:
-- join it with price_history, daily_offers or fake_discounts USING (site, item_id).
-- DuckDB twin of sql/bigquery/item_details.sql (lists are 1-based here).
SELECT
  site,
  item_id,
  detail_date,
  title,
  category_id,
  category_path,
  category_path[1] AS top_category,
  product_id,
  condition,
  sold_quantity_min,
  official_store,
  seller_name,
  seller_id,
  seller_reputation,
  seller_power_status,
  seller_sales_min,
  rating,
  reviews,
  attributes,
  images
FROM {{dataset}}.product_details
WHERE detail_date BETWEEN {{first_day}} AND {{last_day}}
QUALIFY row_number() OVER (PARTITION BY site, item_id ORDER BY fetched_at DESC, kafka_partition DESC, kafka_offset DESC) = 1
