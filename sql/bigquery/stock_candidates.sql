-- stock_candidates: every stock observation one load put into stock_observations on one day
-- ({{day}}), found by the load's Kafka positions ({{positions}}), each with the observation of the
-- same subject (an item's page, or a catalog product's) just before it, from any source, within
-- the prior {{look_back}} days: what back_in_stock needs ("for sale again after nothing was").
-- "Before" is by observation time, then stock key; rows observed after an observation never enter
-- its context. Reads one partition for the load's rows and the prior days' partitions for their
-- subjects only (clustered by site and subject).
-- BigQuery twin of sql/duckdb/stock_candidates.sql.
WITH observed AS (
  SELECT *, CONCAT(site, '|', subject, '|', subject_id) AS subject_key
  FROM `{{dataset}}.stock_observations`
  WHERE observed_date = {{day}} AND ({{positions}})
),
earlier AS (
  SELECT CONCAT(site, '|', subject, '|', subject_id) AS subject_key, stock_key, observed_at, available
  FROM `{{dataset}}.stock_observations`
  WHERE observed_date BETWEEN {{first_day}} AND {{day}}
    AND CONCAT(site, '|', subject, '|', subject_id) IN (SELECT subject_key FROM observed)
),
previous AS (
  SELECT stock_key, previous_available, previous_at
  FROM (
    SELECT o.stock_key, e.available AS previous_available, e.observed_at AS previous_at,
      ROW_NUMBER() OVER (PARTITION BY o.stock_key ORDER BY e.observed_at DESC, e.stock_key DESC) AS n
    FROM observed AS o
    JOIN earlier AS e ON e.subject_key = o.subject_key
      AND (e.observed_at < o.observed_at OR (e.observed_at = o.observed_at AND e.stock_key < o.stock_key))
  )
  WHERE n = 1
)
SELECT
  o.site, o.subject, o.item_id, o.product_id, o.title, o.available, o.available_quantity, o.price, o.seller,
  o.observed_at, o.stock_key, o.source, o.watch_id, o.watch_run, o.page_url, p.previous_available, p.previous_at
FROM observed AS o
LEFT JOIN previous AS p ON p.stock_key = o.stock_key
ORDER BY o.observed_at, o.stock_key
