/**
 * A product watch's price rules against one load's observations of its product, beside the item
 * path (evaluator.ts): the same rules, episodes and alert ids, keyed by the product instead of a
 * listing. At each observation a rule judges the product's best price: the lowest on the board
 * (every listing of the product as it stood at that moment, that day) among the sellers the rule
 * counts, against the product's lows and previous day across every seller. So the buy box moving
 * from one seller to another is not a new episode, and a seller who relists starts no fresh
 * history (docs/alerts.md, "Products"). Pure, like evaluate().
 */
import { sellerPasses } from "../shared/alert/seller-filter.ts";
import { isStockRule } from "../shared/alert/rule.ts";
import { episodeKey } from "./alert-id.ts";
import { episodeFields, keepStep } from "./fired-alert.ts";
import type { EpisodeState } from "./episodes.ts";
import { step } from "./episodes.ts";
import { type ActiveRule, type Evaluation, type EvaluationContext, judge } from "./evaluator.ts";
import { byScrapeOrder, type Observation, observedAt } from "./observation.ts";
import type { Listing, ProductObservation } from "./product-observation.ts";
import type { Alert } from "../shared/alert/alert-record.ts";

const cents = (money: string) => Math.round(Number(money) * 100);

/** A product watch's price rule (its stock rules are judged on what the pages said of the stock). */
export const isProductPriceRule = (r: ActiveRule): boolean => !!r.productId && !isStockRule(r.rule);

/** The lowest price on the board among the listings `counts` keeps (ties: the lower item id). */
export function bestListing(board: readonly Listing[], counts: (l: Listing) => boolean): Listing | null {
  let best: Listing | null = null;
  for (const l of board) {
    if (!counts(l)) continue;
    if (
      !best || cents(l.price) < cents(best.price) || (cents(l.price) === cents(best.price) && l.item_id < best.item_id)
    ) {
      best = l;
    }
  }
  return best;
}

/** The product at one observation, as an item observation of its best listing with the product's context. */
function asObservation(o: ProductObservation, best: Listing): Observation {
  return {
    site: o.site,
    item_id: best.item_id,
    offer_key: o.offer_key,
    // judged here in the product's own order (product-evaluator.ts), never by these
    kafka_partition: 0,
    kafka_offset: 0,
    scraped_at: o.scraped_at,
    offer_date: o.offer_date,
    title: best.title,
    currency: best.currency,
    url: best.url,
    price: best.price,
    original_price: best.original_price,
    displayed_discount_pct: best.displayed_discount_pct,
    watch_id: o.watch_id,
    watch_run: o.watch_run,
    previous_price: o.previous_price,
    previous_day: o.previous_day,
    lows: o.lows,
    verdict: best.verdict,
    real_discount_pct: best.real_discount_pct,
    min_price_30d: best.min_price_30d,
    history_days: best.history_days,
    product_id: o.product_id,
    seller: best.seller,
    official_store: best.official_store,
    seller_reputation: best.seller_reputation,
    seller_power_status: best.seller_power_status,
  };
}

/** The alerts and state changes of a load's product observations, in scrape order. */
export async function evaluateProducts(
  observations: readonly ProductObservation[],
  rules: readonly ActiveRule[],
  states: ReadonlyMap<string, EpisodeState>,
  context: EvaluationContext,
): Promise<Evaluation> {
  const out: Evaluation = { alerts: [], states: new Map(), judged: 0, skipped: 0 };
  const productRules = rules.filter(isProductPriceRule);
  const ordered = [...observations].sort(byScrapeOrder);
  for (const o of ordered) {
    const at = observedAt(o);
    for (const r of productRules) {
      if (r.productId !== o.product_id) continue;
      const key = episodeKey(r.key, o.site, o.product_id);
      const previous = out.states.get(key) ?? states.get(key);
      const best = bestListing(o.board, (l) => sellerPasses(r.rule.seller, l));
      const c = best && asObservation(o, best);
      const judged = c ? judge(r.rule, c) : { holds: false, why: "" };
      // the watch's own first run is its baseline; other sources' rows of the product are not its runs
      const silent = r.silentFirstRun && o.watch_id === r.watchId && o.watch_run === 1;
      const result = step(
        previous,
        { at, tie: o.offer_key, offerKey: o.offer_key, holds: judged.holds, silent },
        r.rule,
      );
      keepStep(out, key, result);
      if (!result.fired || !c || !best) continue;
      const counted = o.board.filter((l) => sellerPasses(r.rule.seller, l)).length;
      out.alerts.push({
        ...(await episodeFields(key, r, result.fired, at, context)),
        kind: r.rule.kind,
        site: o.site as Alert["site"],
        item_id: best.item_id,
        product_id: o.product_id,
        seller: best.seller,
        offer_date: o.offer_date,
        title: best.title,
        currency: best.currency,
        url: best.url,
        price: best.price,
        verdict: best.verdict,
        real_discount_pct: best.real_discount_pct,
        why: `${judged.why} The best of ${counted} listing${counted === 1 ? "" : "s"} of the product${
          best.seller ? `, sold by ${best.seller}` : ""
        }.`,
      });
    }
  }
  return out;
}
