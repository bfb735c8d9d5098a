-- product_days_fold: one day of product_days ({{day}}) recomputed from daily_offers: per catalog
-- product (the rows that carry a product_id), what its listings did that day. The lowest and
-- highest price any listing had and who had the lowest (the earliest observation at that price);
-- the product's best price at the day's end: the lowest of its listings' last prices (each
-- listing's last observation: latest scraped_at, ties by Kafka position), with that listing's
-- seller, "original" price and discount shown (ties by item id); how many listings and named
-- sellers were seen for sale; the watches that saw it. {{products}} is TRUE for a whole day or
-- the products a late batch brought rows for. Folded with item_days, on the same plan
-- (batch/warehouse/day-folds.ts), in the same transaction, in chunks of products ({{chunk}}).
-- DuckDB twin of sql/bigquery/product_days_fold.sql.
DELETE FROM product_days WHERE offer_date = {{day}} AND {{products}};

INSERT INTO product_days (
  offer_date, site, product_id, title, currency, url, min_price, low_item_id, low_seller, max_price,
  last_price, last_item_id, last_seller, last_official_store, original_price, displayed_discount_pct,
  listings, sellers, last_scraped_at, watch_ids, updated_by_batch, updated_at
)
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
  p.offer_date, p.site, p.product_id, b.pick.last.title, b.pick.last.currency, b.pick.last.url,
  p.min_price, p.low.item_id, p.low.seller, p.max_price, b.pick.last.price, b.pick.item_id,
  b.pick.last.seller, b.pick.last.official_store, b.pick.last.original_price,
  b.pick.last.displayed_discount_pct, p.listings, p.sellers, p.last_scraped_at, p.watch_ids,
  {{fold}}, {{updated_at}}
FROM product AS p
JOIN best AS b USING (site, product_id)
