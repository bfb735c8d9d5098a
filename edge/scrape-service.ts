/**
 * One scrape, from admission to Kafka: the bounded queue (scrape-queue.ts), the scrape itself,
 * the whole contract checked on every offer, then one produce. `POST /scrape` and the watches'
 * tick both go through here, so a watch's run is a scrape like any other, with its offers
 * marked with the watch's id and the run's number.
 */
import { log } from "../shared/log.ts";
import { type OfferMessage, toOfferMessage, validateOfferMessage } from "../shared/offer.ts";
import { MAX_REJECTED_LISTED } from "./offers-body.ts";
import { ProduceError, type ProduceResult } from "./offer-producer.ts";
import type { RouteMetrics } from "./route-metrics.ts";
import { type Admission, ScrapeQueue } from "./scrape-queue.ts";
import { compactCoverage, mergeCoverage, type PageCoverage } from "./scraper/coverage.ts";
import type { InvalidCard, ScrapeProblem, ScrapeReport, ScrapeRequest } from "./scraper/scrape-view.ts";
import { STOCK_SCHEMA_VERSION, type StockMessage, validateStockMessage } from "../shared/contract/stock-message.ts";

export interface ScrapeProducer {
  send(messages: OfferMessage[]): Promise<ProduceResult>;
  ready(): Promise<{ ok: boolean; detail: string }>;
}

export interface ScrapeServiceDeps {
  producer: ScrapeProducer;
  scrape(request: ScrapeRequest): Promise<ScrapeReport>;
  metrics: RouteMetrics;
  maxConcurrent: number;
  maxQueued: number;
  newScrapeId?: () => string;
  /** Judges each page's coverage (drift-monitor.ts). */
  drift?: { observe(site: string, view: string, pages: readonly PageCoverage[]): void };
  /** Where what an item's or product's page said of the stock goes (`ofertas.stock`); none: not produced. */
  stock?: { send(messages: StockMessage[]): Promise<ProduceResult> };
}

/** ok: every page read; partial: some offers and an error; failed: no offer (the upstream's fault). */
export type ScrapeOutcome = "ok" | "partial" | "failed" | "not_produced" | "crashed";

export interface ScrapeResult {
  scrapeId: string;
  outcome: ScrapeOutcome;
  /** The HTTP status `POST /scrape` answers with. */
  status: 200 | 502 | 503;
  /** The answer's body. */
  summary: Record<string, unknown>;
  pagesFetched: number;
  offers: number;
  produced: number;
  invalid: number;
  errors: ScrapeProblem[];
  /** What the pages' cards carried, all pages together (null when no page of cards was read). */
  coverage: ReturnType<typeof compactCoverage> | null;
}

export interface ScrapeOptions {
  /** The watch this scrape runs for (its offers carry the id). */
  watchId?: string | null;
  /** The number of the watch's run (its offers carry it as `watch_run`); only with watchId. */
  watchRun?: number | null;
  /**
   * Runs first, once the scrape holds a slot of the queue; false cancels the scrape (a watch's
   * claim on its period, lost to another tick): the result is then null. A watch's claim that
   * wins says the run's number (it is decided with the claim), which overrides `watchRun`.
   */
  before?: () => Promise<boolean | { watchRun: number }>;
}

export class ScrapeService {
  readonly queue: ScrapeQueue;
  private readonly newScrapeId: () => string;

  constructor(private readonly deps: ScrapeServiceDeps) {
    this.queue = new ScrapeQueue(deps.maxConcurrent, deps.maxQueued);
    this.newScrapeId = deps.newScrapeId ?? (() => crypto.randomUUID());
  }

  ready(): Promise<{ ok: boolean; detail: string }> {
    return this.deps.producer.ready();
  }

  /** Admission now (a refusal says when to come back), the scrape in the slot it was given. */
  submit(request: ScrapeRequest, options: ScrapeOptions = {}): Admission<ScrapeResult | null> {
    const admission = this.queue.submit(async () => {
      const go = options.before ? await options.before() : true;
      if (go === false) return null;
      const watchId = options.watchId ?? null;
      const watchRun = typeof go === "object" ? go.watchRun : options.watchRun ?? null;
      return await this.run(request, { watchId, watchRun: watchId === null ? null : watchRun });
    });
    if (!admission.accepted) {
      this.deps.metrics.scrapes.inc({ site: request.site, view: request.view, outcome: "refused_busy" });
    }
    return admission;
  }

  private async run(
    request: ScrapeRequest,
    { watchId, watchRun }: { watchId: string | null; watchRun: number | null },
  ): Promise<ScrapeResult> {
    const { metrics } = this.deps;
    const scrapeId = this.newScrapeId();
    let report: ScrapeReport;
    try {
      report = await this.deps.scrape(request);
    } catch (error) {
      // the request was checked: whatever fails now is the upstream's (or ours), never the caller's
      metrics.scrapes.inc({ site: request.site, view: request.view, outcome: "failed" });
      const message = (error as Error).message;
      log("error", "scrape_crashed", { scrape_id: scrapeId, watch_id: watchId ?? undefined, message });
      return {
        scrapeId,
        outcome: "crashed",
        status: 502,
        summary: { scrape_id: scrapeId, error: "the scrape failed", detail: message },
        pagesFetched: 0,
        offers: 0,
        produced: 0,
        invalid: 0,
        errors: [],
        coverage: null,
      };
    }
    metrics.pages.inc({ site: request.site }, report.pagesFetched);
    for (const e of report.errors) metrics.errors.inc({ kind: e.kind });
    const pages = report.coverage ?? [];
    this.deps.drift?.observe(request.site, request.view, pages);
    const merged = mergeCoverage(pages);
    const coverage = merged ? compactCoverage(merged) : null;

    // the offers as they travel, checked against the whole contract before anything is sent
    const invalid: InvalidCard[] = [...report.invalid];
    const messages: OfferMessage[] = [];
    for (const o of report.offers) {
      const message = toOfferMessage(o.offer, {
        scrape_id: scrapeId,
        scraped_at: o.scrapedAt,
        source_url: o.sourceUrl,
        watch_id: watchId,
        watch_run: watchRun,
      });
      const checked = validateOfferMessage(message);
      if (checked.ok) messages.push(checked.value);
      else {
        invalid.push({
          page: o.offer.page,
          position: o.offer.position,
          errors: checked.errors,
          fields: checked.problems.map((p) => p.field),
        });
      }
    }
    for (const bad of invalid) metrics.offersInvalid.inc({ reason: bad.fields[0] ?? "offer" });
    const summary: Record<string, unknown> = {
      scrape_id: scrapeId,
      ...(watchId ? { watch_id: watchId } : {}),
      site: request.site,
      view: request.view,
      pages_fetched: report.pagesFetched,
      offers: messages.length,
      produced: 0,
      invalid: invalid.length,
      invalid_offers: invalid.slice(0, MAX_REJECTED_LISTED).map(({ fields: _fields, ...card }) => card),
      errors: report.errors,
      coverage,
    };
    const result = (outcome: ScrapeOutcome, status: ScrapeResult["status"]): ScrapeResult => ({
      scrapeId,
      outcome,
      status,
      summary,
      pagesFetched: report.pagesFetched,
      offers: messages.length,
      produced: Number(summary.produced),
      invalid: invalid.length,
      errors: report.errors,
      coverage,
    });
    if (!(await this.produce(messages, summary)) || !(await this.produceStock(report, watchId, watchRun, summary))) {
      metrics.scrapes.inc({ site: request.site, view: request.view, outcome: "not_produced" });
      return result("not_produced", 503);
    }
    const outcome = report.errors.length && messages.length === 0 ? "failed" : report.errors.length ? "partial" : "ok";
    metrics.scrapes.inc({ site: request.site, view: request.view, outcome });
    log("info", "scrape", { ...summary, invalid_offers: undefined });
    // nothing scraped because the site refused or failed: the upstream is at fault
    return result(outcome, outcome === "failed" ? 502 : 200);
  }

  /**
   * What the page said of the stock (an item's or product's page: available or not), as stock
   * messages with the watch's ids; false when Kafka did not acknowledge them. The stock of every
   * run is observed, for sale or not: out_of_stock and back_in_stock judge the sequence.
   */
  private async produceStock(
    report: ScrapeReport,
    watchId: string | null,
    watchRun: number | null,
    summary: Record<string, unknown>,
  ): Promise<boolean> {
    const stock = this.deps.stock;
    if (!stock || !report.stock?.length) return true;
    const messages: StockMessage[] = [];
    for (const { observedAt, pageUrl, ...seen } of report.stock) {
      const checked = validateStockMessage({
        schema_version: STOCK_SCHEMA_VERSION,
        ...seen,
        observed_at: observedAt,
        source: "route",
        watch_id: watchId,
        watch_run: watchId === null ? null : watchRun,
        page_url: pageUrl,
      });
      if (checked.ok) messages.push(checked.value);
      else log("warn", "stock_invalid", { scrape_id: summary.scrape_id, errors: checked.errors });
    }
    if (messages.length === 0) return true;
    try {
      await stock.send(messages);
      summary.stock = messages.map((m) => ({ subject: m.subject, available: m.available }));
      return true;
    } catch (error) {
      if (!(error instanceof ProduceError)) throw error;
      this.deps.metrics.errors.inc({ kind: "produce" });
      summary.error = "Kafka did not acknowledge the stock observation; retry with the same X-Scrape-Id";
      log("error", "stock_produce_failed", { scrape_id: summary.scrape_id, reason: error.message });
      return false;
    }
  }

  /** Produces and fills `summary.produced`; false when Kafka did not acknowledge every offer. */
  async produce(messages: OfferMessage[], summary: Record<string, unknown>, source = "scrape"): Promise<boolean> {
    if (messages.length === 0) return true;
    const { producer, metrics } = this.deps;
    const started = performance.now();
    try {
      const result = await producer.send(messages);
      summary.produced = result.produced;
      metrics.offersProduced.inc({ source }, result.produced);
      metrics.produceSeconds.observe((performance.now() - started) / 1000);
      return true;
    } catch (error) {
      if (!(error instanceof ProduceError)) throw error;
      metrics.errors.inc({ kind: "produce" });
      metrics.offersProduced.inc({ source }, error.produced);
      summary.produced = error.produced;
      summary.not_produced = error.notProduced;
      summary.error = "Kafka did not acknowledge every offer; retry with the same X-Scrape-Id to stay idempotent";
      log("error", "produce_failed", {
        scrape_id: summary.scrape_id,
        produced: error.produced,
        not_produced: error.notProduced,
        reason: error.message,
      });
      return false;
    }
  }
}
