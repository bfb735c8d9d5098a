-- fake_discounts: DuckDB twin of sql/bigquery/fake_discounts.sql (same rules, same columns).
-- Differences: `date - n` for DATE_SUB(…, INTERVAL n DAY); no backticks; the real discount is
-- rounded as a DOUBLE (DuckDB divides decimals in floating point), so a value exactly on a
-- half cent may round differently from BigQuery's NUMERIC.
WITH today AS (
  SELECT *
  FROM {{price_history}}
  WHERE offer_date = $run_date - 1
    AND displayed_discount_pct IS NOT NULL
),
history AS (
  SELECT
    site,
    item_id,
    count(DISTINCT offer_date) AS history_days,
    min(min_price) AS min_price_30d,
    max(max_price) AS max_price_30d
  FROM {{price_history}}
  WHERE offer_date BETWEEN $run_date - 31 AND $run_date - 2
  GROUP BY site, item_id
),
scored AS (
  SELECT
    t.offer_date,
    t.site,
    t.item_id,
    t.title,
    t.currency,
    t.last_price AS price,
    t.original_price,
    t.displayed_discount_pct,
    ifnull(h.history_days, 0) AS history_days,
    h.min_price_30d,
    h.max_price_30d,
    round((h.min_price_30d - t.last_price) * 100 / nullif(h.min_price_30d, 0), 2) AS real_discount_pct
  FROM today AS t
  LEFT JOIN history AS h USING (site, item_id)
),
judged AS (
  SELECT
    *,
    CASE
      WHEN history_days < {{min_history_days}} THEN 'history_days_below_minimum'
      WHEN original_price > max_price_30d * (1 + {{tolerance_pct}} / 100) THEN 'original_above_30d_high'
      WHEN real_discount_pct < displayed_discount_pct - {{tolerance_pct}} THEN 'real_discount_below_displayed'
    END AS reason
  FROM scored
)
SELECT
  offer_date, site, item_id, title, currency, price, original_price, displayed_discount_pct,
  history_days, min_price_30d, max_price_30d, real_discount_pct,
  CASE
    WHEN reason IS NULL THEN 'real'
    WHEN reason = 'history_days_below_minimum' THEN 'insufficient_history'
    ELSE 'inflated'
  END AS verdict,
  reason
FROM judged
ORDER BY site, item_id
