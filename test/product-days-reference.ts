/**
 * What product_days should hold, computed in TypeScript from daily_offers' rows as the table's
 * description says it (shared/tables.ts, PRODUCT_DAYS), not from the fold's SQL: the oracle of the
 * fold's tests on DuckDB and on the emulator. Also the scripted offers those tests load: two
 * products sold by several sellers over three days, ties, unnamed sellers, rows without a product.
 */
import { sampleMessage } from "./sample-offer.ts";

export interface OfferRow {
  offer_date: string;
  site: string;
  product_id: string | null;
  item_id: string;
  price: string;
  scraped_at: string;
  kafka_partition: number;
  kafka_offset: number;
  seller: string | null;
  official_store: boolean;
  title: string;
  currency: string;
  url: string;
  original_price: string | null;
  displayed_discount_pct: number | null;
  watch_id: string | null;
}

export interface ProductDay {
  offer_date: string;
  site: string;
  product_id: string;
  title: string;
  min_price: string;
  low_item_id: string;
  low_seller: string | null;
  max_price: string;
  last_price: string;
  last_item_id: string;
  last_seller: string | null;
  last_official_store: boolean;
  original_price: string | null;
  displayed_discount_pct: number | null;
  listings: number;
  sellers: number;
  watch_ids: string[];
}

const cents = (money: string) => Math.round(Number(money) * 100);
const later = (a: OfferRow, b: OfferRow) =>
  Date.parse(a.scraped_at) - Date.parse(b.scraped_at) || a.kafka_partition - b.kafka_partition ||
  a.kafka_offset - b.kafka_offset;

export function productDaysOf(rows: readonly OfferRow[]): ProductDay[] {
  const groups = new Map<string, OfferRow[]>();
  for (const r of rows) {
    if (r.product_id === null) continue;
    const key = `${r.offer_date}|${r.site}|${r.product_id}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out: ProductDay[] = [];
  for (const day of groups.values()) {
    // each listing's last observation; the best is the lowest of them (ties: the lowest item id)
    const lastOf = new Map<string, OfferRow>();
    for (const r of day) {
      const seen = lastOf.get(r.item_id);
      if (!seen || later(r, seen) > 0) lastOf.set(r.item_id, r);
    }
    const best = [...lastOf.values()].sort((a, b) =>
      cents(a.price) - cents(b.price) || (a.item_id < b.item_id ? -1 : 1)
    )[0]!;
    // the day's low: the earliest observation at the lowest price
    const low = [...day].sort((a, b) => cents(a.price) - cents(b.price) || later(a, b))[0]!;
    const high = Math.max(...day.map((r) => cents(r.price)));
    out.push({
      offer_date: best.offer_date,
      site: best.site,
      product_id: best.product_id!,
      title: best.title,
      min_price: (cents(low.price) / 100).toFixed(2),
      low_item_id: low.item_id,
      low_seller: low.seller,
      max_price: (high / 100).toFixed(2),
      last_price: (cents(best.price) / 100).toFixed(2),
      last_item_id: best.item_id,
      last_seller: best.seller,
      last_official_store: best.official_store,
      original_price: best.original_price === null ? null : Number(best.original_price).toFixed(2),
      displayed_discount_pct: best.displayed_discount_pct,
      listings: lastOf.size,
      sellers: new Set(day.map((r) => r.seller).filter((s) => s !== null)).size,
      watch_ids: [...new Set(day.map((r) => r.watch_id).filter((w): w is string => w !== null))].sort(),
    });
  }
  const key = (d: ProductDay) => `${d.offer_date}|${d.site}|${d.product_id}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

/** The columns the fold's tests read back, as text and numbers the reference compares with. */
export const PRODUCT_DAY_COLUMNS =
  "CAST(offer_date AS STRING) AS offer_date, site, product_id, title, CAST(min_price AS STRING) AS min_price, low_item_id, low_seller, CAST(max_price AS STRING) AS max_price, CAST(last_price AS STRING) AS last_price, last_item_id, last_seller, last_official_store, CAST(original_price AS STRING) AS original_price, displayed_discount_pct, listings, sellers, watch_ids";

/** A row of product_days as an engine returns it, in the reference's form (money with two places). */
export function normalizeProductDay(row: Record<string, unknown>): ProductDay {
  const money = (v: unknown) => (v === null || v === undefined ? null : Number(v).toFixed(2));
  return {
    offer_date: String(row.offer_date).slice(0, 10),
    site: String(row.site),
    product_id: String(row.product_id),
    title: String(row.title),
    min_price: money(row.min_price)!,
    low_item_id: String(row.low_item_id),
    low_seller: (row.low_seller ?? null) as string | null,
    max_price: money(row.max_price)!,
    last_price: money(row.last_price)!,
    last_item_id: String(row.last_item_id),
    last_seller: (row.last_seller ?? null) as string | null,
    last_official_store: Boolean(row.last_official_store),
    original_price: money(row.original_price),
    displayed_discount_pct: row.displayed_discount_pct === null ? null : Number(row.displayed_discount_pct),
    listings: Number(row.listings),
    sellers: Number(row.sellers),
    watch_ids: [...(row.watch_ids as string[] ?? [])],
  };
}

/** One scripted offer of a product's listing: day `d` after `first`, at `hour` in São Paulo. */
function offer(
  first: string,
  d: number,
  hour: number,
  item: string,
  product: string | null,
  price: string,
  extra: Record<string, unknown> = {},
) {
  const at = new Date(Date.parse(`${first}T00:00:00Z`) + (d * 24 + hour + 3) * 3_600_000).toISOString();
  return sampleMessage({
    item_id: item,
    product_id: product,
    price,
    original_price: "200.00",
    discount_pct: null,
    scraped_at: at,
    scrape_id: `scrape-${d}-${hour}-${item}`,
    url: product ? `https://www.mercadolivre.com.br/x/p/${product}` : "https://produto.mercadolivre.com.br/MLB-1-x-_JM",
    ...extra,
  });
}

/**
 * Offers of two products over three days: P1's three sellers take turns being cheapest (the day's
 * low is not the best at its end), two listings tie, one seller is unnamed, one listing is seen
 * twice at the same price, a watch sees some; P2 has one listing; an item without a product.
 */
export const productOffers = (first: string): Array<Record<string, unknown>> => [
  offer(first, 0, 9, "MLB2000000001", "MLB900001", "150.00", { seller: "LOJA A", official_store: true }),
  offer(first, 0, 10, "MLB2000000002", "MLB900001", "140.00", { seller: "LOJA B", official_store: false }),
  offer(first, 0, 12, "MLB2000000003", "MLB900001", "130.00", {
    seller: null,
    official_store: false,
    watch_id: "w-p1",
  }),
  offer(first, 0, 18, "MLB2000000003", "MLB900001", "160.00", {
    seller: null,
    official_store: false,
    watch_id: "w-p1",
  }),
  offer(first, 0, 19, "MLB2000000001", "MLB900001", "145.00", { seller: "LOJA A", official_store: true }),
  offer(first, 0, 11, "MLB2000000009", "MLB900002", "99.90", { seller: "LOJA C", discount_pct: 10 }),
  offer(first, 0, 11, "MLB2000000010", null, "10.00"),
  // day 1: a tie at the end (two listings at 120: the lower item id is the best), the low seen twice
  offer(first, 1, 8, "MLB2000000002", "MLB900001", "110.00", { seller: "LOJA B", watch_id: "w-p1" }),
  offer(first, 1, 9, "MLB2000000003", "MLB900001", "110.00", { seller: null }),
  offer(first, 1, 20, "MLB2000000003", "MLB900001", "120.00", { seller: null }),
  offer(first, 1, 21, "MLB2000000002", "MLB900001", "120.00", { seller: "LOJA B", watch_id: "w-b" }),
  // day 2: the day the stream is on (open: never folded)
  offer(first, 2, 9, "MLB2000000001", "MLB900001", "100.00", { seller: "LOJA A", official_store: true }),
];

/** A late offer (23:00 São Paulo on day `d` after `first`) of one more listing of the first product. */
export const lateOffer = (first: string, d: number, price: string) =>
  offer(first, d, 23, "MLB2000000004", "MLB900001", price, { seller: "LOJA D", scrape_id: "late-scrape" });
