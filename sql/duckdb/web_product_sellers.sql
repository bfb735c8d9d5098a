-- web_product_sellers: the sellers of one catalog product on {{last_day}}: each listing as its
-- latest row of the day showed it (scrape time, ties by Kafka position), with its seller's
-- standing (the row's own, else what the listing's page showed last within the 30 days before:
-- product_details), cheapest first. Reads that day of daily_offers and 30 days of product_details.
-- DuckDB twin of sql/bigquery/web_product_sellers.sql.
WITH listed AS (
  SELECT *
  FROM {{dataset}}.daily_offers
  WHERE offer_date = {{last_day}} AND site = {{site}} AND product_id = {{product_id}}
  QUALIFY row_number() OVER (PARTITION BY item_id ORDER BY scraped_at DESC, kafka_partition DESC, kafka_offset DESC) = 1
),
standing AS (
  SELECT item_id, arg_max({'reputation': seller_reputation, 'power': seller_power_status}, fetched_at) AS s
  FROM {{dataset}}.product_details
  WHERE detail_date BETWEEN {{last_day}} - 30 AND {{last_day}} AND site = {{site}} AND available
    AND item_id IN (SELECT item_id FROM listed)
  GROUP BY item_id
)
SELECT
  l.item_id, l.title, l.url, l.seller, l.official_store, l.currency,
  CAST(l.price AS DECIMAL(18, 2)) AS price,
  CAST(l.original_price AS DECIMAL(18, 2)) AS original_price,
  coalesce(l.seller_reputation, s.s.reputation) AS seller_reputation,
  coalesce(l.seller_power_status, s.s.power) AS seller_power_status,
  strftime(l.scraped_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS scraped_at
FROM listed AS l
LEFT JOIN standing AS s USING (item_id)
ORDER BY l.price, l.item_id
LIMIT {{limit}}
