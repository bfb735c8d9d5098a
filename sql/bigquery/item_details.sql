-- item_details: what each item's own page said the last time it was detailed between
-- {{first_day}} and {{last_day}} (product_details, written by the enricher). One row per item:
-- join it with price_history, daily_offers or fake_discounts USING (site, item_id).
-- Reads: the range's partitions of product_details. Terraform makes it the view `item_details`
-- over the last 30 days.
SELECT
  site,
  item_id,
  detail_date,
  title,
  category_id,
  category_path,
  category_path[SAFE_OFFSET(0)] AS top_category,
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
FROM `{{dataset}}.product_details`
WHERE detail_date BETWEEN {{first_day}} AND {{last_day}}
QUALIFY ROW_NUMBER() OVER (PARTITION BY site, item_id ORDER BY fetched_at DESC, kafka_partition DESC, kafka_offset DESC) = 1
