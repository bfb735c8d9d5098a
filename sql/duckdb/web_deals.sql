-- web_deals: the web view's list for one São Paulo day. The verdicts are fake_discounts.sql's
-- (that query, placed below with today's price history computed by price_history.sql); this adds
-- what the day's last observation of each item shows: the link, the image and the label, and the
-- watches whose runs saw it that day, its catalog product, and its seller with the seller's
-- standing (the row's own, else what the listing's page showed last within the 30 days up to the
-- day: product_details).
-- DuckDB twin of sql/bigquery/web_deals.sql.
WITH judged AS (
{{judged}}
),
shown AS (
  SELECT
    site,
    item_id,
    arg_max(url, scraped_at) AS url,
    arg_max(image_url, scraped_at) AS image_url,
    arg_max(label, scraped_at) AS label,
    list_sort(list_distinct(list(watch_id))) AS watch_ids,
    arg_max(product_id, scraped_at) AS product_id,
    arg_max(seller, scraped_at) AS seller,
    arg_max(official_store, scraped_at) AS official_store,
    arg_max(seller_reputation, scraped_at) AS seller_reputation,
    arg_max(seller_power_status, scraped_at) AS seller_power_status
  FROM {{dataset}}.daily_offers
  WHERE offer_date = {{day}}
  GROUP BY site, item_id
),
standing AS (
  SELECT site, item_id, arg_max({'reputation': seller_reputation, 'power': seller_power_status}, fetched_at) AS s
  FROM {{dataset}}.product_details
  WHERE detail_date BETWEEN {{day}} - 30 AND {{day}} AND available
  GROUP BY site, item_id
)
SELECT
  j.site, j.item_id, j.title, j.currency,
  CAST(j.price AS DECIMAL(18, 2)) AS price,
  CAST(j.original_price AS DECIMAL(18, 2)) AS original_price,
  j.displayed_discount_pct,
  j.history_days,
  CAST(j.min_price_30d AS DECIMAL(18, 2)) AS min_price_30d,
  CAST(j.max_price_30d AS DECIMAL(18, 2)) AS max_price_30d,
  CAST(j.real_discount_pct AS DECIMAL(18, 2)) AS real_discount_pct,
  j.verdict, j.reason, s.url, s.image_url, s.label, s.watch_ids, s.product_id, s.seller, s.official_store,
  coalesce(s.seller_reputation, d.s.reputation) AS seller_reputation,
  coalesce(s.seller_power_status, d.s.power) AS seller_power_status
FROM judged AS j
JOIN shown AS s USING (site, item_id)
LEFT JOIN standing AS d USING (site, item_id)
