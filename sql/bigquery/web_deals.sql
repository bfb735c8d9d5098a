-- web_deals: the web view's list for one São Paulo day. The verdicts are fake_discounts.sql's
-- (that query, placed below with today's price history computed by price_history.sql); this adds
-- what the day's last observation of each item shows: the link, the image and the label, and the
-- watches whose runs saw it that day, its catalog product, and its seller with the seller's
-- standing (the row's own, else what the listing's page showed last within the 30 days up to the
-- day: product_details).
-- Reads: the day's and the 30 prior days' partitions of daily_offers and of product_details.
WITH judged AS (
{{judged}}
),
shown AS (
  SELECT
    site,
    item_id,
    ARRAY_AGG(
      STRUCT(url, image_url, label, product_id, seller, official_store, seller_reputation, seller_power_status)
      ORDER BY scraped_at DESC LIMIT 1
    )[OFFSET(0)] AS last,
    ARRAY_AGG(DISTINCT watch_id IGNORE NULLS ORDER BY watch_id) AS watch_ids
  FROM `{{dataset}}.daily_offers`
  WHERE offer_date = {{day}}
  GROUP BY site, item_id
),
standing AS (
  SELECT site, item_id,
    ARRAY_AGG(STRUCT(seller_reputation AS reputation, seller_power_status AS power) ORDER BY fetched_at DESC LIMIT 1)[OFFSET(0)] AS s
  FROM `{{dataset}}.product_details`
  WHERE detail_date BETWEEN DATE_SUB({{day}}, INTERVAL 30 DAY) AND {{day}} AND available
  GROUP BY site, item_id
)
SELECT
  j.site, j.item_id, j.title, j.currency, j.price, j.original_price, j.displayed_discount_pct,
  j.history_days, j.min_price_30d, j.max_price_30d, j.real_discount_pct, j.verdict, j.reason,
  s.last.url AS url, s.last.image_url AS image_url, s.last.label AS label, s.watch_ids,
  s.last.product_id AS product_id, s.last.seller AS seller, s.last.official_store AS official_store,
  IFNULL(s.last.seller_reputation, d.s.reputation) AS seller_reputation,
  IFNULL(s.last.seller_power_status, d.s.power) AS seller_power_status
FROM judged AS j
JOIN shown AS s USING (site, item_id)
LEFT JOIN standing AS d USING (site, item_id)
