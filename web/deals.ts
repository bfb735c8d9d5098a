/**
 * What the web view shows, and the plain work on it: filtering, ordering and pages of a day's
 * judged offers, and the CSV download. The verdicts themselves come from the warehouse (the
 * scheduled queries' SQL, shared/sql-templates.ts); nothing here decides one.
 */

export const VERDICTS = ["real", "inflated", "insufficient_history"] as const;
export type Verdict = (typeof VERDICTS)[number];

/** One offer of the day with its verdict (a row of web_deals.sql). Money and percentages as decimal strings. */
export interface Deal {
  site: string;
  item_id: string;
  title: string | null;
  currency: string | null;
  price: string;
  original_price: string | null;
  displayed_discount_pct: number;
  history_days: number;
  min_price_30d: string | null;
  max_price_30d: string | null;
  real_discount_pct: string | null;
  verdict: Verdict;
  reason: string | null;
  url: string;
  image_url: string | null;
  label: string | null;
  /** Watches whose runs saw the item that day (empty: only ad-hoc scrapes). */
  watch_ids: string[];
  /** The catalog product the listing belongs to, when it is one's (its page: /products/). */
  product_id?: string | null;
  /** The seller and its standing, as far as the pages showed them (absent: not read). */
  seller?: string | null;
  official_store?: boolean;
  seller_reputation?: string | null;
  seller_power_status?: string | null;
}

/** One day of one item (a row of price_history.sql). */
export interface HistoryPoint {
  offer_date: string;
  min_price: string;
  max_price: string;
  last_price: string;
  original_price: string | null;
  displayed_discount_pct: number | null;
  labels: string[];
}

export interface DealsFilter {
  site?: string;
  label?: string;
  verdict?: Verdict;
  /** Words that must all appear in the title (case and accents ignored). */
  q?: string;
  /** Only what this watch found. */
  watch?: string;
  page: number;
}

export const PER_PAGE = 48;

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

/** Ranked by real discount (best first; none last), then by the discount claimed. */
export function rankDeals(deals: readonly Deal[]): Deal[] {
  const real = (d: Deal) => (d.real_discount_pct === null ? -Infinity : Number(d.real_discount_pct));
  const keyed = deals.map((d) => ({ d, real: real(d) }));
  keyed.sort((a, b) =>
    b.real - a.real || b.d.displayed_discount_pct - a.d.displayed_discount_pct ||
    (a.d.item_id < b.d.item_id ? -1 : a.d.item_id > b.d.item_id ? 1 : 0)
  );
  return keyed.map((k) => k.d);
}

/** A day's list ready to be filtered: ranked once, titles folded once, and the filters' choices. */
export interface DayList {
  ranked: readonly Deal[];
  foldedTitles: readonly string[];
  sites: string[];
  labels: string[];
  /** Watches that found any of the day's offers. */
  watches: string[];
}

// A source answers the same array while the data has not changed (CachedSource), so the work
// of ranking 50,000 offers is done once per load, not once per page view.
const dayLists = new WeakMap<readonly Deal[], DayList>();

export function dayListOf(deals: readonly Deal[]): DayList {
  let list = dayLists.get(deals);
  if (!list) {
    const ranked = rankDeals(deals);
    list = {
      ranked,
      foldedTitles: ranked.map((d) => (d.title === null ? "" : fold(d.title))),
      sites: [...new Set(ranked.map((d) => d.site))].sort(),
      labels: [...new Set(ranked.map((d) => d.label).filter((l): l is string => l !== null))].sort(),
      watches: [...new Set(ranked.flatMap((d) => d.watch_ids))].sort(),
    };
    dayLists.set(deals, list);
  }
  return list;
}

export function filterDeals(list: DayList, filter: Omit<DealsFilter, "page">): Deal[] {
  const words = filter.q ? fold(filter.q).split(/\s+/).filter(Boolean) : [];
  return list.ranked.filter((d, i) =>
    (!filter.site || d.site === filter.site) &&
    (!filter.label || d.label === filter.label) &&
    (!filter.verdict || d.verdict === filter.verdict) &&
    (!filter.watch || d.watch_ids.includes(filter.watch)) &&
    (words.length === 0 || words.every((w) => list.foldedTitles[i]!.includes(w)))
  );
}

export function pageOf<T>(items: readonly T[], page: number): { items: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / PER_PAGE));
  const p = Math.min(Math.max(1, page), pages);
  return { items: items.slice((p - 1) * PER_PAGE, p * PER_PAGE), page: p, pages };
}

const CSV_COLUMNS: Array<keyof Deal> = [
  "site",
  "item_id",
  "title",
  "currency",
  "price",
  "original_price",
  "displayed_discount_pct",
  "real_discount_pct",
  "min_price_30d",
  "max_price_30d",
  "history_days",
  "verdict",
  "reason",
  "label",
  "url",
];

/** RFC 4180, and text a spreadsheet would run as a formula (=, +, -, @) is written as text. */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function dealsCsv(deals: readonly Deal[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const d of deals) lines.push(CSV_COLUMNS.map((c) => csvCell(d[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

const money = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const int = (v: unknown): number => Number(v ?? 0);

/** A web_deals.sql row as either engine returns it (decimals and big integers may be strings). */
export function dealOf(row: Record<string, unknown>): Deal {
  return {
    site: String(row.site),
    item_id: String(row.item_id),
    title: row.title === null || row.title === undefined ? null : String(row.title),
    currency: row.currency === null || row.currency === undefined ? null : String(row.currency),
    price: String(row.price),
    original_price: money(row.original_price),
    displayed_discount_pct: int(row.displayed_discount_pct),
    history_days: int(row.history_days),
    min_price_30d: money(row.min_price_30d),
    max_price_30d: money(row.max_price_30d),
    real_discount_pct: money(row.real_discount_pct),
    verdict: String(row.verdict) as Verdict,
    reason: row.reason === null || row.reason === undefined ? null : String(row.reason),
    url: String(row.url),
    image_url: row.image_url === null || row.image_url === undefined ? null : String(row.image_url),
    label: row.label === null || row.label === undefined ? null : String(row.label),
    watch_ids: Array.isArray(row.watch_ids) ? row.watch_ids.map(String) : [],
    product_id: text(row.product_id),
    seller: text(row.seller),
    official_store: row.official_store === true || row.official_store === "true",
    seller_reputation: text(row.seller_reputation),
    seller_power_status: text(row.seller_power_status),
  };
}

const text = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** A price_history.sql row as either engine returns it. */
export function historyPointOf(row: Record<string, unknown>): HistoryPoint {
  const twoPlaces = (v: unknown) => Number(v).toFixed(2);
  return {
    offer_date: String(row.offer_date).slice(0, 10),
    min_price: twoPlaces(row.min_price),
    max_price: twoPlaces(row.max_price),
    last_price: twoPlaces(row.last_price),
    original_price: row.original_price === null || row.original_price === undefined
      ? null
      : twoPlaces(row.original_price),
    displayed_discount_pct: row.displayed_discount_pct === null || row.displayed_discount_pct === undefined
      ? null
      : Number(row.displayed_discount_pct),
    labels: Array.isArray(row.labels) ? row.labels.filter((l) => l !== null).map(String) : [],
  };
}
