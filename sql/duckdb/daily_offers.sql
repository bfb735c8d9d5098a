-- daily_offers: DuckDB twin of sql/bigquery/daily_offers.sql.
-- Differences: count(*) FILTER for COUNTIF; money shown with 2 places, timestamps as ISO UTC.
SELECT
  site,
  count(*)::INTEGER AS offers,
  count(DISTINCT item_id)::INTEGER AS items,
  count(DISTINCT scrape_id)::INTEGER AS scrapes,
  min(price)::DECIMAL(15, 2) AS min_price,
  max(price)::DECIMAL(15, 2) AS max_price,
  (count(*) FILTER (WHERE discount_pct IS NOT NULL))::INTEGER AS with_discount,
  strftime(max(scraped_at), '%Y-%m-%dT%H:%M:%S.%gZ') AS last_scraped_at
FROM {{dataset}}.daily_offers
WHERE offer_date = CAST($report_date AS DATE)
GROUP BY site
ORDER BY site
