/**
 * Field coverage: for every field, how many cards of a page (or the product page itself) carried
 * it, and from which source: the visible markup, the page's embedded state, or its analytics data.
 * A page that still parses with half its fields gone is how a scraper breaks when the site
 * changes; coverage is what shows it (drift.ts compares it with a baseline).
 *
 * A field is carried when it has a value: not null, and for a card's flags (free shipping, Full,
 * official store, ad) when the card shows the marker (they are false when it does not).
 */
import type { ScrapedOffer } from "../../shared/contract/scraped-offer.ts";

export const SOURCES = ["markup", "state", "analytics"] as const;
export type Source = (typeof SOURCES)[number];

/** The fields of a card whose coverage is counted: a closed set (metric labels). */
export const CARD_FIELDS = [
  "item_id",
  "product_id",
  "user_product_id",
  "title",
  "url",
  "image_url",
  "price",
  "original_price",
  "discount_pct",
  "installments",
  "free_shipping",
  "full",
  "seller",
  "official_store",
  "brand",
  "rating",
  "reviews",
  "label",
  "lightning_end",
  "coupon",
  "sponsored",
] as const;
export type CardField = (typeof CARD_FIELDS)[number];

/** The fields of a product page whose coverage is counted. */
export const PRODUCT_FIELDS = [
  "shown_item_id",
  "product_id",
  "user_product_id",
  "title",
  "canonical_url",
  "price",
  "original_price",
  "currency",
  "available",
  "condition",
  "sold_quantity_text",
  "sold_quantity_min",
  "available_quantity",
  "available_quantity_text",
  "seller_name",
  "seller_name_kind",
  "official_store",
  "rating",
  "reviews",
  "category_id",
  "category_path",
  "description",
  "attributes",
  "images",
  "seller_id",
  "seller_reputation",
  "seller_power_status",
  "seller_sales_text",
  "seller_sales_min",
] as const;
export type ProductField = (typeof PRODUCT_FIELDS)[number];

export interface FieldCoverage {
  /** Cards (or 1 for a product page) that carried the field. */
  present: number;
  /** Of those, how many had it from each source. */
  sources: Partial<Record<Source, number>>;
}

export interface PageCoverage {
  kind: "listing" | "product";
  /** Cards counted (valid offers), or 1 for a product page. */
  cards: number;
  /** Where the page's embedded state was, or null when it had none. */
  state: string | null;
  fields: Record<string, FieldCoverage>;
}

/** Whether a card carries a field (its flags count when true). */
export function carries(value: unknown): boolean {
  return value !== null && value !== undefined && value !== false;
}

/** A card's fields and where each came from (markup unless said otherwise). */
export interface CardWithSources {
  offer: ScrapedOffer;
  sources: Partial<Record<CardField, Source>>;
}

export function listingCoverage(cards: readonly CardWithSources[], state: string | null): PageCoverage {
  const fields: Record<string, FieldCoverage> = {};
  for (const field of CARD_FIELDS) {
    const coverage: FieldCoverage = { present: 0, sources: {} };
    for (const card of cards) {
      if (!carries(card.offer[field])) continue;
      coverage.present++;
      const source = card.sources[field] ?? "markup";
      coverage.sources[source] = (coverage.sources[source] ?? 0) + 1;
    }
    fields[field] = coverage;
  }
  return { kind: "listing", cards: cards.length, state, fields };
}

export function productCoverage(
  details: Readonly<Record<ProductField, unknown>>,
  sources: Partial<Record<ProductField, Source>>,
  state: string | null,
): PageCoverage {
  const fields: Record<string, FieldCoverage> = {};
  for (const field of PRODUCT_FIELDS) {
    const value = details[field];
    const present = value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0);
    const source = sources[field] ?? "markup";
    fields[field] = present ? { present: 1, sources: { [source]: 1 } } : { present: 0, sources: {} };
  }
  return { kind: "product", cards: 1, state, fields };
}

/** Several pages of one scrape as one: counts added, the state of the first page that had one. */
export function mergeCoverage(pages: readonly PageCoverage[]): PageCoverage | null {
  if (pages.length === 0) return null;
  const out: PageCoverage = { kind: pages[0]!.kind, cards: 0, state: null, fields: {} };
  for (const page of pages) {
    out.cards += page.cards;
    out.state ??= page.state;
    for (const [field, c] of Object.entries(page.fields)) {
      const into = out.fields[field] ??= { present: 0, sources: {} };
      into.present += c.present;
      for (const [source, n] of Object.entries(c.sources) as Array<[Source, number]>) {
        into.sources[source] = (into.sources[source] ?? 0) + n;
      }
    }
  }
  return out;
}

/** The answer's compact form: cards, state, and the count of each field (sources left out). */
export function compactCoverage(
  c: PageCoverage,
): { cards: number; state: string | null; fields: Record<string, number> } {
  return {
    cards: c.cards,
    state: c.state,
    fields: Object.fromEntries(Object.entries(c.fields).map(([field, f]) => [field, f.present])),
  };
}
