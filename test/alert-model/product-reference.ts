/**
 * The reference model of a product watch's price rules, written from docs/alerts.md ("Products"),
 * not from alert/: the rule's observations are every row of its product (whoever found it), in
 * scrape order; at each, the product's board is each listing's latest row of that day at or before
 * it, the best price the lowest on the board among the sellers the rule counts (ties: the lower
 * item id), judged against the product's earlier days (each: the lowest and highest price of any
 * listing, and the best price at the day's end). Episodes per (rule, product), as an item's.
 */
import { addDays } from "../../shared/sql-templates.ts";
import {
  alertId,
  counts,
  episodes,
  holdsAgainst,
  type ModelAlert,
  type ModelObservation,
  type ModelRule,
  type PriorDay,
  scrapeOrder,
} from "./reference.ts";

/** Each listing's latest row among `rows` (already those at or before the moment). */
function latestByItem(rows: readonly ModelObservation[]): ModelObservation[] {
  const latest = new Map<string, ModelObservation>();
  for (const r of rows) {
    const seen = latest.get(r.item_id);
    if (!seen || scrapeOrder(r, seen) > 0) latest.set(r.item_id, r);
  }
  return [...latest.values()];
}

/** The lowest price among rows (ties: the lower item id), or null. */
function lowest(rows: readonly ModelObservation[]): ModelObservation | null {
  return [...rows].sort((a, b) => a.price - b.price || (a.item_id < b.item_id ? -1 : 1))[0] ?? null;
}

/** The product's days before `day`: any listing's lowest and highest, and the best at the day's end. */
function productPriorDays(rows: readonly ModelObservation[], day: string): Map<string, PriorDay> {
  const byDay = new Map<string, ModelObservation[]>();
  for (const r of rows) if (r.day < day) byDay.set(r.day, [...(byDay.get(r.day) ?? []), r]);
  const out = new Map<string, PriorDay>();
  for (const [d, of] of byDay) {
    out.set(d, {
      min: Math.min(...of.map((r) => r.price)),
      max: Math.max(...of.map((r) => r.price)),
      last: lowest(latestByItem(of))!.price,
    });
  }
  return out;
}

export function productModelAlerts(unique: readonly ModelObservation[], rule: ModelRule): ModelAlert[] {
  const rows = unique.filter((o) => o.product_id === rule.product_id).sort(scrapeOrder);
  const alerts: ModelAlert[] = [];
  const bestAt = (o: ModelObservation) => {
    const board = latestByItem(rows.filter((r) => r.day === o.day && scrapeOrder(r, o) <= 0));
    return lowest(board.filter((r) => counts(rule, r)));
  };
  episodes(
    rule,
    rows,
    (o) => {
      const best = bestAt(o);
      const prior = productPriorDays(rows.filter((r) => r.day >= addDays(o.day, -400)), o.day);
      return best !== null && holdsAgainst(prior, { ...best, day: o.day }, rule.condition);
    },
    (o, since, sinceKey, n) =>
      alerts.push({
        id: alertId(rule.key, o.site, rule.product_id!, since, sinceKey, n),
        rule: rule.key,
        item: rule.product_id!,
        observed_at: o.at,
        episode_start: since,
        number: n,
      }),
  );
  return alerts;
}
