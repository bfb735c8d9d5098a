/**
 * The stock rules (out_of_stock, back_in_stock) against one load's stock observations, beside the
 * price paths: the same episodes (episodes.ts) and alert ids (alert-id.ts), keyed by the subject
 * (an item, or a catalog product). A rule's observations are its subject's, from every source,
 * in observation order (ties by stock key): an item watch's item, a product watch's product, or
 * every subject for a global rule. out_of_stock holds where the page had nothing for sale;
 * back_in_stock where it had something and the subject's observation just before (any source)
 * had nothing. So an item that sells out and comes back alerts once each way, and one flapping
 * within clear_after does not alert again (docs/alerts.md, "Stock"). Pure, like evaluate().
 */
import type { Alert } from "../shared/alert/alert-record.ts";
import { isStockRule } from "../shared/alert/rule.ts";
import { formatPrice } from "./channels/message.ts";
import { isSiteCode, SITES } from "../shared/sites.ts";
import { episodeKey } from "./alert-id.ts";
import { episodeFields, keepStep } from "./fired-alert.ts";
import { type EpisodeState, step } from "./episodes.ts";
import type { ActiveRule, Evaluation, EvaluationContext } from "./evaluator.ts";
import { type StockObservation, subjectIdOf } from "./stock-observation.ts";

/** Whether the rule's subject is the observation's. */
export function isSubjectOf(r: ActiveRule, o: StockObservation): boolean {
  if (r.productId) return o.subject === "product" && o.product_id === r.productId;
  if (r.itemId) return o.subject === "item" && o.item_id === r.itemId;
  // a watch of a listing page has no subject of its own; a global rule has every one
  return r.watchId === null;
}

/** The site's currency: a stock observation's price is in it. */
const currencyOf = (o: StockObservation) => (o.price !== null && isSiteCode(o.site) ? SITES[o.site].currency : null);

/** Whether the rule's condition holds at the observation, and why (the alert's sentence). */
export function judgeStock(
  kind: "out_of_stock" | "back_in_stock",
  o: StockObservation,
): { holds: boolean; why: string } {
  const what = o.subject === "product" ? "The product" : "The listing";
  if (kind === "out_of_stock") {
    return { holds: !o.available, why: `${what} is out of stock: its page shows nothing for sale.` };
  }
  const units = o.available_quantity === null ? "" : ` (${o.available_quantity} available)`;
  const price = o.price === null ? "" : ` at ${formatPrice(o.price, currencyOf(o))}`;
  const since = o.previous_at ? `, after its page showed nothing for sale on ${o.previous_at.slice(0, 10)}` : "";
  return {
    holds: o.available && o.previous_available === false,
    why: `${what} is back in stock${price}${units}${o.seller ? `, sold by ${o.seller}` : ""}${since}.`,
  };
}

export async function evaluateStock(
  observations: readonly StockObservation[],
  rules: readonly ActiveRule[],
  states: ReadonlyMap<string, EpisodeState>,
  context: EvaluationContext,
): Promise<Evaluation> {
  const out: Evaluation = { alerts: [], states: new Map(), judged: 0, skipped: 0 };
  const stockRules = rules.filter((r) => isStockRule(r.rule));
  const ordered = [...observations].sort((a, b) =>
    a.observed_at < b.observed_at ? -1 : a.observed_at > b.observed_at ? 1 : a.stock_key < b.stock_key ? -1 : 1
  );
  for (const o of ordered) {
    const at = Date.parse(o.observed_at);
    for (const r of stockRules) {
      if (!isSubjectOf(r, o)) continue;
      const kind = r.rule.kind as "out_of_stock" | "back_in_stock";
      const key = episodeKey(r.key, o.site, subjectIdOf(o));
      const previous = out.states.get(key) ?? states.get(key);
      const { holds, why } = judgeStock(kind, o);
      const silent = r.silentFirstRun && o.watch_id === r.watchId && o.watch_run === 1;
      const result = step(previous, { at, tie: o.stock_key, offerKey: o.stock_key, holds, silent }, r.rule);
      keepStep(out, key, result);
      if (!result.fired) continue;
      out.alerts.push({
        ...(await episodeFields(key, r, result.fired, at, context)),
        kind,
        site: o.site as Alert["site"],
        item_id: o.item_id,
        product_id: o.product_id,
        seller: o.seller,
        offer_date: o.observed_date,
        title: o.title,
        currency: currencyOf(o),
        url: o.page_url,
        price: o.price,
        verdict: null,
        real_discount_pct: null,
        why,
      });
    }
  }
  return out;
}
