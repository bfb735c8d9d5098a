/**
 * The watches' API and clock on the in-memory twins, for watches.test.ts: one route "process"
 * (store, ticker, app) on a MemoryKeyedLog several processes share, and scrape reports to feed it.
 */
import { MemoryKeyedLog } from "../shared/keyed-log.ts";
import { validateScrapedOffer } from "../shared/contract/scraped-offer.ts";
import { createApp } from "../edge/app.ts";
import { MemoryProducer } from "../edge/memory-producer.ts";
import { createRouteMetrics } from "../edge/route-metrics.ts";
import { ScrapeService } from "../edge/scrape-service.ts";
import { listingCoverage } from "../edge/scraper/coverage.ts";
import type { ScrapeReport, ScrapeRequest } from "../edge/scraper/scrape-view.ts";
import { Ticker } from "../edge/watches/ticker.ts";
import { WatchStore } from "../edge/watches/watch-store.ts";
import { sampleOffer } from "./sample-offer.ts";

export const TOKEN = "test-token-0123456789abcdef";
export const TOPICS = { watches: "w", runs: "r" };
const HOUR = 3_600_000;

export interface Process {
  store: WatchStore;
  ticker: Ticker;
  producer: MemoryProducer;
  scraped: ScrapeRequest[];
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
}

/** One route "process" on a shared log; `report` says what each scrape finds. */
export async function startProcess(
  shared: MemoryKeyedLog,
  clock: { now: number },
  report: (request: ScrapeRequest) => ScrapeReport | Promise<ScrapeReport> = () => okReport(),
  limits: Partial<{ pagesPerHour: number; maxWatches: number; minPeriodMs: number }> = {},
): Promise<Process> {
  const producer = new MemoryProducer();
  const scraped: ScrapeRequest[] = [];
  const metrics = createRouteMetrics();
  const service = new ScrapeService({
    producer,
    metrics,
    maxConcurrent: 2,
    maxQueued: 1,
    scrape: async (request) => {
      scraped.push(request);
      return await report(request);
    },
  });
  const store = new WatchStore(shared.reader(), TOPICS, {
    sites: ["MLB", "MLM"],
    maxPages: 5,
    maxWatches: limits.maxWatches ?? 10,
    minPeriodMs: limits.minPeriodMs ?? 60_000,
    pagesPerHour: limits.pagesPerHour ?? 100,
    runTimeoutMs: HOUR,
  }, () => clock.now);
  await store.start();
  const ticker = new Ticker(store, service, {
    timeoutMs: 5_000,
    backoff: { baseMs: 10 * 60_000, maxMs: HOUR },
    pagesPerHour: limits.pagesPerHour ?? 100,
    clock: () => clock.now,
  });
  const app = createApp({
    producer,
    metrics,
    service,
    scrape: service["deps"].scrape,
    watches: { store, ticker },
    config: { token: TOKEN, maxBodyBytes: 64 * 1024, sites: ["MLB", "MLM"], maxPages: 5 },
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.fetch(
      new Request(`http://route${path}`, {
        method,
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      }),
    );
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return { store, ticker, producer, scraped, call };
}

export function okReport(itemId = "MLB1000000001"): ScrapeReport {
  const checked = validateScrapedOffer(sampleOffer({ item_id: itemId }));
  if (!checked.ok) throw new Error(checked.errors.join());
  return {
    pagesFetched: 1,
    offers: [{
      offer: checked.value,
      sourceUrl: "https://lista.mercadolivre.com.br/iphone-15",
      scrapedAt: "2026-12-04T12:00:00Z",
    }],
    invalid: [],
    errors: [],
    coverage: [listingCoverage([{ offer: checked.value, sources: {} }], "nordic_ctx")],
  };
}

export const challengeReport = (): ScrapeReport => ({
  pagesFetched: 1,
  offers: [],
  invalid: [],
  errors: [{
    kind: "challenge",
    page: 1,
    url: "https://lista.mercadolivre.com.br/x",
    message: "challenge: proof of work",
  }],
});

export const searchWatch = (query = "iphone 15", every = "15m") => ({
  name: `search ${query}`,
  target: { site: "MLB", view: "search", query, pages: 2 },
  period: { every },
});

/** A watch store on its own in-memory log, with small bounds (the API and CLI tests). */
export function memoryWatchStore(): WatchStore {
  return new WatchStore(new MemoryKeyedLog().reader(), { watches: "w", runs: "r" }, {
    sites: ["MLB"],
    maxPages: 5,
    maxWatches: 10,
    minPeriodMs: 60_000,
    pagesPerHour: 100,
    runTimeoutMs: 60_000,
  });
}
