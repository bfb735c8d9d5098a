-- web_item_product: the catalog product an item's listing belongs to, as its latest row between
-- {{first_day}} and {{last_day}} says (its page links to the product's). Reads those days'
-- partitions, clustered by item.
-- BigQuery twin of sql/duckdb/web_item_product.sql.
SELECT product_id
FROM `{{dataset}}.daily_offers`
WHERE offer_date BETWEEN {{first_day}} AND {{last_day}} AND site = @site AND item_id = @item_id
  AND product_id IS NOT NULL
ORDER BY scraped_at DESC
LIMIT 1
