/**
 * The enricher: for offers read from the offers topic, fetch the item's own page, parse its
 * details (edge/scraper/product/) and produce them to the product-details topic, keyed by the
 * item id. It runs beside the scrape route, never in it: a scrape answers without waiting for
 * details, and the route keeps its least-privilege identity (docs/product-details.md).
 *
 * Polite and bounded: the route's fetch rules (one request per host per interval, the same
 * redirect and size limits); only items not detailed within the freshness window; at most
 * `perScrape` pages for one scrape's offers; never an ad's click URL; after a challenge or a
 * block page, a pause for every item; after a failed page, a backoff for that item.
 */
import { idsFromLink } from "../edge/scraper/card-fields.ts";
import type { ProductPage } from "../edge/scraper/product/parse-product-page.ts";
import { FetchFailure } from "../edge/scraper/polite-fetch.ts";
import type { OfferMessage } from "../shared/offer.ts";
import { DETAILS_SCHEMA_VERSION, type DetailsMessage } from "../shared/contract/details-message.ts";
import { STOCK_SCHEMA_VERSION, type StockMessage } from "../shared/contract/stock-message.ts";
import { stockOf } from "../edge/scraper/stock-observation.ts";
import { isHostOfSite, type SiteCode } from "../shared/sites.ts";
import type { FreshnessLedger } from "./freshness.ts";

export interface OfferEnricherDeps {
  /** GETs a product page with the route's rules; throws FetchFailure. */
  fetchPage(url: URL, site: SiteCode): Promise<string>;
  parse(html: string, options: { url: string; site: SiteCode }): ProductPage | Promise<ProductPage>;
  produce(message: DetailsMessage): Promise<void>;
  /** What the page said of the stock (`ofertas.stock`), after the details; absent: not produced. */
  produceStock?(message: StockMessage): Promise<void>;
  ledger: FreshnessLedger;
  perScrape: number;
  challengePauseMs: number;
  failureBackoffMs: number;
  now?: () => number;
}

/** What became of one offer: a closed set (log events, metric labels). */
export const OUTCOMES = [
  "detailed",
  "fresh",
  "capped",
  "paused",
  "not_a_product_link",
  "challenge",
  "page_not_product",
  "fetch_failed",
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Scrapes remembered for the per-scrape cap (older ones are done with). */
const SCRAPES_REMEMBERED = 1_000;

export class OfferEnricher {
  private readonly perScrapeCount = new Map<string, number>();
  private pausedUntil = 0;
  private readonly now: () => number;

  constructor(private readonly deps: OfferEnricherDeps) {
    this.now = deps.now ?? Date.now;
  }

  async handle(offer: OfferMessage): Promise<{ outcome: Outcome; detail?: string }> {
    const { ledger } = this.deps;
    const now = this.now();
    if (ledger.isFresh(offer.item_id, now)) return { outcome: "fresh" };
    if (now < this.pausedUntil) return { outcome: "paused" };
    const url = productUrlOf(offer);
    if (!url) return { outcome: "not_a_product_link" };
    if (!this.takeScrapeSlot(offer.scrape_id)) return { outcome: "capped" };

    let html: string;
    try {
      html = await this.deps.fetchPage(url, offer.site);
    } catch (error) {
      ledger.markFailed(offer.item_id, this.now() + this.deps.failureBackoffMs);
      const kind = error instanceof FetchFailure ? error.kind : "network";
      return { outcome: "fetch_failed", detail: `${kind}: ${(error as Error).message}` };
    }
    const page = await this.deps.parse(html, { url: url.toString(), site: offer.site });
    if (page.kind === "challenge" || page.kind === "blocked") {
      // the site wants us to slow down: every item waits, not only this one
      this.pausedUntil = this.now() + this.deps.challengePauseMs;
      return { outcome: "challenge", detail: `${page.kind}: ${page.reason}` };
    }
    if (!page.details || (page.kind !== "product" && page.kind !== "unavailable_product")) {
      ledger.markFailed(offer.item_id, this.now() + this.deps.failureBackoffMs);
      return { outcome: "page_not_product", detail: `${page.kind}: ${page.reason}` };
    }
    const fetchedAt = new Date(this.now()).toISOString();
    await this.deps.produce({
      schema_version: DETAILS_SCHEMA_VERSION,
      item_id: offer.item_id,
      page_url: url.toString(),
      page_kind: page.kind,
      fetched_at: fetchedAt,
      ...page.details,
      // the page's site is the offer's: a catalog page may name another host of the same site
      site: offer.site,
    });
    const stock = stockOf(page, url.toString(), offer.site, offer.item_id);
    if (stock && this.deps.produceStock) {
      await this.deps.produceStock({
        schema_version: STOCK_SCHEMA_VERSION,
        ...stock,
        observed_at: fetchedAt,
        source: "enricher",
        watch_id: null,
        watch_run: null,
        page_url: url.toString(),
      });
    }
    ledger.markDetailed(offer.item_id, Date.parse(fetchedAt));
    return { outcome: "detailed" };
  }

  private takeScrapeSlot(scrapeId: string): boolean {
    const used = this.perScrapeCount.get(scrapeId) ?? 0;
    if (used >= this.deps.perScrape) return false;
    this.perScrapeCount.delete(scrapeId);
    this.perScrapeCount.set(scrapeId, used + 1);
    if (this.perScrapeCount.size > SCRAPES_REMEMBERED) {
      this.perScrapeCount.delete(this.perScrapeCount.keys().next().value!);
    }
    return true;
  }
}

/**
 * The page to fetch for an offer: its canonical item or catalog URL on the offer's own site.
 * Never an ad's link (a click URL: fetching it would count as a click), never another host.
 */
export function productUrlOf(offer: Pick<OfferMessage, "url" | "site" | "sponsored">): URL | null {
  if (offer.sponsored) return null;
  let url: URL;
  try {
    url = new URL(offer.url);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" || !isHostOfSite(url.hostname, offer.site)) return null;
  const ids = idsFromLink(offer.url);
  if (!ids.itemId && !ids.productId) return null;
  url.search = "";
  url.hash = "";
  return url;
}
