-- daily_offers: what the consumer loaded for one day, per site.
-- Ad hoc (not scheduled). Reads one partition of daily_offers.
-- Parameters: @report_date DATE, the São Paulo day to report on.
SELECT
  site,
  COUNT(*) AS offers,
  COUNT(DISTINCT item_id) AS items,
  COUNT(DISTINCT scrape_id) AS scrapes,
  MIN(price) AS min_price,
  MAX(price) AS max_price,
  COUNTIF(discount_pct IS NOT NULL) AS with_discount,
  MAX(scraped_at) AS last_scraped_at
FROM `{{dataset}}.daily_offers`
WHERE offer_date = @report_date
GROUP BY site
ORDER BY site
