/**
 * What a caller may ask the scraper to read, and the only URLs the scraper will build from it:
 * a deals view (all, deal of the day, lightning, one category), a search (search-url.ts) or one
 * item's own page (item-target.ts). A caller picks a site and a view and fills in the view's
 * parts; it never supplies a host (no SSRF): even an item's URL is rebuilt on the site's hosts.
 */
import { isHostOfSite, SITE_CODES, type SiteCode, SITES } from "../../shared/sites.ts";
import type { View } from "../../shared/views.ts";
import { itemTarget } from "./item-target.ts";
import { searchUrl } from "./search-url.ts";

export { type ListingView, type View, VIEWS } from "../../shared/views.ts";

export interface ViewRequest {
  site: SiteCode;
  view: View;
  /** Category id of the same site (e.g. MLB1051), only for the "category" view. */
  category?: string;
  /** Words to search for, only for the "search" view. */
  query?: string;
  /** Price range of a search, in whole units of the site's currency. */
  price_min?: number;
  price_max?: number;
  /** An item id (MLB1234567890) or a product page URL of the site, only for the "item" view. */
  item?: string;
}

export const MAX_PAGES = 20;

/** Public URL of page `page` (1-based) of a listing view; what offers record as their source. */
export function viewUrl(request: ViewRequest, page: number): URL {
  if (!Number.isInteger(page) || page < 1 || page > MAX_PAGES) {
    throw new RangeError(`page must be an integer from 1 to ${MAX_PAGES}`);
  }
  if (request.view === "search") {
    return searchUrl({
      site: request.site,
      query: request.query ?? "",
      priceMin: request.price_min,
      priceMax: request.price_max,
    }, page);
  }
  if (request.view === "item") {
    if (page !== 1) throw new RangeError("an item is one page: pages must be 1");
    return itemTarget(request.site, request.item ?? "").url;
  }
  const url = new URL(`https://${SITES[request.site].dealsHost}/ofertas`);
  switch (request.view) {
    case "all":
      break;
    case "deal_of_the_day":
    case "lightning":
      url.searchParams.set("promotion_type", request.view);
      break;
    case "category": {
      const category = request.category ?? "";
      if (!new RegExp(`^${request.site}\\d{1,10}$`).test(category)) {
        throw new RangeError(`category must be a ${request.site} category id like ${request.site}1051`);
      }
      url.searchParams.set("category", category);
      break;
    }
  }
  if (page > 1) url.searchParams.set("page", String(page));
  return url;
}

/** The parts of a request that belong to other views: a caller who sends them meant something else. */
export function viewRequestProblem(request: ViewRequest): string | null {
  const parts: Array<[keyof ViewRequest, View]> = [
    ["category", "category"],
    ["query", "search"],
    ["price_min", "search"],
    ["price_max", "search"],
    ["item", "item"],
  ];
  for (const [part, view] of parts) {
    if (request[part] !== undefined && request.view !== view) return `${part} is only for the ${view} view`;
  }
  if (request.view === "category" && !request.category) return "the category view needs a category id";
  if (request.view === "search" && !request.query) return "the search view needs a query";
  if (request.view === "item" && !request.item) return "the item view needs an item id or a product URL";
  try {
    viewUrl(request, 1);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Where to actually send the request: the public URL, or the same path and query on a
 * configured base URL (tests point it at a local server of saved pages).
 */
export function fetchUrl(publicUrl: URL, baseUrl: string | null): URL {
  if (!baseUrl) return publicUrl;
  const target = new URL(baseUrl);
  target.pathname = `${target.pathname.replace(/\/$/, "")}${publicUrl.pathname}`;
  target.search = publicUrl.search;
  target.searchParams.set("site", SITE_CODES.find((code) => isHostOfSite(publicUrl.hostname, code)) ?? "");
  return target;
}
