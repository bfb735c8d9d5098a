-- alert_candidates: every observation one load put into daily_offers on one day ({{day}}), found
-- by the load's Kafka positions ({{positions}}), each with what the alert rules compare it with:
-- the lowest prices of the prior days (low_columns), the item's previous day seen and its last
-- price there, and the verdict fake_discounts.sql gives the observation's own price against the
-- prior 30 days (judged). Only days before {{day}} are read from item_days: what later loads of
-- the same day folded never changes an observation's context, so a late or repeated evaluation
-- decides what a timely one did. Reads one partition of daily_offers and item_days' partitions
-- of the prior max_days days for the observed items (clustered by item), never more history.
-- BigQuery twin of sql/duckdb/alert_candidates.sql.
WITH observed AS (
  SELECT site, item_id, offer_key, scraped_at, kafka_partition, kafka_offset, title, currency, url, price,
    original_price,
    COALESCE(discount_pct, CAST(ROUND(computed_discount_pct) AS INT64)) AS displayed_discount_pct,
    watch_id, watch_run, official_store, seller_reputation, seller_power_status
  FROM `{{dataset}}.daily_offers`
  WHERE offer_date = {{day}} AND ({{positions}})
),
-- the observed items' prior days, read once: the lows and fake_discounts.sql's history both use them
history AS (
  SELECT d.offer_date, d.site, d.item_id, d.title, d.currency, d.last_price, d.original_price,
    d.displayed_discount_pct, d.min_price, d.max_price
  FROM `{{dataset}}.item_days` AS d
  WHERE d.offer_date BETWEEN {{history_first}} AND {{day_before}}
    AND CONCAT(d.site, '|', d.item_id) IN (SELECT CONCAT(site, '|', item_id) FROM observed)
),
lows AS (
  SELECT
    site,
    item_id,
    {{low_columns}},
    ARRAY_AGG(last_price ORDER BY offer_date DESC LIMIT 1)[OFFSET(0)] AS previous_price,
    MAX(offer_date) AS previous_day
  FROM history
  GROUP BY site, item_id
),
-- each price an item was observed at that day, as a day of fake_discounts.sql's price history
quotes AS (
  SELECT DISTINCT {{day}} AS offer_date, site, item_id, CAST(NULL AS STRING) AS title,
    CAST(NULL AS STRING) AS currency, price AS last_price, original_price, displayed_discount_pct,
    price AS min_price, price AS max_price
  FROM observed
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
  o.site, o.item_id, o.offer_key, o.scraped_at, o.kafka_partition, o.kafka_offset, o.title, o.currency, o.url,
  o.price,
  o.original_price,
  o.displayed_discount_pct,
  o.watch_id,
  o.watch_run,
  o.official_store,
  o.seller_reputation,
  o.seller_power_status,
  l.previous_price,
  l.previous_day,
  {{low_selected}},
  j.verdict,
  j.real_discount_pct,
  j.min_price_30d,
  j.history_days
FROM observed AS o
LEFT JOIN lows AS l USING (site, item_id)
LEFT JOIN judged AS j
  ON j.site = o.site AND j.item_id = o.item_id AND j.price = o.price
  AND j.displayed_discount_pct = o.displayed_discount_pct
  AND (j.original_price = o.original_price OR (j.original_price IS NULL AND o.original_price IS NULL))
ORDER BY o.scraped_at, o.kafka_partition, o.kafka_offset
