/**
 * The reference model of the alert engine, written from docs/alerts.md ("What is judged",
 * "Episodes", "Identity"), not from alert/: given every observation ever loaded (the rows that
 * reached daily_offers, however they were carried) and the rules, which alerts exist, with their
 * ids. No loads, no states, no crashes, no clock: a list in, a list out. The property tests check
 * that the real engine, fed the same observations through loads that repeat, lag, merge and
 * crash, decides exactly these.
 */
import { createHash } from "node:crypto";
import { parseDuration } from "../../shared/duration.ts";
import { addDays } from "../../shared/sql-templates.ts";
import { productModelAlerts } from "./product-reference.ts";

export interface ModelObservation {
  site: string;
  item_id: string;
  offer_key: string;
  /** Where it was produced in its item's log (ties between an item's observations scraped at the same instant). */
  position: number;
  /** Epoch ms. */
  at: number;
  day: string;
  /** Cents. */
  price: number;
  original: number | null;
  displayed: number | null;
  watch_id: string | null;
  watch_run: number | null;
  /** The catalog product the listing belongs to; its seller's standing as the row says it. */
  product_id?: string | null;
  official?: boolean;
  reputation?: string | null;
}

export type ModelCondition =
  | { kind: "below"; price: number }
  | { kind: "new_low"; days: number }
  | { kind: "drop"; min_drop_pct: number }
  | { kind: "real_deal"; min_real_discount_pct: number }
  | { kind: "out_of_stock" }
  | { kind: "back_in_stock" };

export interface ModelRule {
  key: string;
  watch_id: string | null;
  silent_first_run: boolean;
  condition: ModelCondition;
  clear_after: string;
  rearm_after: string | null;
  absent_after: string;
  /** A product watch's rule: it judges the product's best price (product-reference.ts), or its stock. */
  product_id?: string | null;
  /** An item watch's item: the subject of its stock rules (stock-reference.ts). */
  item_id?: string | null;
  /** Only sellers that are official stores (and/or of at least this reputation) count. */
  seller?: { official_store?: true; min_reputation?: "green" | "yellow" };
}

export interface ModelAlert {
  id: string;
  rule: string;
  item: string;
  observed_at: number;
  episode_start: number;
  number: number;
}

/** fake_discounts.sql's settings the model judges with (the defaults). */
export const VERDICT = { tolerancePct: 5, minHistoryDays: 7 };

/** The order episodes judge observations in: scrape time, then offer key. */
export const scrapeOrder = (a: ModelObservation, b: ModelObservation) =>
  a.at - b.at || (a.offer_key < b.offer_key ? -1 : a.offer_key > b.offer_key ? 1 : 0);

/** The order an item's observations are judged in: scrape time, then the order they were produced. */
export const productionOrder = (a: ModelObservation, b: ModelObservation) => a.at - b.at || a.position - b.position;

/** A subject's day (an item's, or a product's): its lowest, highest and last price. */
export interface PriorDay {
  min: number;
  max: number;
  last: number;
}

/** The item's days before `day`: per day, its lowest, highest and last price (the last by time, then key). */
function priorDays(all: readonly ModelObservation[], o: ModelObservation): Map<string, PriorDay> {
  const days = new Map<string, { min: number; max: number; last: ModelObservation }>();
  for (const x of all) {
    if (x.site !== o.site || x.item_id !== o.item_id || x.day >= o.day) continue;
    const d = days.get(x.day);
    if (!d) days.set(x.day, { min: x.price, max: x.price, last: x });
    else {
      d.min = Math.min(d.min, x.price);
      d.max = Math.max(d.max, x.price);
      if (productionOrder(x, d.last) > 0) d.last = x;
    }
  }
  return new Map([...days].map(([day, d]) => [day, { min: d.min, max: d.max, last: d.last.price }]));
}

/** What a rule judges at an observation: a price, the original and discount shown beside it, on a day. */
export interface Judged {
  day: string;
  price: number;
  original: number | null;
  displayed: number | null;
}

/** The verdict of fake_discounts.sql for a price against the prior 30 of the subject's days. */
function verdict(prior: Map<string, PriorDay>, o: Judged): { verdict: string; real: number } | null {
  if (o.displayed === null) return null;
  const first = addDays(o.day, -30);
  const days = [...prior].filter(([day]) => day >= first);
  if (days.length < VERDICT.minHistoryDays) return { verdict: "insufficient_history", real: 0 };
  const min = Math.min(...days.map(([, d]) => d.min));
  const max = Math.max(...days.map(([, d]) => d.max));
  const real = Math.round(((min - o.price) * 100 / min) * 100) / 100;
  if (o.original !== null && o.original > max * (1 + VERDICT.tolerancePct / 100)) return { verdict: "inflated", real };
  if (real < o.displayed - VERDICT.tolerancePct) return { verdict: "inflated", real };
  return { verdict: "real", real };
}

/** Whether a condition holds for a price against the subject's prior days (docs/alerts.md, "What is judged"). */
export function holdsAgainst(prior: Map<string, PriorDay>, o: Judged, c: ModelCondition): boolean {
  switch (c.kind) {
    case "below":
      return o.price <= c.price;
    case "new_low": {
      const first = addDays(o.day, -c.days);
      const lows = [...prior].filter(([day]) => day >= first).map(([, d]) => d.min);
      return lows.length > 0 && o.price < Math.min(...lows);
    }
    case "drop": {
      const days = [...prior].sort(([a], [b]) => (a < b ? -1 : 1));
      const previous = days.at(-1)?.[1].last;
      return previous !== undefined && o.price <= Math.round(previous * (1 - c.min_drop_pct / 100));
    }
    case "real_deal": {
      const v = verdict(prior, o);
      return v !== null && v.verdict === "real" && v.real >= c.min_real_discount_pct;
    }
    case "out_of_stock":
    case "back_in_stock":
      return false; // judged on stock observations (stock-reference.ts), never on a price
  }
}

/** Whether the rule's condition holds at this observation of an item. */
export function holds(all: readonly ModelObservation[], o: ModelObservation, c: ModelCondition): boolean {
  return holdsAgainst(priorDays(all, o), o, c);
}

/** Whether a row's seller passes a rule's seller filter (docs/alerts.md, "Sellers"). */
export function counts(rule: Pick<ModelRule, "seller">, o: ModelObservation): boolean {
  const f = rule.seller;
  if (!f) return true;
  if (f.official_store && o.official !== true) return false;
  if (f.min_reputation) {
    const levels = ["1_red", "2_orange", "3_yellow", "4_light_green", "5_green"];
    const wanted = f.min_reputation === "green" ? 5 : 3;
    if (levels.indexOf(o.reputation ?? "") + 1 < wanted) return false;
  }
  return true;
}

/** An alert's id (docs/alerts.md, "Identity"): the rule, the subject, the opening observation, the number. */
export function alertId(rule: string, site: string, item: string, start: number, startKey: string, n: number): string {
  const text = `${rule}|${site}|${item}|${new Date(start).toISOString()}|${startKey}|${n}`;
  return createHash("sha256").update(text).digest("hex").slice(0, 24);
}

/** The episodes of one (rule, subject)'s observations in scrape order: which of them fire, and as what. */
export function episodes(
  rule: ModelRule,
  seen: readonly ModelObservation[],
  holdsAt: (o: ModelObservation) => boolean,
  fire: (o: ModelObservation, since: number, sinceKey: string, n: number) => void,
): void {
  const clear = parseDuration(rule.clear_after)!;
  const absent = parseDuration(rule.absent_after)!;
  const rearm = rule.rearm_after === null ? null : parseDuration(rule.rearm_after)!;
  let open:
    | { since: number; sinceKey: string; next: number; lastFired: number | null; falseSince: number | null }
    | null = null;
  let previous: number | null = null;
  for (const o of seen) {
    if (open && previous !== null && o.at - previous >= absent) open = null;
    if (open && open.falseSince !== null && o.at - open.falseSince >= clear) open = null;
    if (holdsAt(o)) {
      if (!open) {
        // only the watch's own first run is its baseline
        const silent = rule.silent_first_run && o.watch_id === rule.watch_id && o.watch_run === 1;
        open = { since: o.at, sinceKey: o.offer_key, next: 1, lastFired: silent ? null : o.at, falseSince: null };
        if (!silent) fire(o, o.at, o.offer_key, 0);
      } else {
        open.falseSince = null;
        if (rearm !== null && o.at - (open.lastFired ?? open.since) >= rearm) {
          fire(o, open.since, open.sinceKey, open.next);
          open.next++;
          open.lastFired = o.at;
        }
      }
    } else if (open && open.falseSince === null) {
      open.falseSince = o.at;
    }
    previous = o.at;
  }
}

/** Every alert the observations make (docs/alerts.md, "Episodes"), in no particular order. */
export function modelAlerts(observations: readonly ModelObservation[], rules: readonly ModelRule[]): ModelAlert[] {
  // an offer produced twice is one observation, the first produced
  const first = new Map<string, ModelObservation>();
  for (const o of observations) {
    if (!first.has(o.offer_key) || o.position < first.get(o.offer_key)!.position) first.set(o.offer_key, o);
  }
  const unique = [...first.values()];
  const alerts: ModelAlert[] = [];
  for (const rule of rules) {
    if (rule.product_id) {
      alerts.push(...productModelAlerts(unique, rule));
      continue;
    }
    const items = new Map<string, ModelObservation[]>();
    for (const o of unique) {
      if (rule.watch_id !== null && o.watch_id !== rule.watch_id) continue;
      const key = `${o.site}|${o.item_id}`;
      items.set(key, [...(items.get(key) ?? []), o]);
    }
    for (const seen of items.values()) {
      seen.sort(productionOrder);
      episodes(
        rule,
        seen,
        (o) => holds(unique, o, rule.condition) && counts(rule, o),
        (o, since, sinceKey, n) =>
          alerts.push({
            id: alertId(rule.key, o.site, o.item_id, since, sinceKey, n),
            rule: rule.key,
            item: o.item_id,
            observed_at: o.at,
            episode_start: since,
            number: n,
          }),
      );
    }
  }
  return alerts;
}
