/**
 * A product watch: an item watch whose target names a catalog product (`/p/MLB…` in its URL)
 * rather than one seller's listing. Its rules judge the product (every listing of it, by
 * product_id) instead of whichever seller wins the page's buy box on a run (docs/alerts.md,
 * "Products"). A product id alone makes the same watch: its page URL on the site's deals host.
 */
import { isSiteCode, SITES } from "../sites.ts";
import type { WatchTarget } from "./watch.ts";

const PRODUCT_PATH = /\/p\/([A-Z]{3}\d{3,15})(?:[/?#]|$)/;
/** An item's own page names its listing: `/MLB-1234567890-…` (a product page has no such id). */
const LISTING_PATH = /\/[A-Z]{3}-?\d{5,15}(?:-|$)/;

/** The catalog product an item watch's target names, or null (a listing, or another view). */
export function productOfTarget(target: Pick<WatchTarget, "view" | "item" | "site">): string | null {
  if (target.view !== "item" || !target.item) return null;
  let path: string;
  try {
    path = new URL(target.item).pathname;
  } catch {
    return null; // an item id
  }
  const product = PRODUCT_PATH.exec(path)?.[1] ?? null;
  return product && product.startsWith(target.site) && !LISTING_PATH.test(path.replace(PRODUCT_PATH, "/"))
    ? product
    : null;
}

/** The listing an item watch's target names (an item id, or an item page's URL), or null. */
export function itemOfTarget(target: Pick<WatchTarget, "view" | "item" | "site">): string | null {
  if (target.view !== "item" || !target.item) return null;
  if (new RegExp(`^${target.site}\\d{5,15}$`).test(target.item)) return target.item;
  let path: string;
  try {
    path = new URL(target.item).pathname;
  } catch {
    return null;
  }
  if (PRODUCT_PATH.test(path)) return null;
  const id = new RegExp(`/(${target.site})-?(\\d{5,15})(?:-|$)`).exec(path);
  return id ? `${id[1]}${id[2]}` : null;
}

/** The page of a product id (`MLB22246671`) on its site, as an item watch's `item`. */
export function productPageUrl(site: string, productId: string): string {
  if (!isSiteCode(site)) throw new RangeError(`not a site: ${site}`);
  if (!new RegExp(`^${site}\\d{3,15}$`).test(productId)) {
    throw new RangeError(`a product id of site ${site} looks like ${site}22246671`);
  }
  return `https://${SITES[site].dealsHost}/p/${productId}`;
}
