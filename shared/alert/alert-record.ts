/**
 * What the alerts topic (`ofertas.alerts`, compacted, keyed by alert id) holds, and the rows of
 * the `alerts` table the consumer loads from it:
 *
 *  - an alert: the decision to tell someone (recorded before anything is sent: the outbox);
 *  - a delivery: what became of one alert on one channel (delivered, or still retrying), keyed
 *    `<alert id>|<channel>`, written after the channel answered.
 *
 * A delivery record is the deliverer's memory across restarts: an alert without one for a channel
 * is sent (again) with the same idempotency key, so a crash between a send and its record can
 * repeat a message only with the key a receiver drops it by.
 */
import { column } from "../contract/column.ts";
import * as v from "valibot";
import { cleanString, money, siteCode, utcTimestamp, watchId } from "../contract/fields.ts";
import { offerDate } from "../timestamp.ts";
import { RULE_KINDS } from "./rule.ts";

export const ALERT_SCHEMA_VERSION = 1 as const;
/** Operators' alerts: the pipeline telling on itself, on the same channels. */
export const OPERATOR_KINDS = ["consumer_lag", "dead_letters", "watch_backoff", "scraper_drift"] as const;
export const ALERT_KINDS = [...RULE_KINDS, ...OPERATOR_KINDS] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

const text = (max: number) => v.pipe(cleanString(), v.maxLength(max));
const nullableText = (max: number) => v.nullable(text(max));
const signedDecimal = v.nullable(v.pipe(v.string(), v.regex(/^-?\d{1,13}(\.\d{1,9})?$/)));

export const AlertSchema = v.strictObject({
  type: v.literal("alert"),
  schema_version: v.literal(ALERT_SCHEMA_VERSION),
  alert_id: v.pipe(v.string(), v.regex(/^[0-9a-f]{24}$/)),
  /** `watch:<watch id>:<rule id>`, `global:<rule id>` or `operator:<kind>`. */
  rule_key: text(140),
  kind: v.picklist(ALERT_KINDS),
  watch_id: v.nullable(watchId),
  site: v.nullable(siteCode),
  item_id: v.nullable(v.pipe(v.string(), v.regex(/^[A-Z]{3}\d{5,15}$/))),
  offer_date: v.nullable(v.pipe(v.string(), v.isoDate())),
  title: nullableText(500),
  currency: v.nullable(v.pipe(v.string(), v.regex(/^[A-Z]{3}$/))),
  url: nullableText(2048),
  price: v.nullable(money),
  verdict: nullableText(40),
  real_discount_pct: signedDecimal,
  /** One sentence: why this alert, with the numbers behind it. */
  why: text(1000),
  /** Channel names it goes to. */
  channels: v.pipe(v.array(v.pipe(v.string(), v.maxLength(32))), v.maxLength(20)),
  /** When the decision was made (the alerter's clock): never part of the alert's identity. */
  decided_at: utcTimestamp,
  /** When the observation that fired it was scraped (the data's time). */
  observed_at: v.optional(utcTimestamp),
  /** The episode it belongs to (when the observation that opened it was scraped), and its number there (0: the opening). */
  episode_start: v.optional(utcTimestamp),
  alert_number: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  /** What carried it (the load, or the operator check): recorded, never part of its identity. */
  source: text(140),
  /** A product watch's alert: the catalog product (item_id is then the listing with the best price). */
  product_id: v.optional(v.nullable(v.pipe(v.string(), v.regex(/^[A-Z]{3}\d{3,15}$/)))),
  /** The seller behind the price, when the page named one. */
  seller: v.optional(nullableText(200)),
});
export type Alert = v.InferOutput<typeof AlertSchema>;

export const DELIVERY_STATES = ["delivered", "retrying"] as const;

export const DeliverySchema = v.strictObject({
  type: v.literal("delivery"),
  schema_version: v.literal(ALERT_SCHEMA_VERSION),
  alert_id: v.pipe(v.string(), v.regex(/^[0-9a-f]{24}$/)),
  channel: v.pipe(v.string(), v.maxLength(32)),
  state: v.picklist(DELIVERY_STATES),
  attempts: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** The channel's own answer (status and the start of its body) or the error. Never a secret. */
  detail: text(500),
  at: utcTimestamp,
});
export type Delivery = v.InferOutput<typeof DeliverySchema>;

export const AlertRecordSchema = v.variant("type", [AlertSchema, DeliverySchema]);
export type AlertRecord = Alert | Delivery;

export const deliveryKey = (alertId: string, channel: string) => `${alertId}|${channel}`;

// ----------------------------------------------------------------------------- table rows

const col = column;

/** Columns of `alerts`: one row per alert and one per delivery event, in table order. */
export const ALERTS_COLUMNS = {
  event_key: col("STRING", "REQUIRED", "alert id, or alert id|channel|state|attempts: loads are idempotent on it."),
  event_date: col("DATE", "REQUIRED", "Partition column: São Paulo date of the event."),
  event: col("STRING", "REQUIRED", "alert, delivered or retrying."),
  alert_id: col("STRING", "REQUIRED", "The alert."),
  rule_key: col("STRING", "NULLABLE", "watch:<id>:<rule>, global:<rule> or operator:<kind> (alert rows)."),
  kind: col("STRING", "NULLABLE", "real_deal, below, new_low, drop, or an operator's kind (alert rows)."),
  watch_id: col("STRING", "NULLABLE", "The watch whose rule fired."),
  site: col("STRING", "NULLABLE", "Mercado Livre site code."),
  item_id: col("STRING", "NULLABLE", "Sold item id."),
  offer_date: col("DATE", "NULLABLE", "The item's day the alert judged."),
  title: col("STRING", "NULLABLE", "Item title."),
  currency: col("STRING", "NULLABLE", "Currency of the price."),
  url: col("STRING", "NULLABLE", "Item URL."),
  price: col("NUMERIC", "NULLABLE", "Price that fired the alert."),
  verdict: col("STRING", "NULLABLE", "The day's verdict (real, inflated, insufficient_history) when it had one."),
  real_discount_pct: col("NUMERIC", "NULLABLE", "Real discount against the 30-day low."),
  why: col("STRING", "NULLABLE", "Why the alert fired."),
  channels: col("STRING", "REPEATED", "Channels the alert goes to."),
  channel: col("STRING", "NULLABLE", "The channel of a delivery row."),
  attempts: col("INTEGER", "NULLABLE", "Attempts so far (delivery rows)."),
  detail: col("STRING", "NULLABLE", "The channel's answer or error (delivery rows)."),
  event_at: col("TIMESTAMP", "REQUIRED", "When it was decided or delivered."),
  kafka_topic: col("STRING", "REQUIRED", "Kafka topic the record was read from."),
  kafka_partition: col("INTEGER", "REQUIRED", "Kafka partition of the record."),
  kafka_offset: col("INTEGER", "REQUIRED", "Kafka offset of the record."),
  observed_at: col("TIMESTAMP", "NULLABLE", "When the observation that fired the alert was scraped (alert rows)."),
  episode_start: col("TIMESTAMP", "NULLABLE", "When the alert's episode opened (alert rows)."),
  alert_number: col("INTEGER", "NULLABLE", "The alert's number in its episode, 0 for the opening (alert rows)."),
  product_id: col(
    "STRING",
    "NULLABLE",
    "A product watch's catalog product (item_id: the listing with the best price).",
  ),
  seller: col("STRING", "NULLABLE", "The seller behind the price, when the page named one."),
} as const;

export type AlertRow = { [K in keyof typeof ALERTS_COLUMNS]: unknown };

/** An alert about no item (the operator's): every item field empty. */
export const NO_ITEM = {
  site: null,
  item_id: null,
  offer_date: null,
  title: null,
  currency: null,
  url: null,
  price: null,
  verdict: null,
  real_discount_pct: null,
} as const;

export function toAlertRow(
  r: AlertRecord,
  source: { topic: string; partition: number; offset: string },
): AlertRow {
  const coordinates = {
    kafka_topic: source.topic,
    kafka_partition: source.partition,
    kafka_offset: Number(source.offset),
  };
  const empty = {
    rule_key: null,
    kind: null,
    watch_id: null,
    ...NO_ITEM,
    why: null,
    channels: [],
    channel: null,
    attempts: null,
    detail: null,
    observed_at: null,
    episode_start: null,
    alert_number: null,
    product_id: null,
    seller: null,
  };
  if (r.type === "delivery") {
    return {
      ...empty,
      event_key: `${r.alert_id}|${r.channel}|${r.state}|${r.attempts}`,
      event_date: offerDate(r.at),
      event: r.state,
      alert_id: r.alert_id,
      channel: r.channel,
      attempts: r.attempts,
      detail: r.detail,
      event_at: r.at,
      ...coordinates,
    };
  }
  return {
    ...empty,
    event_key: r.alert_id,
    event_date: offerDate(r.decided_at),
    event: "alert",
    alert_id: r.alert_id,
    rule_key: r.rule_key,
    kind: r.kind,
    watch_id: r.watch_id,
    site: r.site,
    item_id: r.item_id,
    offer_date: r.offer_date,
    title: r.title,
    currency: r.currency,
    url: r.url,
    price: r.price,
    verdict: r.verdict,
    real_discount_pct: r.real_discount_pct,
    why: r.why,
    channels: r.channels,
    event_at: r.decided_at,
    observed_at: r.observed_at ?? null,
    episode_start: r.episode_start ?? null,
    alert_number: r.alert_number ?? null,
    product_id: r.product_id ?? null,
    seller: r.seller ?? null,
    ...coordinates,
  };
}
