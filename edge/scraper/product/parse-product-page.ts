/**
 * Parses a product page (an item's own page, or a catalog product's) into ProductDetails.
 * The visible page comes first; the embedded state cross-checks it and fills in what the
 * markup does not show (the category id, a catalog page's product id); JSON-LD is not used:
 * its `description` is the highlighted features, and its price is 0 on unavailable products.
 * Per-field decisions: edge/SCRAPER.md, "Product pages".
 *
 * A page that is not a product (a challenge, a login wall, a layout we do not know) is
 * reported as such with no product fields, never read as a product: a challenge page still
 * carries the product's og:title and a long meta description.
 */
import { parseHTML } from "linkedom";
import { centsToMoney } from "../../../shared/money.ts";
import { type ProductDetails, validateProductDetails } from "../../../shared/contract/product-details.ts";
import { isHostOfSite, isSiteCode, SITE_CODES, type SiteCode, SITES } from "../../../shared/sites.ts";
import type { DomAmount } from "../card-dom.ts";
import { idsFromLink } from "../card-fields.ts";
import { interstitialOf } from "../classify.ts";
import { type PageCoverage, productCoverage, type ProductField, type Source } from "../coverage.ts";
import { countElements, MAX_ELEMENTS } from "../parse-page.ts";
import { type ProductDoc, readProductDom } from "./product-dom.ts";
import { readProductState } from "./product-state.ts";
import { normalizeDescription, readStock, readSubtitle, soldLowerBound } from "./product-text.ts";
import { analyticsCategoryId, linkCategoryId } from "./page-category.ts";
import { powerSellerOf, readSellerCard, reputationOf } from "./seller-signals.ts";

export type ProductPageKind =
  | "product"
  | "unavailable_product"
  | "challenge"
  | "blocked"
  | "unknown_layout"
  | "invalid";

export interface ProductPage {
  kind: ProductPageKind;
  site: SiteCode | null;
  /** Why the page is what it is (for an error or a log line). */
  reason: string;
  /** Present on product and unavailable_product pages only. */
  details: ProductDetails | null;
  /** Where the page and its embedded state disagree (the page wins). */
  warnings: string[];
  /** What the page carried, field by field, and from where (product and unavailable_product pages). */
  coverage: PageCoverage | null;
}

export interface ProductParseOptions {
  url: string;
  /** The site the page was fetched from, when the caller knows it. */
  site?: SiteCode;
}

export function parseProductPage(html: string, options: ProductParseOptions): ProductPage {
  const none = (kind: ProductPageKind, reason: string, site: SiteCode | null = null): ProductPage => ({
    kind,
    site,
    reason,
    details: null,
    warnings: [],
    coverage: null,
  });
  if (countElements(html) > MAX_ELEMENTS) {
    return none("unknown_layout", `more than ${MAX_ELEMENTS} elements; a product page has a few thousand`);
  }
  const { document: doc } = parseHTML(html) as unknown as { document: ProductDoc };
  const headUrl = doc.querySelector("link[rel=canonical]")?.getAttribute("href") ??
    doc.querySelector("meta[property='og:url']")?.getAttribute("content") ?? null;
  const site = siteOf(headUrl) ?? options.site ?? siteOf(options.url);

  // the markers are near the top of an interstitial; a product page is too large to search whole
  const interstitial = interstitialOf(html.slice(0, 200_000), doc);
  if (interstitial) return none(interstitial.kind, interstitial.reason, site);
  const scripts = Array.from(
    doc.querySelectorAll("script"),
    (s) => ({ id: s.getAttribute("id"), text: s.textContent ?? "" }),
  );
  const state = readProductState(scripts);
  const dom = readProductDom(doc);
  if (!dom.title && !state?.title) {
    return none("unknown_layout", "no product title (h1.ui-pdp-title) and no product state", site);
  }
  const pageSite = site ?? (isSiteCode(state?.siteId) ? state.siteId : null);
  if (!pageSite) return none("unknown_layout", "the page names no Mercado Libre site", null);

  const warnings: string[] = [];
  const check = (field: string, shown: unknown, stated: unknown) => {
    if (shown !== null && stated !== null && stated !== undefined && JSON.stringify(shown) !== JSON.stringify(stated)) {
      warnings.push(
        `${field}: page shows ${JSON.stringify(shown).slice(0, 80)}, state says ${JSON.stringify(stated).slice(0, 80)}`,
      );
    }
  };

  const link = idsFromLink(dom.canonicalUrl);
  const catalogPage = state?.layout === "pdp" || link.productId !== null;
  const price = moneyOf(dom.price, state?.price ?? null);
  const original = price === null ? null : moneyOf(dom.originalPrice, state?.originalPrice ?? null);
  check("price", dom.price ? centsToMoney(dom.price.cents) : null, state?.price != null ? toMoney(state.price) : null);
  const available = price !== null && !state?.noStockShown;
  const subtitle = readSubtitle(dom.subtitle ?? state?.subtitle ?? null);
  const stock = readStock(dom.stockText ?? state?.stockText ?? null);
  const official = dom.sellerName === null && state?.sellerName == null
    ? null
    : /oficial/i.test(dom.sellerLabel ?? "") || dom.officialStoreLink || dom.sellerType === "official_store" ||
      (state?.officialStore ?? false);
  const sellerName = dom.sellerName ?? state?.sellerName ?? null;
  // an ordinary seller's name is a nickname (often generated), which its seller links say
  const sellerKind = official ? "official_store_name" : dom.sellerType === "classic" ? "nickname" : "store_name";
  const shownItem = dom.formItemId ?? state?.itemId ?? (catalogPage ? null : link.itemId ?? state?.pageId ?? null);
  const productId = link.productId ?? state?.catalogProductId ?? (catalogPage ? state?.pageId ?? null : null);
  const pageIds = { items: [shownItem, link.itemId, dom.formItemId], product: productId };
  // the state's, else the breadcrumb's, else the page's own analytics object's, else its own links'
  const category = state?.categoryId
    ? { id: state.categoryId, source: "state" as const }
    : dom.breadcrumbCategoryId
    ? { id: dom.breadcrumbCategoryId, source: "markup" as const }
    : ((id) => (id ? { id, source: "analytics" as const } : null))(analyticsCategoryId(scripts, pageIds)) ??
      ((id) => (id ? { id, source: "markup" as const } : null))(linkCategoryId(dom.links, pageIds));
  const card = readSellerCard(doc);
  const reputation = card.reputation ?? reputationOf(state?.sellerReputation ?? null);
  const powerSeller = card.powerSeller ?? powerSellerOf(state?.powerSellerStatus ?? null);
  check("item_id", dom.formItemId, state?.itemId ?? null);
  const description = normalizeDescription(dom.description) ?? normalizeDescription(state?.description ?? null);
  check("description", normalizeDescription(dom.description), normalizeDescription(state?.description ?? null));
  const attributes = dom.specs.length ? dom.specs : state?.specs?.length ? state.specs : null;
  check("attributes", dom.specs.length ? dom.specs : null, state?.specs ?? null);

  const candidate = {
    site: pageSite,
    shown_item_id: available ? shownItem : null,
    product_id: productId,
    user_product_id: link.userProductId ?? state?.userProductId ?? null,
    title: dom.title ?? state?.title ?? "",
    canonical_url: dom.canonicalUrl ?? state?.canonicalUrl ?? null,
    price,
    original_price: original,
    currency: price === null ? null : currencyOf(dom.price, state?.currency ?? null, pageSite),
    available,
    condition: subtitle.condition ?? conditionOf(state?.condition ?? null),
    sold_quantity_text: subtitle.sold,
    sold_quantity_min: soldLowerBound(subtitle.sold),
    available_quantity: available ? stock.quantity : null,
    available_quantity_text: available ? stock.text : null,
    seller_name: available ? sellerName : null,
    seller_name_kind: available && sellerName ? sellerKind : null,
    official_store: available ? official : null,
    rating: dom.rating ?? state?.rating ?? null,
    reviews: dom.reviews ?? state?.reviews ?? null,
    category_id: category?.id ?? null,
    category_path: dom.categoryPath.length ? dom.categoryPath : state?.categoryPath?.length ? state.categoryPath : null,
    description,
    attributes,
    images: dom.pictures || state?.pictures || null,
    // a seller's standing belongs to the offer on sale: none on a page selling nothing
    seller_id: available ? card.sellerId ?? state?.sellerId ?? null : null,
    seller_reputation: available ? reputation : null,
    seller_power_status: available ? powerSeller : null,
    seller_sales_text: available ? card.salesText : null,
    seller_sales_min: available ? card.salesMin : null,
  };
  check("seller_reputation", card.reputation, reputationOf(state?.sellerReputation ?? null));
  check("seller_power_status", card.powerSeller, powerSellerOf(state?.powerSellerStatus ?? null));
  check("rating", dom.rating, state?.rating ?? null);
  check("reviews", dom.reviews, state?.reviews ?? null);
  check("category_path", dom.categoryPath.length ? dom.categoryPath : null, state?.categoryPath ?? null);

  const checked = validateProductDetails(candidate);
  if (!checked.ok) {
    return {
      kind: "invalid",
      site: pageSite,
      reason: checked.errors.join("; "),
      details: null,
      warnings,
      coverage: null,
    };
  }
  // where each value came from: the markup unless only the state (or the analytics data) had it
  const sources: Partial<Record<ProductField, Source>> = {};
  const from = (field: ProductField, shown: unknown, source: Source = "state") => {
    const empty = shown === null || shown === undefined || shown === "" || (Array.isArray(shown) && !shown.length);
    if (empty) sources[field] = source;
  };
  from("shown_item_id", dom.formItemId ?? link.itemId);
  from("product_id", link.productId);
  from("user_product_id", link.userProductId);
  from("title", dom.title);
  from("canonical_url", dom.canonicalUrl);
  from("price", dom.price);
  from("original_price", dom.originalPrice);
  from("currency", dom.price);
  from("condition", subtitle.condition);
  from("sold_quantity_text", dom.subtitle);
  from("sold_quantity_min", dom.subtitle);
  from("available_quantity", dom.stockText);
  from("available_quantity_text", dom.stockText);
  from("seller_name", dom.sellerName);
  from("seller_name_kind", dom.sellerName);
  from("official_store", dom.sellerName);
  from("rating", dom.rating);
  from("reviews", dom.reviews);
  if (category) sources.category_id = category.source;
  from("seller_id", card.sellerId);
  from("seller_reputation", card.reputation);
  from("seller_power_status", card.powerSeller);
  from("category_path", dom.categoryPath);
  from("description", normalizeDescription(dom.description));
  from("attributes", dom.specs);
  from("images", dom.pictures);
  return {
    kind: available ? "product" : "unavailable_product",
    site: pageSite,
    reason: available ? "product page" : "product page with nothing for sale",
    details: checked.value,
    warnings,
    coverage: productCoverage(checked.value, sources, state?.source ?? null),
  };
}

function siteOf(url: string | null): SiteCode | null {
  if (!url) return null;
  try {
    const host = new URL(url).hostname;
    return SITE_CODES.find((code) => isHostOfSite(host, code)) ?? null;
  } catch {
    return null;
  }
}

const toMoney = (value: number) => centsToMoney(Math.round(value * 100));

/** The amount the page shows, else the state's (a JSON number, rounded to cents). */
function moneyOf(shown: DomAmount | null, stated: number | null) {
  if (shown) return centsToMoney(shown.cents);
  return stated !== null && stated > 0 ? toMoney(stated) : null;
}

function currencyOf(shown: DomAmount | null, stated: string | null, site: SiteCode): string {
  const fromPage = shown?.currency === "PESO" ? SITES[site].currency : shown?.currency;
  return fromPage ?? stated ?? SITES[site].currency;
}

function conditionOf(value: string | null): ProductDetails["condition"] {
  return value === "new" || value === "used" || value === "refurbished" ? value : null;
}
