-- alert_candidates: the items one load touched on one day (day), each with what the alert
-- rules compare: the day's last price, the lowest prices of the prior days (low_columns),
-- the price of the item's previous day seen, and the day's verdict from fake_discounts.sql
-- (judged, over item_days of these items only). Reads item_days of the day and of the
-- prior max_days days, never daily_offers: the cost follows the load, not the history.
-- DuckDB twin of sql/bigquery/alert_candidates.sql.
WITH touched AS MATERIALIZED (
  SELECT site, item_id, title, currency, url, last_price, original_price, displayed_discount_pct, watch_ids
  FROM {{dataset}}.item_days
  WHERE offer_date = {{day}} AND updated_by_batch = {{batch_id}}
),
-- the touched items' days, read once: the lows and fake_discounts.sql's price history both use them
history AS MATERIALIZED (
  SELECT d.offer_date, d.site, d.item_id, d.title, d.currency, d.last_price, d.original_price,
    d.displayed_discount_pct, d.min_price, d.max_price
  FROM {{dataset}}.item_days AS d
  JOIN (SELECT DISTINCT site, item_id FROM touched) AS k USING (site, item_id)
  WHERE d.offer_date BETWEEN {{history_first}} AND {{day}}
),
lows AS (
  SELECT
    site,
    item_id,
    {{low_columns}},
    arg_max(last_price, offer_date) AS previous_price,
    max(offer_date) AS previous_day
  FROM history
  WHERE offer_date < {{day}}
  GROUP BY site, item_id
),
judged AS (
{{judged}}
)
SELECT
  t.site, t.item_id, t.title, t.currency, t.url,
  CAST(t.last_price AS DECIMAL(18, 2)) AS price,
  CAST(t.original_price AS DECIMAL(18, 2)) AS original_price,
  t.displayed_discount_pct,
  t.watch_ids,
  CAST(l.previous_price AS DECIMAL(18, 2)) AS previous_price,
  l.previous_day,
  {{low_selected}},
  j.verdict,
  CAST(j.real_discount_pct AS DECIMAL(18, 2)) AS real_discount_pct,
  CAST(j.min_price_30d AS DECIMAL(18, 2)) AS min_price_30d,
  j.history_days
FROM touched AS t
LEFT JOIN lows AS l USING (site, item_id)
LEFT JOIN judged AS j USING (site, item_id)
ORDER BY t.site, t.item_id
