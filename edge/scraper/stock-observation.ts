/**
 * What a product page says of the stock, as a stock observation's subject and facts
 * (shared/contract/stock-message.ts): whether anything was for sale, how many units the page
 * promised, at what price and by whom. The subject is what the page is: a catalog page (`/p/`)
 * speaks for its product (any seller), an item's own page for that listing. A page that is no
 * product page (a challenge, a login wall, an unknown layout, invalid fields) says nothing of the
 * stock: no observation, never a guess of "sold out".
 */
import type { StockMessage } from "../../shared/contract/stock-message.ts";
import { productOfTarget } from "../../shared/watch/watch-product.ts";
import type { SiteCode } from "../../shared/sites.ts";
import type { ProductPage } from "./product/parse-product-page.ts";

export type StockSeen = Pick<
  StockMessage,
  "site" | "subject" | "item_id" | "product_id" | "title" | "available" | "available_quantity" | "price" | "seller"
>;

/**
 * The stock a page fetched for `pageUrl` shows; `itemId` is the listing the page was fetched for,
 * when known (an item watch's item, the enricher's offer).
 */
export function stockOf(page: ProductPage, pageUrl: string, site: SiteCode, itemId: string | null): StockSeen | null {
  if (page.kind !== "product" && page.kind !== "unavailable_product") return null;
  const d = page.details!;
  const product = productOfTarget({ view: "item", item: pageUrl, site });
  const item = product ? d.shown_item_id : itemId ?? d.shown_item_id;
  if (!product && !item) return null;
  return {
    site,
    subject: product ? "product" : "item",
    item_id: item,
    product_id: product ?? d.product_id,
    title: d.title,
    available: d.available,
    available_quantity: d.available ? d.available_quantity : null,
    price: d.available ? d.price : null,
    seller: d.available ? d.seller_name : null,
  };
}
