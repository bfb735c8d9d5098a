-- product_candidates: every observation one load put into daily_offers on one day ({{day}}) of the
-- catalog products product watches follow ({{products}}: 'site|product_id' strings), found by the
-- load's Kafka positions ({{positions}}), each with its product's board: every listing of the
-- product, as its latest row of the day at or before the observation showed it (scrape time, ties
-- by offer key), with the seller's standing (the row's own, else what the listing's page showed
-- last before the day: product_details) and the verdict fake_discounts.sql gives that price at
-- product level (judged: the product's prior 30 days across every seller, from product_days).
-- The alerter picks each rule's best price from the board (the lowest among the sellers the rule
-- counts): docs/alerts.md, "Products". With the board, the product's lows of the prior days and
-- the last best price of its previous day. Only days before {{day}} are read from product_days, and
-- rows of {{day}} scraped after an observation never enter its board. One row per (observation,
-- listing). Cost: the day's rows of the watched products and their product_days.
-- DuckDB twin of sql/bigquery/product_candidates.sql.
WITH observed AS MATERIALIZED (
  SELECT site, product_id, item_id, offer_key, scraped_at, watch_id, watch_run
  FROM {{dataset}}.daily_offers
  WHERE offer_date = {{day}} AND ({{positions}}) AND product_id IS NOT NULL
    AND site || '|' || product_id IN ({{products}})
),
-- the day's rows of those products: what each listing showed, and when
listed AS MATERIALIZED (
  SELECT site, product_id, item_id, offer_key, scraped_at, title, currency, url, price, original_price,
    coalesce(discount_pct, CAST(round(computed_discount_pct) AS BIGINT)) AS displayed_discount_pct,
    seller, official_store, seller_reputation, seller_power_status
  FROM {{dataset}}.daily_offers
  WHERE offer_date = {{day}} AND product_id IS NOT NULL
    AND site || '|' || product_id IN (SELECT site || '|' || product_id FROM observed)
),
-- what each listing's own page said of its seller last, before the day
standing AS (
  SELECT site, item_id,
    arg_max({'reputation': seller_reputation, 'power': seller_power_status}, fetched_at) AS s
  FROM {{dataset}}.product_details
  WHERE detail_date BETWEEN {{history_first}} AND {{day_before}} AND available
    AND site || '|' || item_id IN (SELECT site || '|' || item_id FROM listed)
  GROUP BY site, item_id
),
board AS MATERIALIZED (
  SELECT o.offer_key AS observed_key, l.*
  FROM observed AS o
  JOIN listed AS l ON l.site = o.site AND l.product_id = o.product_id
    AND (l.scraped_at < o.scraped_at OR (l.scraped_at = o.scraped_at AND l.offer_key <= o.offer_key))
  QUALIFY row_number() OVER (PARTITION BY o.offer_key, l.item_id ORDER BY l.scraped_at DESC, l.offer_key DESC) = 1
),
-- the observed products' prior days, in price_history's columns (product_id in item_id's place)
history AS MATERIALIZED (
  SELECT offer_date, site, product_id AS item_id, title, currency, last_price, original_price,
    displayed_discount_pct, min_price, max_price
  FROM {{dataset}}.product_days
  WHERE offer_date BETWEEN {{history_first}} AND {{day_before}}
    AND site || '|' || product_id IN (SELECT site || '|' || product_id FROM observed)
),
lows AS (
  SELECT
    site,
    item_id AS product_id,
    {{low_columns}},
    arg_max(last_price, offer_date) AS previous_price,
    max(offer_date) AS previous_day
  FROM history
  GROUP BY site, item_id
),
-- each price on a board, as a day of fake_discounts.sql's price history
quotes AS (
  SELECT DISTINCT {{day}} AS offer_date, site, product_id AS item_id, CAST(NULL AS VARCHAR) AS title,
    CAST(NULL AS VARCHAR) AS currency, price AS last_price, original_price, displayed_discount_pct,
    price AS min_price, price AS max_price
  FROM board
),
priced AS (
  SELECT * FROM history
  UNION ALL
  SELECT * FROM quotes
),
judged AS (
{{judged}}
)
SELECT
  o.site, o.product_id, o.item_id AS observed_item_id, o.offer_key, o.scraped_at, o.watch_id, o.watch_run,
  b.item_id, b.title, b.currency, b.url,
  CAST(b.price AS DECIMAL(18, 2)) AS price,
  CAST(b.original_price AS DECIMAL(18, 2)) AS original_price,
  b.displayed_discount_pct, b.seller, b.official_store,
  coalesce(b.seller_reputation, s.s.reputation) AS seller_reputation,
  coalesce(b.seller_power_status, s.s.power) AS seller_power_status,
  CAST(l.previous_price AS DECIMAL(18, 2)) AS previous_price,
  l.previous_day,
  {{low_selected}},
  j.verdict,
  CAST(j.real_discount_pct AS DECIMAL(18, 2)) AS real_discount_pct,
  CAST(j.min_price_30d AS DECIMAL(18, 2)) AS min_price_30d,
  j.history_days
FROM observed AS o
JOIN board AS b ON b.observed_key = o.offer_key
LEFT JOIN standing AS s ON s.site = b.site AND s.item_id = b.item_id
LEFT JOIN lows AS l ON l.site = o.site AND l.product_id = o.product_id
LEFT JOIN judged AS j
  ON j.site = b.site AND j.item_id = b.product_id AND j.price = b.price
  AND j.displayed_discount_pct = b.displayed_discount_pct
  AND j.original_price IS NOT DISTINCT FROM b.original_price
ORDER BY o.scraped_at, o.offer_key, b.item_id
