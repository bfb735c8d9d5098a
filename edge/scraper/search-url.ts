/**
 * The URL of a search on a site, built the way the site itself writes it: the search host
 * (`lista.mercadolivre.com.br`, `listado.mercadolibre.<tld>` elsewhere), the query as a path slug
 * (`/iphone-15`), then path suffixes: `_Desde_<offset>` for page N (N-1 pages of the site's page
 * size, plus one), `_PriceRange_<min>-<max>`, and `_NoIndex_True` whenever a suffix is present
 * (../docs/scrape-route.md#search). The query is bounded in length and in what it may hold.
 */
import { type SiteCode, SITES } from "../../shared/sites.ts";

export const MAX_QUERY_LENGTH = 100;
export const MAX_QUERY_WORDS = 12;
/** Prices in a range are whole units of the site's currency, up to this. */
export const MAX_PRICE = 1_000_000_000;

/** Letters (any script, with their accents), digits, spaces and - . ' : what a product name needs. */
const QUERY_CHARS = /^[\p{L}\p{M}\p{N} .'-]+$/u;

export interface SearchRequest {
  site: SiteCode;
  query: string;
  priceMin?: number;
  priceMax?: number;
}

/** Why a query cannot be searched, or null. */
export function queryProblem(query: string): string | null {
  const q = query.normalize("NFC").trim();
  if (q === "") return "query must hold at least one letter or digit";
  if (q.length > MAX_QUERY_LENGTH) return `query must be at most ${MAX_QUERY_LENGTH} characters`;
  if (!QUERY_CHARS.test(q)) return "query may hold only letters, digits, spaces and - . '";
  if (!/[\p{L}\p{N}]/u.test(q)) return "query must hold at least one letter or digit";
  if (q.split(/\s+/).length > MAX_QUERY_WORDS) return `query must be at most ${MAX_QUERY_WORDS} words`;
  return null;
}

/** The query as the site's path segment: lower case, words joined by `-`, accents kept (percent-encoded). */
export function searchSlug(query: string): string {
  const problem = queryProblem(query);
  if (problem) throw new RangeError(problem);
  const slug = query.normalize("NFC").trim().toLowerCase().replace(/[\s-]+/g, "-").replace(/^[-.']+|[-.']+$/g, "");
  return encodeURIComponent(slug);
}

function priceProblem(min: number | undefined, max: number | undefined): string | null {
  for (const [name, value] of [["price_min", min], ["price_max", max]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > MAX_PRICE)) {
      return `${name} must be a whole number from 0 to ${MAX_PRICE}`;
    }
  }
  if (min !== undefined && max === undefined) return "a price range needs price_max (price_min defaults to 0)";
  if (min !== undefined && max !== undefined && min > max) return "price_min must not be above price_max";
  if (max === 0) return "price_max must be above 0";
  return null;
}

/** Page `page` (1-based) of a search. Throws a RangeError naming what is wrong. */
export function searchUrl(request: SearchRequest, page: number): URL {
  const slug = searchSlug(request.query);
  const problem = priceProblem(request.priceMin, request.priceMax);
  if (problem) throw new RangeError(problem);
  const site = SITES[request.site];
  const suffixes: string[] = [];
  if (page > 1) suffixes.push(`_Desde_${(page - 1) * site.searchPageSize + 1}`);
  if (request.priceMax !== undefined) suffixes.push(`_PriceRange_${request.priceMin ?? 0}-${request.priceMax}`);
  if (suffixes.length) suffixes.push("_NoIndex_True");
  return new URL(`https://${site.searchHost}/${slug}${suffixes.join("")}`);
}
