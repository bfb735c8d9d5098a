-- fake_discounts: for each offer of the day that claims a discount, the lowest price the item had
--   in the prior 30 days, the real discount against it, and a verdict. The prior-30-day low is the
--   reference price of the EU Omnibus directive, and the rule Brazilian deal communities apply.
--     insufficient_history  the item was seen on fewer than {{min_history_days}} of the prior 30 days;
--     inflated              the displayed original price is more than {{tolerance_pct}}% above the
--                           30-day high, or the real discount is more than {{tolerance_pct}} points
--                           below the displayed one;
--     real                  otherwise.
-- Schedule:    every day 03:45 UTC, after price_history.
-- Destination: {{dataset}}.fake_discounts, that day's partition:
--              destination_table_name_template = fake_discounts${run_time-24h|"%Y%m%d"}
-- Write disposition: WRITE_TRUNCATE (that partition only).
-- Reads:       31 partitions of price_history (the day and the 30 before it).
-- Parameters:  @run_date (scheduler). The price_history placeholder is the price_history table when
--              scheduled; the web view puts today's price history computed by price_history.sql
--              there. The tolerance and minimum history are filled in by Terraform (variables) or by
--              reports/queries.ts (--param).
WITH today AS (
  SELECT *
  FROM {{price_history}}
  WHERE offer_date = DATE_SUB(@run_date, INTERVAL 1 DAY)
    AND displayed_discount_pct IS NOT NULL
),
history AS (
  SELECT
    site,
    item_id,
    COUNT(DISTINCT offer_date) AS history_days,
    MIN(min_price) AS min_price_30d,
    MAX(max_price) AS max_price_30d
  FROM {{price_history}}
  WHERE offer_date BETWEEN DATE_SUB(@run_date, INTERVAL 31 DAY) AND DATE_SUB(@run_date, INTERVAL 2 DAY)
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
    IFNULL(h.history_days, 0) AS history_days,
    h.min_price_30d,
    h.max_price_30d,
    ROUND((h.min_price_30d - t.last_price) * 100 / NULLIF(h.min_price_30d, 0), 2) AS real_discount_pct
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
