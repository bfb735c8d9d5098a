/**
 * The reference model of the stock rules, written from docs/alerts.md ("Stock"), not from alert/:
 * a rule's observations are its subject's stock observations (an item watch's item, a product
 * watch's product, every subject for a global rule), from every source, in observation order
 * (time, then key); out_of_stock holds where nothing was for sale, back_in_stock where something
 * was and the subject's observation just before it (any source, within 30 days) had nothing.
 * Episodes as a price rule's (reference.ts).
 */
import { alertId, episodes, type ModelAlert, type ModelObservation, type ModelRule } from "./reference.ts";

export interface ModelStock {
  site: string;
  subject: "item" | "product";
  /** The subject's id (the item, or the product). */
  id: string;
  key: string;
  /** Epoch ms. */
  at: number;
  day: string;
  available: boolean;
  watch_id: string | null;
  watch_run: number | null;
}

const LOOK_BACK_MS = 30 * 86_400_000;
const order = (a: ModelStock, b: ModelStock) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function isSubjectOf(rule: ModelRule, o: ModelStock): boolean {
  if (rule.product_id) return o.subject === "product" && o.id === rule.product_id;
  if (rule.item_id) return o.subject === "item" && o.id === rule.item_id;
  return rule.watch_id === null;
}

export function stockModelAlerts(observations: readonly ModelStock[], rules: readonly ModelRule[]): ModelAlert[] {
  const unique = [...new Map(observations.map((o) => [o.key, o])).values()].sort(order);
  const alerts: ModelAlert[] = [];
  for (const rule of rules) {
    const kind = rule.condition.kind;
    if (kind !== "out_of_stock" && kind !== "back_in_stock") continue;
    const subjects = new Map<string, ModelStock[]>();
    for (const o of unique) {
      if (!isSubjectOf(rule, o)) continue;
      const s = `${o.site}|${o.subject}|${o.id}`;
      subjects.set(s, [...(subjects.get(s) ?? []), o]);
    }
    for (const seen of subjects.values()) {
      const previousOf = new Map(seen.map((o, i) => [o, seen[i - 1]]));
      const holds = (o: ModelStock) => {
        if (kind === "out_of_stock") return !o.available;
        const before = previousOf.get(o);
        return o.available && before !== undefined && o.at - before.at <= LOOK_BACK_MS && !before.available;
      };
      // the episodes run on the observation's time and key, as a price rule's do on its offer's
      const asObservation = (o: ModelStock) => ({ ...o, offer_key: o.key }) as unknown as ModelObservation;
      const back = new Map(seen.map((o) => [asObservation(o), o]));
      episodes(rule, [...back.keys()], (x) => holds(back.get(x)!), (x, since, sinceKey, n) =>
        alerts.push({
          id: alertId(rule.key, x.site, back.get(x)!.id, since, sinceKey, n),
          rule: rule.key,
          item: back.get(x)!.id,
          observed_at: x.at,
          episode_start: since,
          number: n,
        }));
    }
  }
  return alerts;
}
