/**
 * Which days of item_days a load folds. item_days holds the days the stream has moved past: a day
 * is folded whole (recomputed from daily_offers) at the first load that brings a later day, before
 * that load is announced, so the alerter, which compares an observation only with the item's
 * earlier days, always finds them folded. Rows that arrive for a day already folded (a scrape that
 * straddled midnight, a slower consumer instance, a batch read again) refold just the items they
 * touch. The day the stream is on is never folded: no load pays for the day growing under it.
 * One planner per warehouse, in the consumer's process; it learns what the warehouse holds at the
 * first load (the days with offers and the days folded, within the horizon the readers look at).
 */
import { addDays } from "../../shared/sql-templates.ts";

/** How far back folds reach: the longest look-back of any reader (new_low's 90 days, the verdict's 30, a day more). */
export const FOLD_HORIZON_DAYS = 92;

export interface FoldPlan {
  /** Days folded whole (never folded before). */
  days: string[];
  /** Days already folded that this batch brings rows for: its items there are folded again. */
  late: string[];
}

export class DayFolds {
  private readonly seen = new Set<string>();
  private readonly folded = new Set<string>();
  /** The latest day any load brought: the day the stream is on. */
  private stream = "";
  private learned = false;

  constructor(private readonly horizonDays = FOLD_HORIZON_DAYS) {}

  /** Whether the warehouse's days have been learned (the first load asks before planning). */
  get known(): boolean {
    return this.learned;
  }

  /** What the warehouse holds: days with offers, and days folded whole. */
  learn(seen: readonly string[], folded: readonly string[]): void {
    for (const d of seen) this.seen.add(d);
    for (const d of folded) this.folded.add(d);
    this.stream = [...this.seen].reduce((a, b) => (a > b ? a : b), this.stream);
    this.learned = true;
  }

  /** The folds a batch of these days calls for, once it is loaded. */
  plan(dates: readonly string[]): FoldPlan {
    for (const d of dates) this.seen.add(d);
    for (const d of dates) if (d > this.stream) this.stream = d;
    const oldest = this.stream ? addDays(this.stream, -this.horizonDays) : "";
    const days = [...this.seen].filter((d) => d < this.stream && d >= oldest && !this.folded.has(d)).sort();
    const late = dates.filter((d) => d < this.stream && d >= oldest && this.folded.has(d));
    return { days, late: [...new Set(late)].sort() };
  }

  /** The plan was carried out: its days are folded. */
  done(plan: FoldPlan): void {
    for (const d of plan.days) this.folded.add(d);
  }
}

/**
 * The days folded whole in item_days whose products are folded too: product_days holds the day,
 * or the day had no offer of a catalog product (`ref` names a table as the engine spells it).
 */
export function foldedDaysSql(recent: string, ref: (table: string) => string): string {
  return [
    `SELECT DISTINCT offer_date AS d FROM ${ref("item_days")} WHERE ${recent} AND updated_by_batch = 'day'`,
    `AND (offer_date IN (SELECT DISTINCT offer_date FROM ${ref("product_days")} WHERE ${recent})`,
    `  OR offer_date NOT IN (SELECT DISTINCT offer_date FROM ${
      ref("daily_offers")
    } WHERE ${recent} AND product_id IS NOT NULL))`,
  ].join("\n");
}
