-- alert_candidates: the items one load touched on one day (day), each with what the alert
-- rules compare: the day's last price, the lowest prices of the prior days (low_columns),
-- the price of the item's previous day seen, and the day's verdict from fake_discounts.sql
-- (judged, over item_days of these items only). Reads item_days' partitions of the day and
-- of the prior max_days days (clustered by item), never daily_offers.
-- BigQuery twin of sql/duckdb/alert_candidates.sql.
WITH touched AS (
  SELECT site, item_id, title, currency, url, last_price, original_price, displayed_discount_pct, watch_ids
  FROM `{{dataset}}.item_days`
  WHERE offer_date = {{day}} AND updated_by_batch = {{batch_id}}
),
-- the touched items' days, read once: the lows and fake_discounts.sql's price history both use them
history AS (
  SELECT d.offer_date, d.site, d.item_id, d.title, d.currency, d.last_price, d.original_price,
    d.displayed_discount_pct, d.min_price, d.max_price
  FROM `{{dataset}}.item_days` AS d
  JOIN (SELECT DISTINCT site, item_id FROM touched) AS k USING (site, item_id)
  WHERE d.offer_date BETWEEN {{history_first}} AND {{day}}
),
lows AS (
  SELECT
    site,
    item_id,
    {{low_columns}},
    ARRAY_AGG(last_price ORDER BY offer_date DESC LIMIT 1)[OFFSET(0)] AS previous_price,
    MAX(offer_date) AS previous_day
  FROM history
  WHERE offer_date < {{day}}
  GROUP BY site, item_id
),
judged AS (
{{judged}}
)
SELECT
  t.site, t.item_id, t.title, t.currency, t.url,
  t.last_price AS price,
  t.original_price,
  t.displayed_discount_pct,
  t.watch_ids,
  l.previous_price,
  l.previous_day,
  {{low_selected}},
  j.verdict,
  j.real_discount_pct,
  j.min_price_30d,
  j.history_days
FROM touched AS t
LEFT JOIN lows AS l USING (site, item_id)
LEFT JOIN judged AS j USING (site, item_id)
ORDER BY t.site, t.item_id
