-- deals_by_category: the day's offers claiming a discount, by the top category of their
-- product page: how many, how many real, inflated or without enough history, and the average
-- real discount of the real ones. The verdicts are fake_discounts.sql's (computed for the day
-- like the web view's); categories come from item_details.sql (the last 30 days of details).
-- DuckDB twin of sql/bigquery/deals_by_category.sql.
WITH judged AS (
{{judged}}
),
details AS (
{{item_details}}
)
SELECT
  coalesce(d.top_category, '(not detailed yet)') AS category,
  count(*)::INTEGER AS offers,
  (count(*) FILTER (WHERE j.verdict = 'real'))::INTEGER AS real_deals,
  (count(*) FILTER (WHERE j.verdict = 'inflated'))::INTEGER AS inflated,
  (count(*) FILTER (WHERE j.verdict = 'insufficient_history'))::INTEGER AS insufficient_history,
  CAST(avg(j.real_discount_pct) FILTER (WHERE j.verdict = 'real') AS DECIMAL(15, 2)) AS avg_real_discount_pct
FROM judged AS j
LEFT JOIN details AS d USING (site, item_id)
GROUP BY 1
ORDER BY offers DESC, category
