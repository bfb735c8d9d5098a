/**
 * One load's candidates against every rule that applies to them: a watch's rules to the items
 * that watch found that day, the global rules to every item. Each (rule, item) moves its episode
 * (episodes.ts); an episode that starts is an alert. Pure: the states in, the alerts and the
 * changed states out; the alerter writes them (alerts first, then states).
 */
import type { Alert } from "../shared/alert/alert-record.ts";
import { type Rule, ruleId } from "../shared/alert/rule.ts";
import { hexPrefix, sha256 } from "../shared/sha256.ts";
import type { Watch } from "../shared/watch/watch.ts";
import { formatPrice } from "./channels/message.ts";
import type { Candidate } from "./candidates.ts";
import { type Episode, step } from "./episodes.ts";

export interface ActiveRule {
  /** `watch:<watch id>:<rule id>` or `global:<rule id>`. */
  key: string;
  rule: Rule;
  watchId: string | null;
  /** Channel names its alerts go to. */
  channels: string[];
  /** The watch's first run, told to stay silent: episodes start without an alert. */
  silent: boolean;
}

/** Every rule in force: the enabled watches' and the global ones. */
export function activeRules(
  watches: readonly Watch[],
  globalRules: readonly Rule[],
  allChannels: readonly string[],
  isFirstRun: (watchId: string) => boolean,
): ActiveRule[] {
  const pick = (names: readonly string[] | undefined) =>
    names ? names.filter((n) => allChannels.includes(n)) : [...allChannels];
  const rules: ActiveRule[] = [];
  for (const watch of watches) {
    if (!watch.enabled || !watch.alerts) continue;
    const silent = watch.alerts.first_run === "silent" && isFirstRun(watch.id);
    for (const rule of watch.alerts.rules) {
      rules.push({
        key: `watch:${watch.id}:${ruleId(rule)}`,
        rule,
        watchId: watch.id,
        channels: pick(rule.channels ?? watch.alerts.channels),
        silent,
      });
    }
  }
  for (const rule of globalRules) {
    rules.push({ key: `global:${ruleId(rule)}`, rule, watchId: null, channels: pick(rule.channels), silent: false });
  }
  return rules;
}

/** The lows the rules need (new_low's days). */
export const lowDaysOf = (rules: readonly ActiveRule[]): number[] => [
  ...new Set(rules.flatMap((r) => (r.rule.kind === "new_low" ? [r.rule.days] : []))),
];

const cents = (money: string) => Math.round(Number(money) * 100);

/** Whether the rule's condition holds for the item today, and why (the alert's sentence). */
export function judge(rule: Rule, c: Candidate): { holds: boolean; why: string } {
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
  }
}

export const episodeKey = (ruleKey: string, site: string, itemId: string) => `${ruleKey}|${site}|${itemId}`;

export interface Evaluation {
  alerts: Alert[];
  /** States that changed, by episode key. */
  states: Map<string, Episode>;
}

/**
 * The alerts and state changes of one load's candidates on one day. `source` names the load
 * (`batch:<id>`): an alert's id is derived from it, so evaluating the same load twice (a crash
 * before its states were written) decides the same alert ids, which the deliverer sends once.
 */
export async function evaluate(
  candidates: readonly Candidate[],
  rules: readonly ActiveRule[],
  states: ReadonlyMap<string, Episode>,
  context: { now: number; day: string; source: string },
): Promise<Evaluation> {
  const out: Evaluation = { alerts: [], states: new Map() };
  for (const c of candidates) {
    for (const r of rules) {
      if (r.watchId !== null && !c.watch_ids.includes(r.watchId)) continue;
      const key = episodeKey(r.key, c.site, c.item_id);
      const { holds, why } = judge(r.rule, c);
      const previous = states.get(key);
      const { next, fire } = step(previous, holds, context.now, r.rule, { silent: r.silent });
      if (next !== previous) out.states.set(key, next);
      if (!fire) continue;
      const alertId = hexPrefix(await sha256(`${key}|${context.source}|${context.day}`), 12);
      out.alerts.push({
        type: "alert",
        schema_version: 1,
        alert_id: alertId,
        rule_key: r.key,
        kind: r.rule.kind,
        watch_id: r.watchId,
        site: c.site as Alert["site"],
        item_id: c.item_id,
        offer_date: context.day,
        title: c.title,
        currency: c.currency,
        url: c.url,
        price: c.price,
        verdict: c.verdict,
        real_discount_pct: c.real_discount_pct,
        why,
        channels: r.channels,
        decided_at: new Date(context.now).toISOString(),
        source: context.source,
      });
    }
  }
  return out;
}
