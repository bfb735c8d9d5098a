/**
 * Scrapes the pages of one deal view in order: fetch politely, classify, parse, validate.
 * Pagination stops at the first page without cards, at the page limit, or at the first
 * page that is not a page of offers (a block page means back off, not push on).
 */
import type { ScrapedOffer } from "../../shared/offer.ts";
import { SITES } from "../../shared/sites.ts";
import type { ScrapeErrorKind } from "./classify.ts";
import { parsePage, ScrapeError } from "./parse-page.ts";
import { FetchFailure, type PoliteFetcher } from "./polite-fetch.ts";
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
  page: number;
  position: number;
  errors: string[];
}

export interface ScrapeReport {
  pagesFetched: number;
  offers: ScrapedPageOffer[];
  invalid: InvalidCard[];
  errors: ScrapeProblem[];
}

export interface ScrapeDeps {
  fetcher: PoliteFetcher;
  /** Serve the same paths from here instead of Mercado Livre (tests, replays). */
  baseUrl: string | null;
  now?: () => string;
}

export async function scrapeView(request: ScrapeRequest, deps: ScrapeDeps): Promise<ScrapeReport> {
  const report: ScrapeReport = { pagesFetched: 0, offers: [], invalid: [], errors: [] };
  const now = deps.now ?? (() => new Date().toISOString());
  for (let page = 1; page <= request.pages; page++) {
    const publicUrl = viewUrl(request, page);
    let body: string;
    const scrapedAt = now();
    try {
      body = (await deps.fetcher.get(fetchUrl(publicUrl, deps.baseUrl), SITES[request.site].locale)).body;
    } catch (error) {
      if (!(error instanceof FetchFailure)) throw error;
      report.errors.push({ kind: error.kind, page, url: publicUrl.toString(), message: error.message });
      break;
    }
    report.pagesFetched++;
    try {
      const parsed = parsePage(body, { url: publicUrl.toString(), site: request.site, page });
      for (const card of parsed.cards) {
        if (card.ok) report.offers.push({ offer: card.offer, sourceUrl: publicUrl.toString(), scrapedAt });
        else report.invalid.push({ page, position: card.position, errors: card.errors });
      }
      if (parsed.cards.length === 0) break;
    } catch (error) {
      if (!(error instanceof ScrapeError)) throw error;
      report.errors.push({ kind: error.kind, page, url: error.url, message: error.message });
      break;
    }
  }
  return report;
}
