/**
 * One item to follow, as a caller names it: an item id of the site (`MLB1234567890`) or a
 * product page URL of the site (`https://produto.mercadolivre.com.br/MLB-1234567890-…`,
 * `https://www.mercadolivre.com.br/…/p/MLB22246671`). Either way the page fetched is rebuilt on
 * the site's own hosts over https, without query or fragment: a caller never picks a host.
 */
import { isHostOfSite, type SiteCode, SITES } from "../../shared/sites.ts";
import { idsFromLink } from "./card-fields.ts";

export const MAX_ITEM_URL_LENGTH = 500;

export interface ItemTarget {
  /** The product page to fetch. */
  url: URL;
  /** The sold item, when the caller named one (a catalog page names only its product). */
  itemId: string | null;
  productId: string | null;
}

/** The page of an item id or product URL of `site`; throws a RangeError saying what is wrong. */
export function itemTarget(site: SiteCode, item: string): ItemTarget {
  const id = new RegExp(`^${site}(\\d{5,15})$`).exec(item);
  if (id) {
    return { url: new URL(`https://${SITES[site].itemHost}/${site}-${id[1]}-_JM`), itemId: item, productId: null };
  }
  if (/^[A-Z]{3}\d{5,15}$/.test(item)) throw new RangeError(`item must be an item id of site ${site}`);
  if (item.length > MAX_ITEM_URL_LENGTH) throw new RangeError(`item must be at most ${MAX_ITEM_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(item);
  } catch {
    throw new RangeError(`item must be an item id like ${site}1234567890 or a product URL of the site`);
  }
  if (url.protocol !== "https:" || url.username || url.password || url.port || !isHostOfSite(url.hostname, site)) {
    throw new RangeError(`item URL must be an https URL on ${SITES[site].domain}`);
  }
  const ids = idsFromLink(url.pathname);
  const itemId = ids.itemId?.startsWith(site) ? ids.itemId : null;
  const productId = ids.productId?.startsWith(site) ? ids.productId : null;
  if (!itemId && !productId) throw new RangeError("item URL must name an item (/MLB-123…) or a product (/p/MLB…)");
  return { url: new URL(`https://${url.hostname.toLowerCase()}${url.pathname}`), itemId, productId };
}
