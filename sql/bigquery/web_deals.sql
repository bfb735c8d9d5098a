-- web_deals: the web view's list for one São Paulo day. The verdicts are fake_discounts.sql's
-- (that query, placed below with today's price history computed by price_history.sql); this adds
-- what the day's last observation of each item shows: the link, the image and the label, and the
-- watches whose runs saw it that day.
-- Reads: the day's and the 30 prior days' partitions of daily_offers (nothing else).
WITH judged AS (
{{judged}}
),
shown AS (
  SELECT
    site,
    item_id,
    ARRAY_AGG(STRUCT(url, image_url, label) ORDER BY scraped_at DESC LIMIT 1)[OFFSET(0)] AS last,
    ARRAY_AGG(DISTINCT watch_id IGNORE NULLS ORDER BY watch_id) AS watch_ids
  FROM `{{dataset}}.daily_offers`
  WHERE offer_date = {{day}}
  GROUP BY site, item_id
)
SELECT
  j.site, j.item_id, j.title, j.currency, j.price, j.original_price, j.displayed_discount_pct,
  j.history_days, j.min_price_30d, j.max_price_30d, j.real_discount_pct, j.verdict, j.reason,
  s.last.url AS url, s.last.image_url AS image_url, s.last.label AS label, s.watch_ids
FROM judged AS j
JOIN shown AS s USING (site, item_id)
