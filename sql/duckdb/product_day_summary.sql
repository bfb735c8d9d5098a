-- product_day_summary: one day ({{day}}) of product_days computed from daily_offers: per catalog
-- product (the rows that carry a product_id), what its listings did that day. The lowest and
-- highest price any listing had and who had the lowest (the earliest observation at that price);
-- the product's best price at the day's end: the lowest of its listings' last prices (each
-- listing's last observation: latest scraped_at, ties by Kafka position), with that listing's
-- seller, "original" price and discount shown (ties by item id); how many listings and named
-- sellers were seen for sale; the watches that saw it. {{products}} is TRUE for a whole day or
-- the products a late batch brought rows for; {{chunk}} a hash of the product (the fold writes a
-- busy day in chunks). Its users: the fold (reports/product-days-sql.ts: a day's rows deleted,
-- then these written, with item_days, in one transaction) and product_history.sql (the report
-- day of the product verdict, before it is folded).
-- DuckDB twin of sql/bigquery/product_day_summary.sql.
WITH day AS (
  SELECT *, coalesce(discount_pct, CAST(round(computed_discount_pct) AS BIGINT)) AS displayed_discount_pct
  FROM daily_offers
  WHERE offer_date = {{day}} AND product_id IS NOT NULL AND {{products}} AND {{chunk}}
),
-- each listing's last observation of the day
listings AS (
  SELECT
    site,
    product_id,
    item_id,
    arg_max(
      {
        'price': price,
        'title': title,
        'currency': currency,
        'url': url,
        'seller': seller,
        'official_store': official_store,
        'original_price': original_price,
        'displayed_discount_pct': displayed_discount_pct
      },
      {'at': scraped_at, 'partition': kafka_partition, 'offset': kafka_offset}
    ) AS last
  FROM day
  GROUP BY site, product_id, item_id
),
best AS (
  SELECT site, product_id, arg_min({'item_id': item_id, 'last': last}, {'price': last.price, 'item_id': item_id}) AS pick
  FROM listings
  GROUP BY site, product_id
),
product AS (
  SELECT
    offer_date,
    site,
    product_id,
    min(price) AS min_price,
    max(price) AS max_price,
    arg_min(
      {'item_id': item_id, 'seller': seller},
      {'price': price, 'at': scraped_at, 'partition': kafka_partition, 'offset': kafka_offset}
    ) AS low,
    count(DISTINCT item_id) AS listings,
    count(DISTINCT seller) AS sellers,
    max(scraped_at) AS last_scraped_at,
    coalesce(list_sort(list(DISTINCT watch_id) FILTER (WHERE watch_id IS NOT NULL)), []) AS watch_ids
  FROM day
  GROUP BY offer_date, site, product_id
)
SELECT
  p.offer_date, p.site, p.product_id, b.pick.last.title AS title, b.pick.last.currency AS currency,
  b.pick.last.url AS url, p.min_price, p.low.item_id AS low_item_id, p.low.seller AS low_seller,
  p.max_price, b.pick.last.price AS last_price, b.pick.item_id AS last_item_id,
  b.pick.last.seller AS last_seller, b.pick.last.official_store AS last_official_store,
  b.pick.last.original_price AS original_price,
  b.pick.last.displayed_discount_pct AS displayed_discount_pct, p.listings, p.sellers,
  p.last_scraped_at, p.watch_ids, {{fold}} AS updated_by_batch, {{updated_at}} AS updated_at
FROM product AS p
JOIN best AS b USING (site, product_id)
