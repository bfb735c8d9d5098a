-- daily_top_deals: the day's best real discounts (verdict real, real discount > 0), ranked per
--   site and overall; the top {{top_n}} of each.
-- Schedule:    every day 04:00 UTC, after fake_discounts.
-- Destination: {{dataset}}.daily_top_deals, that day's partition:
--              destination_table_name_template = daily_top_deals${run_time-24h|"%Y%m%d"}
-- Write disposition: WRITE_TRUNCATE (that partition only).
-- Reads:       one partition of fake_discounts.
-- Parameters:  @run_date (scheduler); {{top_n}} from Terraform or reports/queries.ts.
WITH real_deals AS (
  SELECT *
  FROM `{{dataset}}.fake_discounts`
  WHERE offer_date = DATE_SUB(@run_date, INTERVAL 1 DAY)
    AND verdict = 'real'
    AND real_discount_pct > 0
),
-- ordered by the percentage as FLOAT64: same order as NUMERIC (two decimals), and the BigQuery
-- emulator sorts NUMERIC values as text ("5" after "40")
ranked AS (
  SELECT
    offer_date, site, item_id, title, currency, price, min_price_30d, real_discount_pct, displayed_discount_pct,
    ROW_NUMBER() OVER (PARTITION BY site ORDER BY CAST(real_discount_pct AS FLOAT64) DESC, item_id) AS rank_in_site,
    ROW_NUMBER() OVER (ORDER BY CAST(real_discount_pct AS FLOAT64) DESC, site, item_id) AS rank_overall
  FROM real_deals
)
SELECT *
FROM ranked
WHERE rank_in_site <= {{top_n}} OR rank_overall <= {{top_n}}
ORDER BY rank_overall
