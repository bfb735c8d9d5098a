/**
 * What a product page shows, read from its markup (selectors in
 * ../shared/ml-pages/product/SOURCES.md). Only the product's own blocks are read: the price
 * comes from the main price container, never from the recommendation cards below it, whose
 * struck-through prices match the same money classes.
 */
import { type DomAmount, type El, readAmount } from "../card-dom.ts";
import { cleanTitle, parseCountText, parseDecimalText, squish } from "../text.ts";

export interface ProductDom {
  title: string | null;
  canonicalUrl: string | null;
  /** The item the buy form sends (the buy-box winner on a catalog page). */
  formItemId: string | null;
  price: DomAmount | null;
  originalPrice: DomAmount | null;
  noStockMessage: string | null;
  subtitle: string | null;
  stockText: string | null;
  sellerName: string | null;
  sellerLabel: string | null;
  officialStoreLink: boolean;
  /** What the seller links say the seller is (`typeSeller=`): official_store, eshop, classic…; null when they say nothing. */
  sellerType: string | null;
  /** Every link of the page (its own links name its category: page-category.ts). */
  links: string[];
  /** The leaf category id the breadcrumb names (a crumb's `CATEGORY_ID=` or `_CategoryID_`), when one does. */
  breadcrumbCategoryId: string | null;
  rating: number | null;
  reviews: number | null;
  categoryPath: string[];
  description: string | null;
  specs: Array<{ name: string; value: string }>;
  pictures: number;
}

/** Links read for the category (a product page has a few hundred). */
const MAX_LINKS = 5_000;

export interface ProductDoc {
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): Iterable<El> & ArrayLike<El>;
}

/** The first element any of the selectors finds (the most specific selector first). */
const first = (doc: ProductDoc, ...selectors: string[]) => {
  for (const s of selectors) {
    const el = doc.querySelector(s);
    if (el) return el;
  }
  return null;
};

const text = (el: El | null | undefined) => {
  const t = squish(el?.textContent);
  return t === "" ? null : t;
};

export function readProductDom(doc: ProductDoc): ProductDom {
  const priceBox = doc.querySelector(".ui-pdp-price__main-container") ?? doc.querySelector(".ui-pdp-price");
  const sellerTitle = doc.querySelector(".ui-pdp-seller__header__title");
  const sellerLabel = text(sellerTitle?.querySelector(".ui-pdp-seller__label-sold"));
  const sellerButton = text(sellerTitle?.querySelector(".ui-pdp-seller__link-trigger-button"));
  // the older layout writes "Vendido por" inside the button, the newest one before it
  const sellerName = sellerButton && sellerLabel && sellerButton.startsWith(sellerLabel)
    ? squish(sellerButton.slice(sellerLabel.length)) || null
    : sellerButton ?? text(doc.querySelector(".ui-seller-data-header__title"));
  const sellerLinks = Array.from(
    doc.querySelectorAll(".ui-pdp-seller__header a[href]"),
    (a) => a.getAttribute("href")!,
  );
  // the seller card lower on the page links to the seller's page too, with its type
  const sellerCardLinks = Array.from(
    doc.querySelectorAll("[class*='ui-seller-data'] a[href]"),
    (a) => a.getAttribute("href")!,
  );
  return {
    title: cleanTitle(doc.querySelector("h1.ui-pdp-title")?.textContent) || null,
    canonicalUrl: doc.querySelector("link[rel=canonical]")?.getAttribute("href") ??
      doc.querySelector("meta[property='og:url']")?.getAttribute("content") ?? null,
    formItemId: Array.from(doc.querySelectorAll("input[name=item_id]"), (i) => i.getAttribute("value") ?? "")
      .find((v) => /^[A-Z]{3}\d{5,15}$/.test(v)) ?? null,
    price: readAmount(priceBox?.querySelector(".ui-pdp-price__second-line .andes-money-amount") ?? null),
    originalPrice: readAmount(priceBox?.querySelector(".ui-pdp-price__original-value") ?? null),
    noStockMessage: text(doc.querySelector(".ui-pdp-message")),
    subtitle: text(first(doc, ".ui-pdp-header .ui-pdp-subtitle", "span.ui-pdp-subtitle")),
    stockText: text(doc.querySelector(".ui-pdp-buybox__quantity__available")),
    sellerName,
    sellerLabel,
    officialStoreLink: sellerLinks.some((href) => /[?&](?:official_store_id=\d|typeSeller=official_store)/.test(href)),
    sellerType: sellerTypeOf([...sellerLinks, ...sellerCardLinks]),
    links: Array.from(doc.querySelectorAll("a[href]"), (a) => a.getAttribute("href")!).slice(0, MAX_LINKS),
    breadcrumbCategoryId:
      Array.from(doc.querySelectorAll("a.andes-breadcrumb__link[href]"), (a) => a.getAttribute("href")!)
        .map(categoryIdOfLink).filter((id) => id !== null).pop() ?? null,
    rating: parseDecimalText(text(first(doc, ".ui-pdp-header .ui-pdp-review__rating", ".ui-pdp-review__rating")) ?? ""),
    reviews: parseCountText(text(first(doc, ".ui-pdp-header .ui-pdp-review__amount", ".ui-pdp-review__amount")) ?? ""),
    categoryPath: Array.from(doc.querySelectorAll("a.andes-breadcrumb__link"), (a) => text(a))
      .filter((t): t is string => t !== null),
    description: descriptionText(doc.querySelector("p.ui-pdp-description__content")),
    specs: Array.from(doc.querySelectorAll("tr.ui-vpp-striped-specs__row"), (row) => ({
      name: text(row.querySelector("th")) ?? "",
      value: text(row.querySelector(".andes-table__column--value")) ?? "",
    })).filter((r) => r.name !== "" && r.value !== ""),
    // a gallery slot holding a video clip is not a picture of the product
    pictures: Array.from(doc.querySelectorAll("figure.ui-pdp-gallery__figure"))
      .filter((f) => f.querySelector(".clip-wrapper, video, .ui-pdp-gallery__figure__clip") === null).length,
  };
}

/** The description with its line breaks: older pages draw them as <br> with no newline in the text. */
function descriptionText(p: El | null): string | null {
  if (!p) return null;
  const node = p as unknown as { querySelectorAll(s: string): Iterable<{ replaceWith(t: string): void }> };
  for (const br of Array.from(node.querySelectorAll("br"))) br.replaceWith("\n");
  return p.textContent;
}

/** What the first seller link that says so says the seller is (`typeSeller=classic`). */
function sellerTypeOf(links: readonly string[]): string | null {
  for (const href of links) {
    const type = /[?&#]typeSeller=([a-z_]{1,30})/.exec(href)?.[1];
    if (type) return type;
  }
  return null;
}

/** A category id a breadcrumb link carries: `#CATEGORY_ID=MLB1055`, `_CategoryID_MLB1055`, `/c/MLB1055`. */
export function categoryIdOfLink(href: string): string | null {
  return /(?:[#&?]CATEGORY_ID=|_CategoryID_|\/c\/)([A-Z]{3}\d{1,15})\b/.exec(href)?.[1] ?? null;
}
