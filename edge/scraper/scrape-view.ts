/**
 * Scrapes what a request names: the pages of a listing view (deals or a search) in order, or
 * one item's own page. Fetch politely, classify, parse, validate. Pagination stops at the first
 * page without cards, at the page limit, or at the first page that is not a page of offers (a
 * block page means back off, not push on).
 */
import type { ScrapedOffer } from "../../shared/contract/scraped-offer.ts";
import type { OfferProblem } from "../../shared/offer.ts";
import { isHostOfSite, type SiteCode, SITES } from "../../shared/sites.ts";
import type { ScrapeErrorKind } from "./classify.ts";
import type { PageCoverage } from "./coverage.ts";
import { inlineParser, type PageParser } from "./page-parser.ts";
import { ScrapeError } from "./parse-page.ts";
import { FetchFailure, type PoliteFetcher, type RedirectPolicy } from "./polite-fetch.ts";
import { itemTarget } from "./item-target.ts";
import { observationOf } from "./item-observation.ts";
import { stockOf, type StockSeen } from "./stock-observation.ts";
import { fetchUrl, type ViewRequest, viewUrl } from "./views.ts";

export interface ScrapeRequest extends ViewRequest {
  pages: number;
}

export interface ScrapedPageOffer {
  offer: ScrapedOffer;
  sourceUrl: string;
  scrapedAt: string;
}

export interface ScrapeProblem {
  kind: ScrapeErrorKind;
  page: number;
  url: string;
  message: string;
}

export interface InvalidCard {
  /** Null for an item's own page (one observation, no card). */
  page: number | null;
  position: number | null;
  errors: string[];
  fields: OfferProblem["field"][];
}

export interface ScrapeReport {
  pagesFetched: number;
  offers: ScrapedPageOffer[];
  invalid: InvalidCard[];
  errors: ScrapeProblem[];
  /** Each parsed page's coverage, in order (drift.ts judges them one by one). */
  coverage?: PageCoverage[];
  /** What an item's or product's own page said of the stock (stock-observation.ts); none for listings. */
  stock?: Array<StockSeen & { observedAt: string; pageUrl: string }>;
}

export interface ScrapeDeps {
  fetcher: PoliteFetcher;
  /** Serve the same paths from here instead of Mercado Livre (tests, replays). */
  baseUrl: string | null;
  /** Where pages are parsed (a worker in the route); inline by default. */
  parser?: PageParser;
  /** Most card roots one page may hold. */
  maxCards?: number;
  now?: () => string;
}

/**
 * Redirects a scrape follows: https hosts of the same site (www → lista, a country's other
 * host), or, for a replay server, its own origin. Anything else is an error of kind `redirect`.
 */
export function siteRedirects(site: SiteCode, baseUrl: string | null): RedirectPolicy {
  const replay = baseUrl ? new URL(baseUrl).origin : null;
  return (_from, to) =>
    replay !== null
      ? to.origin === replay
      : to.protocol === "https:" && to.username === "" && isHostOfSite(to.hostname, site);
}

export function scrapeView(request: ScrapeRequest, deps: ScrapeDeps): Promise<ScrapeReport> {
  return request.view === "item" ? scrapeItem(request, deps) : scrapeListing(request, deps);
}

/** One item's own page → one observation (item-observation.ts), or the reason there is none. */
async function scrapeItem(request: ScrapeRequest, deps: ScrapeDeps): Promise<ScrapeReport> {
  const coverage: PageCoverage[] = [];
  const report: ScrapeReport = { pagesFetched: 0, offers: [], invalid: [], errors: [], coverage };
  const now = deps.now ?? (() => new Date().toISOString());
  const parser = deps.parser ?? inlineParser;
  const target = itemTarget(request.site, request.item ?? "");
  const publicUrl = target.url.toString();
  const scrapedAt = now();
  let body: string;
  try {
    body = (await deps.fetcher.get(
      fetchUrl(target.url, deps.baseUrl),
      SITES[request.site].locale,
      siteRedirects(request.site, deps.baseUrl),
    )).body;
  } catch (error) {
    const kind = error instanceof FetchFailure ? error.kind : "network";
    report.errors.push({ kind, page: 1, url: publicUrl, message: (error as Error).message });
    return report;
  }
  report.pagesFetched++;
  try {
    const page = await parser.parseProduct(body, { url: publicUrl, site: request.site });
    if (page.coverage) coverage.push(page.coverage);
    const stock = stockOf(page, publicUrl, request.site, target.itemId);
    if (stock) report.stock = [{ ...stock, observedAt: scrapedAt, pageUrl: publicUrl }];
    const observed = observationOf(page, target, request.site);
    if (!observed.ok) report.errors.push({ kind: observed.kind, page: 1, url: publicUrl, message: observed.message });
    else if (observed.card.ok) report.offers.push({ offer: observed.card.offer, sourceUrl: publicUrl, scrapedAt });
    else {
      report.invalid.push({ page: null, position: null, errors: observed.card.errors, fields: observed.card.fields });
    }
  } catch (error) {
    const problem = error instanceof ScrapeError
      ? { kind: error.kind, message: error.message }
      : { kind: "parse_error" as const, message: `parse_error: ${(error as Error)?.message}` };
    report.errors.push({ page: 1, url: publicUrl, ...problem });
  }
  return report;
}

async function scrapeListing(request: ScrapeRequest, deps: ScrapeDeps): Promise<ScrapeReport> {
  const coverage: PageCoverage[] = [];
  const report: ScrapeReport = { pagesFetched: 0, offers: [], invalid: [], errors: [], coverage };
  const now = deps.now ?? (() => new Date().toISOString());
  const parser = deps.parser ?? inlineParser;
  const redirects = siteRedirects(request.site, deps.baseUrl);
  for (let page = 1; page <= request.pages; page++) {
    const publicUrl = viewUrl(request, page);
    let body: string;
    const scrapedAt = now();
    try {
      body = (await deps.fetcher.get(fetchUrl(publicUrl, deps.baseUrl), SITES[request.site].locale, redirects)).body;
    } catch (error) {
      const kind = error instanceof FetchFailure ? error.kind : "network";
      report.errors.push({ kind, page, url: publicUrl.toString(), message: (error as Error).message });
      break;
    }
    report.pagesFetched++;
    try {
      const parsed = await parser.parse(body, {
        url: publicUrl.toString(),
        site: request.site,
        page,
        maxCards: deps.maxCards,
      });
      coverage.push(parsed.coverage);
      for (const card of parsed.cards) {
        if (card.ok) report.offers.push({ offer: card.offer, sourceUrl: publicUrl.toString(), scrapedAt });
        else report.invalid.push({ page, position: card.position, errors: card.errors, fields: card.fields });
      }
      if (parsed.cards.length === 0) break;
    } catch (error) {
      // whatever went wrong with the page is the upstream's problem, reported, never thrown
      const problem = error instanceof ScrapeError ? { kind: error.kind, url: error.url, message: error.message } : {
        kind: "parse_error" as const,
        url: publicUrl.toString(),
        message: `parse_error: ${(error as Error)?.message}`,
      };
      report.errors.push({ page, ...problem });
      break;
    }
  }
  return report;
}
