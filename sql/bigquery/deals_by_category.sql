-- deals_by_category: the day's offers claiming a discount, by the top category of their
-- product page: how many, how many real, inflated or without enough history, and the average
-- real discount of the real ones. The verdicts are fake_discounts.sql's (computed for the day
-- like the web view's); categories come from item_details.sql (the last 30 days of details).
-- Reads: the day's and the prior 30 days' partitions of daily_offers and product_details.
WITH judged AS (
{{judged}}
),
details AS (
{{item_details}}
)
SELECT
  IFNULL(d.top_category, '(not detailed yet)') AS category,
  COUNT(*) AS offers,
  COUNTIF(j.verdict = 'real') AS real_deals,
  COUNTIF(j.verdict = 'inflated') AS inflated,
  COUNTIF(j.verdict = 'insufficient_history') AS insufficient_history,
  ROUND(AVG(IF(j.verdict = 'real', j.real_discount_pct, NULL)), 2) AS avg_real_discount_pct
FROM judged AS j
LEFT JOIN details AS d USING (site, item_id)
GROUP BY category
ORDER BY offers DESC, category
