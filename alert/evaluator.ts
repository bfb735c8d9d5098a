/**
 * One load's observations against every rule that applies to them: a watch's rules to what that
 * watch's runs observed, the global rules to every observation. Each observation moves the
 * episode of each (rule, item) it concerns, in scrape order (episodes.ts); an episode that opens
 * (or a reminder) is an alert, whose id comes from the episode (alert-id.ts). Pure: the states in,
 * the alerts and the changed states out; the alerter writes them (alerts first, then states).
 */
import type { Alert } from "../shared/alert/alert-record.ts";
import { isStockRule, type Rule, ruleId } from "../shared/alert/rule.ts";
import { sellerPasses } from "../shared/alert/seller-filter.ts";
import { itemOfTarget, productOfTarget } from "../shared/watch/watch-product.ts";
import type { Watch } from "../shared/watch/watch.ts";
import { formatPrice } from "./channels/message.ts";
import { episodeKey } from "./alert-id.ts";
import { episodeFields, keepStep } from "./fired-alert.ts";
import { type EpisodeState, positionTie, step } from "./episodes.ts";
import { byProductionOrder, type Observation, observedAt } from "./observation.ts";

export interface ActiveRule {
  /** `watch:<watch id>:<rule id>` or `global:<rule id>`. */
  key: string;
  rule: Rule;
  watchId: string | null;
  /** Channel names its alerts go to. */
  channels: string[];
  /** The watch's first run is told to stay silent: what that run found opens episodes without an alert. */
  silentFirstRun: boolean;
  /** A product watch's catalog product: its rules judge the product, not a listing (product-evaluator.ts). */
  productId?: string | null;
  /** An item watch's listing: the subject of its stock rules (stock-evaluator.ts). */
  itemId?: string | null;
}

/** Rules judged here: on an item's price. A product's rules and stock rules are judged beside them. */
export const isItemPriceRule = (r: ActiveRule): boolean => !r.productId && !isStockRule(r.rule);

/**
 * Every rule in force: the enabled watches' and the global ones. A person's watch (one with an
 * `owner`) tells only that person's channels (`ownerChannels`: none when absent), never the
 * operator's; the operator's watches and the global rules tell the operator's (`allChannels`).
 */
export function activeRules(
  watches: readonly Watch[],
  globalRules: readonly Rule[],
  allChannels: readonly string[],
  ownerChannels: (owner: string) => readonly string[] = () => [],
): ActiveRule[] {
  const pickFrom = (known: readonly string[], names: readonly string[] | undefined) =>
    names ? names.filter((n) => known.includes(n)) : [...known];
  const rules: ActiveRule[] = [];
  for (const watch of watches) {
    if (!watch.enabled || !watch.alerts) continue;
    for (const rule of watch.alerts.rules) {
      rules.push({
        key: `watch:${watch.id}:${ruleId(rule)}`,
        rule,
        watchId: watch.id,
        channels: pickFrom(
          watch.owner ? ownerChannels(watch.owner) : allChannels,
          rule.channels ?? watch.alerts.channels,
        ),
        silentFirstRun: watch.alerts.first_run === "silent",
        productId: productOfTarget(watch.target),
        itemId: itemOfTarget(watch.target),
      });
    }
  }
  for (const rule of globalRules) {
    rules.push({
      key: `global:${ruleId(rule)}`,
      rule,
      watchId: null,
      channels: pickFrom(allChannels, rule.channels),
      silentFirstRun: false,
    });
  }
  return rules;
}
/** The lows the rules need (new_low's days; a product's rules' too). */
export const lowDaysOf = (rules: readonly ActiveRule[]): number[] => [
  ...new Set(rules.flatMap((r) => (r.rule.kind === "new_low" ? [r.rule.days] : []))),
];

const cents = (money: string) => Math.round(Number(money) * 100);

/** Whether the rule's condition holds for the item today, and why (the alert's sentence). */
export function judge(rule: Rule, c: Observation): { holds: boolean; why: string } {
  const price = formatPrice(c.price, c.currency);
  switch (rule.kind) {
    case "real_deal": {
      const real = c.real_discount_pct === null ? null : Number(c.real_discount_pct);
      return {
        holds: c.verdict === "real" && real !== null && real >= rule.min_real_discount_pct,
        why: `A real discount: ${price} is ${real}% below the lowest price of the prior 30 days (${
          formatPrice(c.min_price_30d, c.currency)
        }); the card claims ${c.displayed_discount_pct}%.`,
      };
    }
    case "below":
      return {
        holds: cents(c.price) <= Math.round(rule.price * 100),
        why: `${price} is at or below your price of ${formatPrice(rule.price.toFixed(2), c.currency)}.`,
      };
    case "new_low": {
      const low = c.lows[rule.days] ?? null;
      return {
        holds: low !== null && cents(c.price) < cents(low),
        why: `A new ${rule.days}-day low: ${price}, under the lowest price of the prior ${rule.days} days (${
          formatPrice(low, c.currency)
        }).`,
      };
    }
    case "drop": {
      const before = c.previous_price;
      const pct = before === null ? null : Math.round((1 - Number(c.price) / Number(before)) * 1000) / 10;
      return {
        holds: before !== null && cents(c.price) <= Math.round(cents(before) * (1 - rule.min_drop_pct / 100)),
        why: `${price}, ${pct}% under ${formatPrice(before, c.currency)} on ${c.previous_day}.`,
      };
    }
    case "back_in_stock":
    case "out_of_stock":
      // judged on what was seen for sale or not (stock-evaluator.ts), never on a price
      return { holds: false, why: "" };
  }
}

/** The seller standing an observation carries (unknown where no page said it). */
export const sellerOf = (o: Observation) => ({
  official_store: o.official_store ?? null,
  seller_reputation: o.seller_reputation ?? null,
  seller_power_status: o.seller_power_status ?? null,
});

export interface Evaluation {
  alerts: Alert[];
  /** States that changed, by episode key. */
  states: Map<string, EpisodeState>;
  /** Observations judged (per rule), and those skipped as judged before (a load seen again). */
  judged: number;
  skipped: number;
}

export interface EvaluationContext {
  /** When the decision is made (wall clock; the alert's decided_at). Never used to judge. */
  decidedAt: string;
  /** What carried the observations (`load:<batch id>`): recorded, never part of an id. */
  source: string;
}

/**
 * The alerts and state changes of a load's observations, judged one by one in scrape order,
 * each against the state the previous one left.
 */
export async function evaluate(
  observations: readonly Observation[],
  rules: readonly ActiveRule[],
  states: ReadonlyMap<string, EpisodeState>,
  context: EvaluationContext,
): Promise<Evaluation> {
  const out: Evaluation = { alerts: [], states: new Map(), judged: 0, skipped: 0 };
  const ordered = [...observations].sort(byProductionOrder);
  for (const o of ordered) {
    const at = observedAt(o);
    for (const r of rules) {
      if (!isItemPriceRule(r)) continue;
      if (r.watchId !== null && o.watch_id !== r.watchId) continue;
      const key = episodeKey(r.key, o.site, o.item_id);
      const previous = out.states.get(key) ?? states.get(key);
      const judged = judge(r.rule, o);
      // a seller the rule does not count makes no deal of this price
      const holds = judged.holds && sellerPasses(r.rule.seller, sellerOf(o));
      const why = judged.why;
      const silent = r.silentFirstRun && o.watch_run === 1;
      const tie = positionTie(o.kafka_partition, o.kafka_offset);
      const result = step(previous, { at, tie, offerKey: o.offer_key, holds, silent }, r.rule);
      keepStep(out, key, result);
      if (!result.fired) continue;
      out.alerts.push({
        ...(await episodeFields(key, r, result.fired, at, context)),
        kind: r.rule.kind,
        site: o.site as Alert["site"],
        item_id: o.item_id,
        offer_date: o.offer_date,
        title: o.title,
        currency: o.currency,
        url: o.url,
        price: o.price,
        verdict: o.verdict,
        real_discount_pct: o.real_discount_pct,
        why,
      });
    }
  }
  return out;
}
