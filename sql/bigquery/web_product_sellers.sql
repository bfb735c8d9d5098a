-- web_product_sellers: the sellers of one catalog product on {{last_day}}: each listing as its
-- latest row of the day showed it (scrape time, ties by Kafka position), with its seller's
-- standing (the row's own, else what the listing's page showed last within the 30 days before:
-- product_details), cheapest first. Reads that day's partition of daily_offers and 30 days of
-- product_details.
-- BigQuery twin of sql/duckdb/web_product_sellers.sql.
WITH listed AS (
  SELECT * EXCEPT (n)
  FROM (
    SELECT *, ROW_NUMBER() OVER (
      PARTITION BY item_id ORDER BY scraped_at DESC, kafka_partition DESC, kafka_offset DESC
    ) AS n
    FROM `{{dataset}}.daily_offers`
    WHERE offer_date = {{last_day}} AND site = {{site}} AND product_id = {{product_id}}
  )
  WHERE n = 1
),
standing AS (
  SELECT item_id,
    ARRAY_AGG(STRUCT(seller_reputation AS reputation, seller_power_status AS power) ORDER BY fetched_at DESC LIMIT 1)[OFFSET(0)] AS s
  FROM `{{dataset}}.product_details`
  WHERE detail_date BETWEEN DATE_SUB({{last_day}}, INTERVAL 30 DAY) AND {{last_day}} AND site = {{site}} AND available
    AND item_id IN (SELECT item_id FROM listed)
  GROUP BY item_id
)
SELECT
  l.item_id, l.title, l.url, l.seller, l.official_store, l.currency, l.price, l.original_price,
  IFNULL(l.seller_reputation, s.s.reputation) AS seller_reputation,
  IFNULL(l.seller_power_status, s.s.power) AS seller_power_status,
  CONCAT(FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%E3S', l.scraped_at, 'UTC'), 'Z') AS scraped_at
FROM listed AS l
LEFT JOIN standing AS s ON s.item_id = l.item_id
ORDER BY l.price, l.item_id
LIMIT {{limit}}
