/**
 * Real-shaped offers for benchmarks: the cards of the saved pages in ../shared/ml-pages
 * (the small fixtures when that folder is absent), parsed by the project's own scraper, then
 * repeated with new item ids so every message is a distinct offer of realistic size.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { type LoadBatch, shapeOf, stageRows } from "../batch/staging.ts";
import { transform } from "../batch/transform.ts";
import type { RawRecord } from "../batch/backend/backend.ts";
import { toKafkaMessage } from "../edge/offer-producer.ts";
import { parsePage } from "../edge/scraper/parse-page.ts";
import type { ScrapedOffer } from "../shared/contract/scraped-offer.ts";
import { type OfferMessage, toOfferMessage } from "../shared/offer.ts";
import { SITES } from "../shared/sites.ts";
import { DAILY_OFFERS } from "../shared/tables.ts";

const PAGES = process.env.OFERTAS_ML_PAGES ?? new URL("../../shared/ml-pages/", import.meta.url).pathname;
const FIXTURES = new URL("../edge/scraper/fixtures/", import.meta.url).pathname;

let cached: ScrapedOffer[] | null = null;

export function realCards(): ScrapedOffer[] {
  if (cached) return cached;
  const dir = existsSync(PAGES) ? PAGES : FIXTURES;
  const cards: ScrapedOffer[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".html")).sort()) {
    try {
      const page = parsePage(readFileSync(join(dir, file), "utf8"), { url: file, maxCards: 1_000 });
      for (const c of page.cards) if (c.ok) cards.push(c.offer);
    } catch {
      // block pages and others without offers
    }
  }
  if (cards.length === 0) throw new Error(`no offers parsed from ${dir}`);
  cached = cards;
  return cards;
}

/** `n` distinct messages cycling through the real cards; item ids from `firstId` on. */
export function* realOfferMessages(
  n: number,
  firstId: number,
  scrapeId: string,
  scrapedAt = new Date().toISOString(),
): Generator<OfferMessage> {
  const cards = realCards();
  for (let i = 0; i < n; i++) {
    const card = cards[i % cards.length]!;
    yield toOfferMessage(
      { ...card, item_id: `${card.site}${firstId + i}`, position: (i % 48) + 1, page: 1 + Math.floor(i / 48) % 20 },
      { scrape_id: scrapeId, scraped_at: scrapedAt, source_url: `https://${SITES[card.site].dealsHost}/ofertas` },
    );
  }
}

/** `n` real-shaped offers as the consumer reads them: Kafka records of one partition, offsets from 0. */
export function realOfferRecords(
  n: number,
  firstId: number,
  scrapeId: string,
  topic = "real-offers",
  scrapedAt?: string,
): RawRecord[] {
  const encoder = new TextEncoder();
  return [...realOfferMessages(n, firstId, scrapeId, scrapedAt)].map((m, offset) => ({
    topic,
    partition: 0,
    offset: String(offset),
    key: null,
    value: encoder.encode(toKafkaMessage(m).value as string),
    headers: {},
  }));
}

/** The same offers through the consumer's own transform, staged in `root` as one batch ready to load. */
export async function stagedRealOffers(
  root: string,
  n: number,
  firstId: number,
  scrapeId: string,
  topic?: string,
  scrapedAt?: string,
): Promise<LoadBatch> {
  const { rows, deadLetters } = await transform(
    realOfferRecords(n, firstId, scrapeId, topic, scrapedAt),
    new Date().toISOString(),
  );
  if (deadLetters.length) throw new Error(`real offers refused: ${deadLetters[0]!.reason}`);
  return stageRows(root, shapeOf(DAILY_OFFERS), rows);
}
