/**
 * The deal views a caller may ask for, and the only URLs the scraper will build. A caller
 * picks a site, a view and a page count; it never supplies a URL or a host (no SSRF).
 */
import { type SiteCode, SITES } from "../../shared/sites.ts";

export const VIEWS = ["all", "deal_of_the_day", "lightning", "category"] as const;
export type View = (typeof VIEWS)[number];

export interface ViewRequest {
  site: SiteCode;
  view: View;
  /** Category id of the same site (e.g. MLB1051), only for the "category" view. */
  category?: string;
}

export const MAX_PAGES = 20;

/** Public URL of page `page` (1-based) of a view; what offers record as their source. */
export function viewUrl(request: ViewRequest, page: number): URL {
  if (!Number.isInteger(page) || page < 1 || page > MAX_PAGES) {
    throw new RangeError(`page must be an integer from 1 to ${MAX_PAGES}`);
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

/**
 * Where to actually send the request: the public URL, or the same path and query on a
 * configured base URL (tests point it at a local server of saved pages).
 */
export function fetchUrl(publicUrl: URL, baseUrl: string | null): URL {
  if (!baseUrl) return publicUrl;
  const target = new URL(baseUrl);
  target.pathname = `${target.pathname.replace(/\/$/, "")}${publicUrl.pathname}`;
  target.search = publicUrl.search;
  target.searchParams.set("site", SITE_OF_HOST.get(publicUrl.hostname) ?? "");
  return target;
}

const SITE_OF_HOST = new Map(Object.values(SITES).map((s) => [s.dealsHost, s.code]));
