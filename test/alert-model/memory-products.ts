/**
 * The memory warehouse's answer for a product watch's observations (what product_candidates.sql
 * answers): the load's rows of the products asked for on a day, each with its product's board
 * (each listing's latest loaded row of that day at or before it), the verdict of each board price
 * against the product's earlier days, the product's lows and its previous day's best price.
 */
import type { LoadPositions } from "../../alert/candidates.ts";
import type { Listing, ProductObservation } from "../../alert/product-observation.ts";
import { addDays } from "../../shared/sql-templates.ts";
import { VERDICT } from "./reference.ts";
import type { StoredRow } from "./memory-warehouse.ts";

const money = (cents: number | null) => (cents === null ? null : (cents / 100).toFixed(2));
const order = (a: StoredRow, b: StoredRow) =>
  a.at - b.at || (a.offer_key < b.offer_key ? -1 : a.offer_key > b.offer_key ? 1 : 0);

interface Day {
  min: number;
  max: number;
  best: number;
}

function latestByItem(rows: readonly StoredRow[]): StoredRow[] {
  const latest = new Map<string, StoredRow>();
  for (const r of rows) {
    const seen = latest.get(r.item_id);
    if (!seen || order(r, seen) > 0) latest.set(r.item_id, r);
  }
  return [...latest.values()].sort((a, b) => (a.item_id < b.item_id ? -1 : 1));
}

function productDays(rows: readonly StoredRow[], product: string, before: string): Map<string, Day> {
  const byDay = new Map<string, StoredRow[]>();
  for (const r of rows) {
    if (r.product_id === product && r.day < before) byDay.set(r.day, [...(byDay.get(r.day) ?? []), r]);
  }
  return new Map([...byDay].map(([day, of]) => [day, {
    min: Math.min(...of.map((r) => r.price)),
    max: Math.max(...of.map((r) => r.price)),
    best: Math.min(...latestByItem(of).map((r) => r.price)),
  }]));
}

export function productObservations(
  stored: readonly StoredRow[],
  ranges: LoadPositions,
  day: string,
  lowDays: readonly number[],
  products: readonly string[],
): ProductObservation[] {
  const inRange = (r: StoredRow) =>
    ranges.some((x) => x.partition === r.partition && r.offset >= Number(x.first) && r.offset <= Number(x.last));
  const observed = stored.filter((r) =>
    r.day === day && inRange(r) && r.product_id && products.includes(`${r.site}|${r.product_id}`)
  ).sort(order);
  return observed.map((o) => {
    const days = productDays(stored, o.product_id!, day);
    const month = [...days].filter(([d]) => d >= addDays(day, -30)).map(([, d]) => d);
    const board = latestByItem(
      stored.filter((r) => r.product_id === o.product_id && r.day === day && order(r, o) <= 0),
    );
    const listing = (r: StoredRow): Listing => {
      let verdict: string | null = null;
      let real: number | null = null;
      const min30 = month.length ? Math.min(...month.map((d) => d.min)) : null;
      if (r.displayed !== null) {
        const max30 = month.length ? Math.max(...month.map((d) => d.max)) : null;
        real = min30 === null ? null : Math.round(((min30 - r.price) * 100 / min30) * 100) / 100;
        if (month.length < VERDICT.minHistoryDays) verdict = "insufficient_history";
        else if (r.original !== null && r.original > max30! * (1 + VERDICT.tolerancePct / 100)) verdict = "inflated";
        else if (real! < r.displayed - VERDICT.tolerancePct) verdict = "inflated";
        else verdict = "real";
      }
      return {
        item_id: r.item_id,
        title: `Item ${r.item_id}`,
        currency: "BRL",
        url: null,
        price: money(r.price)!,
        original_price: money(r.original),
        displayed_discount_pct: r.displayed,
        seller: `seller of ${r.item_id}`,
        official_store: r.official ?? false,
        seller_reputation: r.reputation ?? null,
        seller_power_status: null,
        verdict,
        real_discount_pct: real === null ? null : real.toFixed(2),
        min_price_30d: r.displayed === null ? null : money(min30),
        history_days: r.displayed === null ? null : month.length,
      };
    };
    const prior = [...days].sort(([a], [b]) => (a < b ? -1 : 1));
    const lows: Record<number, string | null> = {};
    for (const n of new Set([30, ...lowDays])) {
      const within = prior.filter(([d]) => d >= addDays(day, -n)).map(([, d]) => d.min);
      lows[n] = within.length ? money(Math.min(...within)) : null;
    }
    return {
      site: o.site,
      product_id: o.product_id!,
      offer_key: o.offer_key,
      scraped_at: new Date(o.at).toISOString(),
      offer_date: day,
      observed_item_id: o.item_id,
      watch_id: o.watch_id,
      watch_run: o.watch_run,
      board: board.map(listing),
      previous_price: prior.length ? money(prior.at(-1)![1].best) : null,
      previous_day: prior.at(-1)?.[0] ?? null,
      lows,
    };
  });
}
