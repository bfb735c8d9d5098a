/**
 * A catalog product as its page shows it: its price per seller per day (web_product.sql) and the
 * best-price line over them, the periods its page showed nothing for sale (web_product_stock.sql),
 * the sellers of its last day ranked by price with their standing (web_product_sellers.sql), and
 * its verdict that day (product_discounts.sql, the scheduled query's own). The SQL and the rows
 * here; the sources run them.
 */
import { productDiscountsSql } from "../reports/product-verdict-sql.ts";
import { type Engine, fillWebQuery, paramRef, sqlFile } from "../shared/sql-templates.ts";
import { decimalOrNull, textOrNull } from "./row-values.ts";

export interface ProductQuery {
  site: string;
  productId: string;
  first: string;
  last: string;
}

/** One seller's lowest price of the product on one day. */
export interface SellerDay {
  offer_date: string;
  /** The seller's name, or the listing's id when no page named the seller. */
  seller_key: string;
  seller: string | null;
  official_store: boolean;
  min_price: string;
  listings: number;
}

/** A listing of the product on its last day, as its latest row showed it. */
export interface SellerOffer {
  item_id: string;
  title: string | null;
  url: string | null;
  seller: string | null;
  official_store: boolean;
  price: string;
  original_price: string | null;
  seller_reputation: string | null;
  seller_power_status: string | null;
  scraped_at: string;
}

/** The product's verdict on its last day (a row of product_discounts.sql). */
export interface ProductVerdict {
  price: string;
  original_price: string | null;
  displayed_discount_pct: number;
  history_days: number;
  min_price_30d: string | null;
  real_discount_pct: string | null;
  verdict: string;
  reason: string | null;
  best_item_id: string;
  best_seller: string | null;
}

export interface ProductView {
  site: string;
  product_id: string;
  title: string | null;
  currency: string | null;
  days: SellerDay[];
  sellers: SellerOffer[];
  stock: Array<{ observed_at: string; available: boolean; available_quantity: number | null }>;
  verdict: ProductVerdict | null;
}

/** The product an item's listing belongs to (web_item_product.sql; site and item id are parameters). */
export function itemProductSql(engine: Engine, dataset: string, first: string, last: string): string {
  return fillWebQuery(sqlFile(engine, "web_item_product"), { dataset, first, last, limit: 1 });
}

/** Rows a product page reads at most, per question. */
const LIMIT = 1_000;

/** The four questions of a product page: the SQL and its parameters (the ids are parameters, never SQL text). */
export function webProductSql(engine: Engine, dataset: string, q: ProductQuery) {
  const params = { site: q.site, product_id: q.productId };
  const fill = (name: string) =>
    fillWebQuery(
      sqlFile(engine, name)
        .replaceAll("{{site}}", paramRef(engine, "site"))
        .replaceAll("{{product_id}}", paramRef(engine, "product_id")),
      { dataset, first: q.first, last: q.last, limit: LIMIT },
    );
  const verdicts = productDiscountsSql(engine, dataset, q.last);
  return {
    days: { sql: fill("web_product"), params },
    sellers: { sql: fill("web_product_sellers"), params },
    stock: { sql: fill("web_product_stock"), params },
    verdict: {
      sql: `SELECT * FROM (\n${verdicts}\n) AS v WHERE site = ${paramRef(engine, "site")} AND product_id = ${
        paramRef(engine, "product_id")
      }`,
      params,
    },
  };
}

type Row = Record<string, unknown>;
const bool = (v: unknown) => v === true || v === "true";

/** The four answers as the product's view. */
export function productViewOf(
  q: ProductQuery,
  rows: { days: Row[]; sellers: Row[]; stock: Row[]; verdict: Row[] },
): ProductView {
  const days: SellerDay[] = rows.days.map((r) => ({
    offer_date: String(r.offer_date).slice(0, 10),
    seller_key: String(r.seller_key),
    seller: textOrNull(r.seller),
    official_store: bool(r.official_store),
    min_price: decimalOrNull(r.min_price)!,
    listings: Number(r.listings),
  }));
  const v = rows.verdict[0];
  return {
    site: q.site,
    product_id: q.productId,
    title: textOrNull(rows.days.at(-1)?.title ?? rows.sellers[0]?.title),
    currency: textOrNull(rows.days.at(-1)?.currency ?? rows.sellers[0]?.currency),
    days,
    sellers: rows.sellers.map((r) => ({
      item_id: String(r.item_id),
      title: textOrNull(r.title),
      url: textOrNull(r.url),
      seller: textOrNull(r.seller),
      official_store: bool(r.official_store),
      price: decimalOrNull(r.price)!,
      original_price: decimalOrNull(r.original_price),
      seller_reputation: textOrNull(r.seller_reputation),
      seller_power_status: textOrNull(r.seller_power_status),
      scraped_at: String(r.scraped_at),
    })),
    stock: rows.stock.map((r) => ({
      observed_at: String(r.observed_at),
      available: bool(r.available),
      available_quantity: r.available_quantity === null || r.available_quantity === undefined
        ? null
        : Number(r.available_quantity),
    })),
    verdict: v
      ? {
        price: decimalOrNull(v.price)!,
        original_price: decimalOrNull(v.original_price),
        displayed_discount_pct: Number(v.displayed_discount_pct),
        history_days: Number(v.history_days),
        min_price_30d: decimalOrNull(v.min_price_30d),
        real_discount_pct: decimalOrNull(v.real_discount_pct),
        verdict: String(v.verdict),
        reason: textOrNull(v.reason),
        best_item_id: String(v.best_item_id),
        best_seller: textOrNull(v.best_seller),
      }
      : null,
  };
}

/** Each day's best price: the lowest of the sellers' prices that day. */
export function bestLine(days: readonly SellerDay[]): Array<{ offer_date: string; price: string; seller_key: string }> {
  const best = new Map<string, SellerDay>();
  for (const d of days) {
    const b = best.get(d.offer_date);
    if (!b || Number(d.min_price) < Number(b.min_price)) best.set(d.offer_date, d);
  }
  return [...best.values()].sort((a, b) => (a.offer_date < b.offer_date ? -1 : 1))
    .map((d) => ({ offer_date: d.offer_date, price: d.min_price, seller_key: d.seller_key }));
}

/**
 * The periods the product's page showed nothing for sale: from an observation with nothing for
 * sale to the next one with something (open at the end when none came). Times are ISO strings.
 */
export function outOfStockPeriods(stock: ProductView["stock"]): Array<{ from: string; to: string | null }> {
  const periods: Array<{ from: string; to: string | null }> = [];
  for (const s of stock) {
    const open = periods.at(-1);
    if (!s.available && (!open || open.to !== null)) periods.push({ from: s.observed_at, to: null });
    else if (s.available && open && open.to === null) open.to = s.observed_at;
  }
  return periods;
}

/** The cheapest seller's lead over the next one, in percent of the next one's price (one place), or null. */
export function leadOverNext(sellers: readonly SellerOffer[]): number | null {
  const [first, second] = sellers;
  if (!first || !second || Number(second.price) <= 0) return null;
  return Math.round((1 - Number(first.price) / Number(second.price)) * 1000) / 10;
}
