/**
 * The demo's 31 days of history, from real saved cards and deterministic price changes chosen
 * to produce every verdict (a test checks they do):
 *   genuine drop       a steady price for 30 days, then today's discount from it       → real
 *   raised first       the price goes up a week before a "discount" from a made-up one  → inflated
 *   back from a sale   a sale two weeks ago, back to normal, now "20% off" normal       → inflated
 *   new to the site    seen only in the last three days                                → not enough history
 * Each day is one scrape at noon in São Paulo (today: a minute ago). Offers are bodies for
 * POST /offers, grouped by day, with the backfill window the route must open.
 */
import { centsToMoney, moneyToCents } from "../shared/money.ts";
import type { ScrapedOffer } from "../shared/contract/scraped-offer.ts";
import { offerDate } from "../shared/timestamp.ts";
import { addDays } from "../shared/sql-templates.ts";

export const DEMO_DAYS = 31;

export type Scenario = "genuine_drop" | "raised_first" | "back_from_sale" | "new_item";
const SCENARIOS: Scenario[] = ["genuine_drop", "raised_first", "back_from_sale", "new_item"];

export interface DemoDay {
  day: string;
  scrapedAt: string;
  offers: Array<Omit<ScrapedOffer, "page" | "position"> & { page: number; position: number; scraped_at: string }>;
}

/** Cents of `base` scaled by `factor`, at least 1. */
const scale = (base: number, factor: number) => Math.max(100, Math.round((base * factor) / 100) * 100);

/** The offer's price, "original" and claimed discount `daysAgo` days before today, or null when not seen. */
export function pricesOf(
  scenario: Scenario,
  base: number,
  daysAgo: number,
): { price: number; original: number | null; discount: number | null } | null {
  const plain = (price: number) => ({ price, original: null, discount: null });
  const offer = (price: number, original: number) => ({
    price,
    original,
    discount: Math.max(1, Math.min(99, Math.round((1 - price / original) * 100))),
  });
  switch (scenario) {
    case "genuine_drop":
      return daysAgo > 0 ? plain(base) : offer(scale(base, 0.7), base);
    case "raised_first":
      if (daysAgo > 7) return plain(base);
      return daysAgo > 0 ? plain(scale(base, 1.5)) : offer(scale(base, 1.2), scale(base, 1.6));
    case "back_from_sale":
      if (daysAgo >= 10 && daysAgo <= 14) return plain(scale(base, 0.7));
      return daysAgo > 0 ? plain(base) : offer(base, scale(base, 1.25));
    case "new_item":
      return daysAgo > 3 ? null : daysAgo > 0 ? plain(base) : offer(scale(base, 0.9), base);
  }
}

export function scenarioOf(index: number): Scenario {
  return SCENARIOS[index % SCENARIOS.length]!;
}

export function demoHistory(cards: ScrapedOffer[], now = new Date()): DemoDay[] {
  const today = offerDate(now.toISOString());
  // one card per item: the saved pages repeat some items
  const unique = [...new Map(cards.map((c) => [`${c.site}/${c.item_id}`, c])).values()];
  const days: DemoDay[] = [];
  for (let daysAgo = DEMO_DAYS - 1; daysAgo >= 0; daysAgo--) {
    const day = addDays(today, -daysAgo);
    const scrapedAt = daysAgo === 0 ? new Date(now.getTime() - 60_000).toISOString() : `${day}T15:00:00.000Z`; // noon in São Paulo
    const offers: DemoDay["offers"] = [];
    unique.forEach((card, i) => {
      const base = moneyToCents(card.original_price ?? card.price);
      const p = pricesOf(scenarioOf(i), Math.max(base, 1000), daysAgo);
      if (!p) return;
      offers.push({
        ...card,
        price: centsToMoney(p.price),
        original_price: p.original === null ? null : centsToMoney(p.original),
        discount_pct: p.discount,
        label: daysAgo === 0 ? card.label : null,
        lightning_end: null,
        installments: null,
        page: 1 + Math.floor(offers.length / 48),
        position: 1 + (offers.length % 48),
        scraped_at: scrapedAt,
      });
    });
    days.push({ day, scrapedAt, offers });
  }
  return days;
}
