/**
 * One price observation of an item from its own product page (the enricher's parser), in the
 * same contract as a card's offer: what the page shows of price, original price, seller and
 * rating. What a card has and a product page does not (a position on a page, a highlight
 * label, shipping and installment lines) is null or false (docs/contract.md).
 */
import { type ScrapedOfferInput, validateScrapedOffer } from "../../shared/contract/scraped-offer.ts";
import { type SiteCode, SITES } from "../../shared/sites.ts";
import type { ScrapeErrorKind } from "./classify.ts";
import type { ItemTarget } from "./item-target.ts";
import type { ProductPage } from "./product/parse-product-page.ts";
import { canonicalUrl } from "./card-fields.ts";
import type { CardOutcome } from "./parse-page.ts";

export type ObservationOutcome =
  | { ok: true; card: CardOutcome }
  | { ok: false; kind: ScrapeErrorKind; message: string };

/** The observation a product page gives, or why it gives none. */
export function observationOf(page: ProductPage, target: ItemTarget, site: SiteCode): ObservationOutcome {
  switch (page.kind) {
    case "challenge":
    case "blocked":
    case "unknown_layout":
      return { ok: false, kind: page.kind, message: `${page.kind}: ${page.reason}` };
    case "invalid":
      return { ok: false, kind: "parse_error", message: `the product page's fields are invalid: ${page.reason}` };
    case "unavailable_product":
      return { ok: false, kind: "unavailable", message: `nothing for sale on the item's page: ${page.reason}` };
  }
  const d = page.details!;
  // the price on the page is the shown item's (a catalog page's buy-box winner)
  const itemId = d.shown_item_id ?? target.itemId;
  const warnings = [...page.warnings];
  if (target.itemId && d.shown_item_id && d.shown_item_id !== target.itemId) {
    warnings.push(`the page shows item ${d.shown_item_id}, not ${target.itemId}: observed as ${d.shown_item_id}`);
  }
  if (!itemId || d.price === null) {
    return { ok: false, kind: "unavailable", message: "the product page shows no item with a price" };
  }
  const url = (d.canonical_url && canonicalUrl(d.canonical_url, false)) ?? target.url.toString();
  const offer: ScrapedOfferInput = {
    site,
    item_id: itemId,
    product_id: d.product_id ?? target.productId,
    user_product_id: d.user_product_id,
    title: d.title,
    url,
    image_url: null,
    price: d.price,
    original_price: d.original_price,
    discount_pct: null, // recomputed downstream from the two prices (computed_discount_pct)
    currency: d.currency ?? SITES[site].currency,
    seller: d.seller_name,
    official_store: d.official_store ?? false,
    seller_reputation: d.seller_reputation,
    seller_power_status: d.seller_power_status,
    rating: d.rating,
    reviews: d.reviews,
    position: null,
    page: null,
  };
  const checked = validateScrapedOffer(offer);
  return checked.ok ? { ok: true, card: { ok: true, position: 1, offer: checked.value, warnings } } : {
    ok: true,
    card: {
      ok: false,
      position: 1,
      errors: checked.errors,
      fields: checked.problems.map((p) => p.field),
      partial: offer,
      warnings,
    },
  };
}
