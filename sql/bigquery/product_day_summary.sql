-- product_day_summary: days ({{days}}) of product_days computed from daily_offers: per catalog
-- product and day (the rows that carry a product_id), what its listings did that day. The lowest and
-- highest price any listing had and who had the lowest (the earliest observation at that price);
-- the product's best price at the day's end: the lowest of its listings' last prices (each
-- listing's last observation: latest scraped_at, ties by Kafka position), with that listing's
-- seller, "original" price and discount shown (ties by item id); how many listings and named
-- sellers were seen for sale; the watches that saw it. {{products}} is TRUE for a whole day or
-- the products a late batch brought rows for. Its users: the fold (reports/product-days-sql.ts:
-- in production a DELETE and an INSERT of these rows with item_days' in one transaction, on the
-- emulator a DELETE job and a query job appending; docs/emulators.md) and product_history.sql
-- (the report day of the product verdict, before it is folded).
-- The forms serve the emulator too: no JOIN, ranks by ROW_NUMBER, prices in whole cents and
-- times in microseconds inside windows, distinct counts as sums of first rows.
-- BigQuery twin of sql/duckdb/product_day_summary.sql.
SELECT
  offer_date, site, product_id, title, currency, url,
  CAST(low_cents AS NUMERIC) / 100 AS min_price, low_item_id, low_seller,
  CAST(high_cents AS NUMERIC) / 100 AS max_price,
  price AS last_price, item_id AS last_item_id, seller AS last_seller, official_store AS last_official_store,
  original_price, displayed_discount_pct, listings, sellers,
  TIMESTAMP_MICROS(last_micros) AS last_scraped_at,
  ARRAY(SELECT DISTINCT w FROM UNNEST(watches) AS w WHERE w != '' ORDER BY w) AS watch_ids,
  {{fold}} AS updated_by_batch, {{updated_at}} AS updated_at
FROM (
  SELECT
    *,
    ROW_NUMBER() OVER (
      PARTITION BY offer_date, site, product_id ORDER BY IF(newest_of_listing = 1, 0, 1), cents, item_id
    ) AS best,
    MIN(cents) OVER (PARTITION BY offer_date, site, product_id) AS low_cents,
    MAX(cents) OVER (PARTITION BY offer_date, site, product_id) AS high_cents,
    MAX(IF(low_rank = 1, item_id, NULL)) OVER (PARTITION BY offer_date, site, product_id) AS low_item_id,
    MAX(IF(low_rank = 1, seller, NULL)) OVER (PARTITION BY offer_date, site, product_id) AS low_seller,
    SUM(IF(newest_of_listing = 1, 1, 0)) OVER (PARTITION BY offer_date, site, product_id) AS listings,
    SUM(IF(first_of_seller = 1 AND seller IS NOT NULL, 1, 0)) OVER (PARTITION BY offer_date, site, product_id) AS sellers,
    MAX(UNIX_MICROS(scraped_at)) OVER (PARTITION BY offer_date, site, product_id) AS last_micros,
    ARRAY_AGG(IFNULL(watch_id, '')) OVER (PARTITION BY offer_date, site, product_id) AS watches
  FROM (
    SELECT
      *,
      ROW_NUMBER() OVER (
        PARTITION BY offer_date, site, product_id, item_id ORDER BY scraped_at DESC, kafka_partition DESC, kafka_offset DESC
      ) AS newest_of_listing,
      ROW_NUMBER() OVER (
        PARTITION BY offer_date, site, product_id ORDER BY cents, scraped_at, kafka_partition, kafka_offset
      ) AS low_rank,
      ROW_NUMBER() OVER (PARTITION BY offer_date, site, product_id, seller ORDER BY item_id) AS first_of_seller
    FROM (
      SELECT
        *,
        CAST(ROUND(price * 100) AS INT64) AS cents,
        COALESCE(discount_pct, CAST(ROUND(computed_discount_pct) AS INT64)) AS displayed_discount_pct
      FROM `{{dataset}}.daily_offers`
      WHERE offer_date IN ({{days}}) AND product_id IS NOT NULL AND {{products}}
    )
  )
)
WHERE best = 1
