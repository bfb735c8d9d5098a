-- web_product_stock: what the pages said of one catalog product's stock from {{first_day}} to
-- {{last_day}}: every observation of its catalog page (stock_observations, subject product), in
-- observation order. The product page shades the periods it was out of stock. Reads those days'
-- partitions, clustered by site and subject.
-- BigQuery twin of sql/duckdb/web_product_stock.sql.
SELECT CONCAT(FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%E3S', observed_at, 'UTC'), 'Z') AS observed_at, available, available_quantity
FROM `{{dataset}}.stock_observations`
WHERE observed_date BETWEEN {{first_day}} AND {{last_day}} AND site = {{site}} AND subject = 'product'
  AND subject_id = {{product_id}}
ORDER BY observed_at, stock_key
LIMIT {{limit}}
