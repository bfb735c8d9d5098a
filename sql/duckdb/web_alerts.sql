-- web_alerts: alerts decided between first_day and last_day that match the filter (an item, or a
-- watch), newest first, each with what became of it on each channel: delivered, or still
-- retrying with its attempts and the channel's last answer. A channel with no row yet is waiting.
-- DuckDB twin of sql/bigquery/web_alerts.sql.
WITH decided AS (
  SELECT *
  FROM {{dataset}}.alerts
  WHERE event = 'alert' AND event_date BETWEEN {{first_day}} AND {{last_day}} AND {{filter}}
  ORDER BY event_at DESC
  LIMIT {{limit}}
),
deliveries AS (
  SELECT
    alert_id,
    channel,
    max(CASE WHEN event = 'delivered' THEN 1 ELSE 0 END) AS delivered,
    max(attempts) AS attempts,
    first(detail ORDER BY event_at DESC, attempts DESC) AS detail
  FROM {{dataset}}.alerts
  WHERE event <> 'alert' AND event_date BETWEEN {{first_day}} AND {{last_day}} + 7
    AND alert_id IN (SELECT alert_id FROM decided)
  GROUP BY alert_id, channel
)
SELECT
  a.alert_id, a.kind, a.rule_key, a.watch_id, a.site, a.item_id, a.title, a.currency, a.url,
  CAST(a.price AS DECIMAL(18, 2)) AS price, a.verdict,
  CAST(a.real_discount_pct AS DECIMAL(18, 2)) AS real_discount_pct,
  a.why, a.channels, a.event_at AS decided_at,
  d.channel, d.delivered, d.attempts, d.detail
FROM decided AS a
LEFT JOIN deliveries AS d USING (alert_id)
ORDER BY a.event_at DESC, a.alert_id, d.channel
