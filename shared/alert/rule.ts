/**
 * An alert rule: a condition on an item's price of the day that starts an episode, and how the
 * episode ends. Attached to a watch (its `alerts`, for the items the watch finds) or global (the
 * alerter's OFERTAS_ALERT_RULES, for every item):
 *
 *   real_deal  the day's verdict is real (the scheduled queries' SQL) and the real discount, against
 *              the lowest price of the prior 30 days, is at least `min_real_discount_pct`
 *   below      the price is at or under `price`
 *   new_low    the price is under the lowest price of the prior `days` days
 *   drop       the price is at least `min_drop_pct` under the item's previous day (its last day seen)
 *   out_of_stock   the item (or product) is seen with nothing for sale
 *   back_in_stock  it is seen for sale again after it was seen with nothing for sale
 *
 * Under a product watch (docs/alerts.md, "Products") the price rules judge the product's best
 * price across its sellers, and the stock rules the product's page. Any rule may take a `seller`
 * filter: only prices of sellers that pass it count (an official store, a reputation at least …).
 *
 * An alert fires when the condition starts for (rule, item); the episode ends only when the
 * condition has been false for `clear_after` (a flapping price does not alert again) or when the
 * item has not been observed for `absent_after` (it left the list); with `rearm_after`, a condition
 * that holds that long alerts again (a reminder). Every time is the observations' own
 * (alert/episodes.ts).
 */
import * as v from "valibot";
import { parseDuration } from "../duration.ts";
import { POWER_SELLER_LEVELS, REPUTATION_COLOURS } from "../contract/seller.ts";
import { describeSellerFilter } from "./seller-filter.ts";

export const PRICE_RULE_KINDS = ["real_deal", "below", "new_low", "drop"] as const;
export const STOCK_RULE_KINDS = ["back_in_stock", "out_of_stock"] as const;
export const RULE_KINDS = [...PRICE_RULE_KINDS, ...STOCK_RULE_KINDS] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
/** The longest look back a new_low rule may take (item_days kept that long is what it reads). */
export const MAX_LOW_DAYS = 90;

const duration = (name: string) =>
  v.pipe(
    v.string(`${name} must be a duration like 6h`),
    v.check((s) => parseDuration(s) !== null, `${name} must be a duration like 30m, 6h or 1d`),
  );
const percent = (name: string) =>
  v.pipe(
    v.number(`${name} must be a number`),
    v.minValue(0, `${name} must be from 0 to 99`),
    v.maxValue(99, `${name} must be from 0 to 99`),
  );
const RULE_ID = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

/**
 * Which sellers' prices a rule counts: official stores only, a reputation at least this colour
 * (red < orange < yellow < light_green < green), a MercadoLíder level at least this one. A seller
 * whose standing the pages never showed passes no such test.
 */
export const SellerFilterSchema = v.strictObject({
  official_store: v.optional(v.literal(true, "seller.official_store can only be true")),
  min_reputation: v.optional(
    v.picklist(REPUTATION_COLOURS, `seller.min_reputation must be one of ${REPUTATION_COLOURS.join(", ")}`),
  ),
  min_power_seller: v.optional(
    v.picklist(POWER_SELLER_LEVELS, `seller.min_power_seller must be one of ${POWER_SELLER_LEVELS.join(", ")}`),
  ),
}, 'seller must be an object like {"official_store": true, "min_reputation": "green"}');
export type SellerFilter = v.InferOutput<typeof SellerFilterSchema>;

const common = {
  id: v.optional(
    v.pipe(
      v.string("id must be a string"),
      v.regex(RULE_ID, "id must be 1-32 lower-case letters, digits and dashes"),
    ),
  ),
  clear_after: v.optional(duration("clear_after"), "6h"),
  rearm_after: v.optional(v.nullable(duration("rearm_after")), null),
  /** An item not observed this long has left: its episode ends, and its return where the condition holds alerts again. */
  absent_after: v.optional(duration("absent_after"), "3d"),
  /** Channel names (the alerter's OFERTAS_ALERT_CHANNELS); absent: every channel. */
  channels: v.optional(
    v.pipe(
      v.array(v.pipe(v.string(), v.regex(/^[a-z0-9_-]{1,32}$/, "channel names are 1-32 of a-z 0-9 _ -"))),
      v.maxLength(10),
    ),
  ),
  seller: v.optional(SellerFilterSchema),
};

export const RuleSchema = v.variant("kind", [
  v.strictObject({
    kind: v.literal("real_deal"),
    min_real_discount_pct: v.optional(percent("min_real_discount_pct"), 10),
    ...common,
  }),
  v.strictObject({
    kind: v.literal("below"),
    price: v.pipe(v.number("price must be a number"), v.minValue(0.01, "price must be above 0"), v.maxValue(1e12)),
    ...common,
  }),
  v.strictObject({
    kind: v.literal("new_low"),
    days: v.optional(
      v.pipe(
        v.number(),
        v.integer("days must be a whole number"),
        v.minValue(1),
        v.maxValue(MAX_LOW_DAYS, `days must be at most ${MAX_LOW_DAYS}`),
      ),
      30,
    ),
    ...common,
  }),
  v.strictObject({ kind: v.literal("drop"), min_drop_pct: percent("min_drop_pct"), ...common }),
  v.strictObject({ kind: v.literal("back_in_stock"), ...common }),
  v.strictObject({ kind: v.literal("out_of_stock"), ...common }),
], `a rule's kind must be one of ${RULE_KINDS.join(", ")}`);
export type Rule = v.InferOutput<typeof RuleSchema>;
/** A rule on a price (judged on offers), and one on stock (judged on availability observations). */
export type PriceRule = Extract<Rule, { kind: (typeof PRICE_RULE_KINDS)[number] }>;
export type StockRule = Extract<Rule, { kind: (typeof STOCK_RULE_KINDS)[number] }>;
export const isStockRule = (rule: Rule): rule is StockRule =>
  (STOCK_RULE_KINDS as readonly string[]).includes(rule.kind);
export const isPriceRule = (rule: Rule): rule is PriceRule => !isStockRule(rule);
export type RuleInput = v.InferInput<typeof RuleSchema>;

/** A watch's alerts: its rules, whether its first run alerts, and its channels. */
export const WatchAlertsSchema = v.pipe(
  v.strictObject({
    rules: v.pipe(
      v.array(RuleSchema, "alerts.rules must be a list of rules"),
      v.maxLength(10, "at most 10 rules a watch"),
    ),
    /** `silent`: what the watch's first run finds starts episodes without alerting (a baseline). */
    first_run: v.optional(v.picklist(["alert", "silent"], "alerts.first_run must be alert or silent"), "alert"),
    channels: common.channels,
  }),
  v.check(
    (a) => new Set(a.rules.map(ruleId)).size === a.rules.length,
    "two rules of a watch have the same id: give them ids",
  ),
);
export type WatchAlerts = v.InferOutput<typeof WatchAlertsSchema>;

/** A rule's id: its own, or its kind. */
export const ruleId = (rule: { id?: string; kind: string }): string => rule.id ?? rule.kind;

/** "below R$ 4000", "real discount ≥ 20%": a rule in words (alerts, the web view), with the sellers it counts. */
export function describeRule(rule: Rule, currency = ""): string {
  const sellers = describeSellerFilter(rule.seller);
  return sellers ? `${describeCondition(rule, currency)} (${sellers})` : describeCondition(rule, currency);
}

function describeCondition(rule: Rule, currency: string): string {
  switch (rule.kind) {
    case "real_deal":
      return `a real discount of at least ${rule.min_real_discount_pct}%`;
    case "below":
      return `at or below ${currency ? `${currency} ` : ""}${rule.price}`;
    case "new_low":
      return `a new ${rule.days}-day low`;
    case "drop":
      return `at least ${rule.min_drop_pct}% under the previous day`;
    case "back_in_stock":
      return "back in stock";
    case "out_of_stock":
      return "out of stock";
  }
}
