-- daily_top_deals: DuckDB twin of sql/bigquery/daily_top_deals.sql (identical but for `date - 1`
-- and identifiers without backticks).
WITH real_deals AS (
  SELECT *
  FROM {{dataset}}.fake_discounts
  WHERE offer_date = $run_date - 1
    AND verdict = 'real'
    AND real_discount_pct > 0
),
ranked AS (
  SELECT
    offer_date, site, item_id, title, currency, price, min_price_30d, real_discount_pct, displayed_discount_pct,
    row_number() OVER (PARTITION BY site ORDER BY real_discount_pct DESC, item_id) AS rank_in_site,
    row_number() OVER (ORDER BY real_discount_pct DESC, site, item_id) AS rank_overall
  FROM real_deals
)
SELECT *
FROM ranked
WHERE rank_in_site <= {{top_n}} OR rank_overall <= {{top_n}}
ORDER BY rank_overall
