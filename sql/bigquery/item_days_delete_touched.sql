-- item_days_delete_touched: the first step of the emulator's fold (item_days_recompute.sql): the
-- item-days one loaded batch touched ({{stage}} is its staging table) are removed, to be written
-- again whole from daily_offers. Keys are matched with IN on one string: the emulator joins row
-- by row, but runs IN natively.
DELETE FROM `{{dataset}}.item_days`
WHERE offer_date BETWEEN {{first_day}} AND {{last_day}}
  AND CONCAT(site, '|', item_id, '|', CAST(offer_date AS STRING)) IN (
    SELECT CONCAT(site, '|', item_id, '|', CAST(offer_date AS STRING)) FROM {{stage}}
  );
