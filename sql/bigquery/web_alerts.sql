-- web_alerts: alerts decided between first_day and last_day that match the filter (an item, or a
-- watch), newest first, each with what became of it on each channel: delivered, or still
-- retrying with its attempts and the channel's last answer. A channel with no row yet is waiting.
-- Reads the alerts table's partitions of those days (and a week after, for late deliveries).
-- BigQuery twin of sql/duckdb/web_alerts.sql.
WITH decided AS (
  SELECT *
  FROM `{{dataset}}.alerts`
  WHERE event = 'alert' AND event_date BETWEEN {{first_day}} AND {{last_day}} AND {{filter}}
  ORDER BY event_at DESC
  LIMIT {{limit}}
),
deliveries AS (
  SELECT
    alert_id,
    channel,
    MAX(IF(event = 'delivered', 1, 0)) AS delivered,
    MAX(attempts) AS attempts,
    ARRAY_AGG(detail ORDER BY event_at DESC, attempts DESC LIMIT 1)[OFFSET(0)] AS detail
  FROM `{{dataset}}.alerts`
  WHERE event <> 'alert' AND event_date BETWEEN {{first_day}} AND DATE_ADD({{last_day}}, INTERVAL 7 DAY)
    AND alert_id IN (SELECT alert_id FROM decided)
  GROUP BY alert_id, channel
)
SELECT
  a.alert_id, a.kind, a.rule_key, a.watch_id, a.site, a.item_id, a.title, a.currency, a.url,
  a.price, a.verdict, a.real_discount_pct,
  a.why, a.channels, a.event_at AS decided_at,
  d.channel, d.delivered, d.attempts, d.detail
FROM decided AS a
LEFT JOIN deliveries AS d USING (alert_id)
ORDER BY a.event_at DESC, a.alert_id, d.channel
