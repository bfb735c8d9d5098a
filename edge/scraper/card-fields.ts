/**
 * Turns what a card shows (DomCard) plus its entry in the embedded state (StateCard) into
 * the fields of a ScrapedOffer. Per-field decisions are documented in edge/SCRAPER.md.
 */
import { centsToMoney } from "../../shared/money.ts";
import type { ScrapedOfferInput } from "../../shared/contract/scraped-offer.ts";
import { type SiteCode, SITES } from "../../shared/sites.ts";
import type { DomAmount, DomCard } from "./card-dom.ts";
import type { CardField, Source } from "./coverage.ts";
import type { StateCard } from "./embedded-state.ts";
import { parseLightningSentence } from "./lightning.ts";
import { parseCountText, parseDecimalText, squish } from "./text.ts";

export interface LinkIds {
  itemId: string | null;
  productId: string | null;
  userProductId: string | null;
}

/** Ids the card link carries: /MLB-123-… item links, /p/MLB… catalog, /up/MLBU… user products, wid= fragment. */
export function idsFromLink(href: string | null): LinkIds {
  const none: LinkIds = { itemId: null, productId: null, userProductId: null };
  if (!href) return none;
  let url: URL;
  try {
    url = new URL(href, "https://invalid.local");
  } catch {
    return none;
  }
  const path = url.pathname;
  const item = /\/([A-Z]{3})-(\d{5,15})(?:-|$)/.exec(path);
  const wid = /(?:^|[#&?])wid=([A-Z]{3}\d{5,15})\b/.exec(url.hash);
  return {
    itemId: item ? `${item[1]}${item[2]}` : (wid?.[1] ?? null),
    productId: /\/p\/([A-Z]{3}\d{3,15})\b/.exec(path)?.[1] ?? null,
    userProductId: /\/up\/([A-Z]{3}U\d{3,15})\b/.exec(path)?.[1] ?? null,
  };
}

/** Canonical item URL: scheme+host+path. Ad links keep their query, the only thing that makes them work. */
export function canonicalUrl(href: string, sponsored: boolean): string | null {
  try {
    const url = new URL(href);
    url.hash = "";
    if (!sponsored) url.search = "";
    url.protocol = "https:";
    return url.toString();
  } catch {
    return null;
  }
}

export interface CardContext {
  site: SiteCode;
  page: number;
  position: number;
}

export interface CardFields {
  offer: ScrapedOfferInput;
  /** Places where the DOM and the embedded state disagree (kept for the page summary). */
  crossCheckWarnings: string[];
  /** The fields the embedded state gave (the markup gave the others): the page's coverage counts them. */
  sources: Partial<Record<CardField, Source>>;
}

export function toOfferFields(dom: DomCard, state: StateCard | null, ctx: CardContext): CardFields {
  const warnings: string[] = [];
  const link = idsFromLink(dom.href);
  const itemId = link.itemId ?? state?.itemId ?? null;
  if (link.itemId && state?.itemId && link.itemId !== state.itemId) {
    warnings.push(`item_id: link says ${link.itemId}, state says ${state.itemId}`);
  }
  if (dom.price && state?.priceCents != null && dom.price.cents !== state.priceCents) {
    warnings.push(`price: card shows ${dom.price.cents} cents, state says ${state.priceCents}`);
  }
  for (const [name, amount] of [["price", dom.price], ["original_price", dom.originalPrice]] as const) {
    if (amount?.disagreement) warnings.push(`${name}: aria-label and visible digits differ`);
  }

  const site = SITES[ctx.site];
  const currencyOf = (a: DomAmount | null) => (a?.currency === "PESO" ? site.currency : a?.currency) ?? site.currency;
  const seller = splitSeller(dom.sellerText, dom.sellerLabel);
  const installments = parseInstallments(dom);

  const offer: ScrapedOfferInput = {
    site: ctx.site,
    item_id: itemId as string, // a missing id is reported by validation, by name
    product_id: link.productId ?? state?.productId ?? null,
    user_product_id: link.userProductId ?? state?.userProductId ?? null,
    title: dom.title as string,
    url: (dom.href ? canonicalUrl(dom.href, dom.sponsored) : null) as string,
    image_url: dom.imageUrl,
    price: (dom.price ? moneyOf(dom.price.cents) : undefined) as string,
    original_price: dom.originalPrice ? moneyOf(dom.originalPrice.cents) : null,
    discount_pct: parseDiscount(dom.discountText),
    currency: currencyOf(dom.price),
    installments,
    free_shipping: dom.shippingText !== null && /gr[aá]tis/i.test(dom.shippingText),
    full: dom.full,
    seller: seller.seller,
    official_store: dom.officialStore,
    brand: dom.brand ?? seller.brand,
    rating: dom.ratingText ? parseDecimalText(dom.ratingText) : null,
    reviews: dom.reviewsText ? parseCountText(dom.reviewsText) : null,
    label: dom.label,
    lightning_end: state?.lightningEnd ?? (dom.lightningText ? parseLightningSentence(dom.lightningText) : null),
    coupon: dom.coupon,
    sponsored: dom.sponsored,
    position: ctx.position,
    page: ctx.page,
  };
  const sources: Partial<Record<CardField, Source>> = {};
  const fromState = (field: CardField, fromMarkup: unknown) => {
    if ((fromMarkup === null || fromMarkup === undefined) && offer[field] !== null && offer[field] !== undefined) {
      sources[field] = "state";
    }
  };
  fromState("item_id", link.itemId);
  fromState("product_id", link.productId);
  fromState("user_product_id", link.userProductId);
  if (state?.lightningEnd) sources.lightning_end = "state";
  return { offer, crossCheckWarnings: warnings, sources };
}

/**
 * Cents as money; an amount no price can be (a misread "99999999999999999999999") is passed on as
 * written, so validation refuses that card by name instead of the whole page failing.
 */
function moneyOf(cents: number): string {
  return Number.isSafeInteger(cents) && cents >= 0 ? centsToMoney(cents) : String(cents / 100);
}

/** "43% OFF", "12% OFF no Pix ou Saldo" → 43, 12; a bare "no Pix" label has no percent. */
export function parseDiscount(text: string | null): number | null {
  const m = text ? /(\d{1,3})\s*%/.exec(text) : null;
  return m ? Number(m[1]) : null;
}

/**
 * "ou R$ 3.499 em 10x R$ 349,99 sem juros", "12x R$ 97,07", "en 24 meses sin intereses de $218.71".
 * A line without a count ("ou R$ 134,96 em outros meios") is not an installment plan.
 */
export function parseInstallments(
  dom: Pick<DomCard, "installmentsText" | "installmentAmount">,
): ScrapedOfferInput["installments"] {
  const text = dom.installmentsText;
  if (!text || !dom.installmentAmount) return null;
  const m = /(\d{1,3})\s*x\b/i.exec(text) ?? /(\d{1,3})\s+(?:meses|cuotas|parcelas)\b/i.exec(text);
  if (!m) return null;
  return {
    count: Number(m[1]),
    amount: moneyOf(dom.installmentAmount.cents),
    // AR writes interest-free plans as "Mismo precio en 6 cuotas"
    interest_free: /sem juros|sin inter[eé]s|mismo precio/i.test(text),
  };
}

/**
 * Seller line variants: "Por 2Eletro" (deals), "PlayStation" (2026 search), and on 2025 search
 * cards "{brand} por {store}" where the semibold label is the brand, or the label alone.
 */
export function splitSeller(
  text: string | null,
  label: string | null,
): { seller: string | null; brand: string | null } {
  if (!text) return { seller: null, brand: null };
  if (label) {
    const rest = squish(text.slice(text.indexOf(label) + label.length));
    const store = /^(?:por|vendido por)\s+(.+)$/i.exec(rest)?.[1] ?? null;
    return { seller: store ? squish(store) : null, brand: label };
  }
  const store = squish(text.replace(/^(?:vendido\s+)?por\s+/i, ""));
  return { seller: store || null, brand: null };
}
