/**
 * Finding an item by name across days: the words of a search against the titles of item_days
 * over the last 30 days (web_items.sql, both engines, read only on those days). What a search may
 * hold is bounded here: a few words of letters and digits, so every word is a bound parameter.
 */
import { type Engine, fillWebQuery, paramRef, sqlFile } from "../shared/sql-templates.ts";
import { decimalOrNull, textOrNull } from "./row-values.ts";

export interface ItemSearch {
  words: string[];
  site: string | null;
  first: string;
  last: string;
  limit: number;
}

export interface ItemMatch {
  site: string;
  item_id: string;
  last_day: string;
  title: string | null;
  currency: string | null;
  url: string | null;
  last_price: string | null;
  min_price: string | null;
  days_seen: number;
  /** The catalog product the listing belongs to (absent: not read). */
  product_id?: string | null;
}

export const MAX_SEARCH_WORDS = 6;

/** The words of a search (lower case, letters and digits of any script), or why not. */
export function searchWords(q: string): string[] | string {
  const words = q.toLowerCase().normalize("NFC").split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
  if (words.length === 0) return "search for a word or two of the title";
  if (words.length > MAX_SEARCH_WORDS) return `at most ${MAX_SEARCH_WORDS} words`;
  if (words.some((w) => w.length > 40)) return "words of at most 40 characters";
  return words;
}

export function webItemsSql(
  engine: Engine,
  dataset: string,
  s: ItemSearch,
): { sql: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  // every word, anywhere in the title; LIKE's own characters cannot occur in a word
  const words = s.words.map((w, i) => {
    params[`w${i}`] = `%${w}%`;
    return `lower(title) LIKE ${paramRef(engine, `w${i}`)}`;
  });
  if (s.site) params.site = s.site;
  const sql = fillWebQuery(
    sqlFile(engine, "web_items")
      .replaceAll("{{words}}", words.length ? words.join(" AND ") : "FALSE")
      .replaceAll("{{site}}", s.site ? `site = ${paramRef(engine, "site")}` : "TRUE"),
    { dataset, ...s },
  );
  return { sql, params };
}

export function itemMatchesOf(rows: ReadonlyArray<Record<string, unknown>>): ItemMatch[] {
  return rows.map((r) => ({
    site: String(r.site),
    item_id: String(r.item_id),
    last_day: String(r.last_day).slice(0, 10),
    title: textOrNull(r.title),
    currency: textOrNull(r.currency),
    url: textOrNull(r.url),
    last_price: decimalOrNull(r.last_price),
    min_price: decimalOrNull(r.min_price),
    days_seen: Number(r.days_seen),
    product_id: textOrNull(r.product_id),
  }));
}

/**
 * The listings of one catalog product brought together: the order stays the search's (most
 * recently seen first), each product's other listings pulled up right after its first one, so a
 * page shows a product's sellers side by side.
 */
export function groupedByProduct<T extends Pick<ItemMatch, "site" | "product_id">>(found: readonly T[]): T[] {
  const byProduct = new Map<string, T[]>();
  for (const i of found) {
    if (!i.product_id) continue;
    const key = `${i.site}/${i.product_id}`;
    byProduct.set(key, [...(byProduct.get(key) ?? []), i]);
  }
  const out: T[] = [];
  const placed = new Set<string>();
  for (const i of found) {
    if (!i.product_id) {
      out.push(i);
      continue;
    }
    const key = `${i.site}/${i.product_id}`;
    if (placed.has(key)) continue;
    placed.add(key);
    out.push(...byProduct.get(key)!);
  }
  return out;
}
