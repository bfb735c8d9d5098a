/**
 * The warehouse's in-memory twin for the alert engine's property test: daily_offers (one row per
 * offer key, the first load wins, with its Kafka position) and item_days (folded per load, as the
 * consumer folds), and a CandidateSource that answers what alert_candidates.sql answers: the rows
 * at a load's positions on a day, each with its item's lows, previous day and verdict from the
 * folded days before that day. The SQL itself is checked against the reference model by the
 * DuckDB property test (alert/engine-duckdb.int.test.ts).
 */
import type { CandidateSource, LoadPositions } from "../../alert/candidates.ts";
import type { Observation } from "../../alert/observation.ts";
import type { ProductObservation } from "../../alert/product-observation.ts";
import { productObservations } from "./memory-products.ts";
import { addDays } from "../../shared/sql-templates.ts";
import { type ModelObservation, VERDICT } from "./reference.ts";

export interface StoredRow extends ModelObservation {
  partition: number;
  offset: number;
}

interface Day {
  min: number;
  max: number;
  last: StoredRow;
}

const money = (cents: number | null) => (cents === null ? null : (cents / 100).toFixed(2));

export class MemoryAlertWarehouse implements CandidateSource {
  readonly rows = new Map<string, StoredRow>();
  private readonly days = new Map<string, Day>();

  /** One load: rows new to daily_offers are kept, every row of the load is folded into item_days. */
  load(rows: readonly StoredRow[]): void {
    for (const row of rows) {
      if (!this.rows.has(row.offer_key)) this.rows.set(row.offer_key, row);
      const key = `${row.site}|${row.item_id}|${row.day}`;
      const d = this.days.get(key);
      if (!d) this.days.set(key, { min: row.price, max: row.price, last: row });
      else {
        d.min = Math.min(d.min, row.price);
        d.max = Math.max(d.max, row.price);
        const later = row.at > d.last.at || (row.at === d.last.at && row.offset > d.last.offset);
        if (later) d.last = row;
      }
    }
  }

  observations(ranges: LoadPositions, day: string, lowDays: readonly number[]): Promise<Observation[]> {
    const inRange = (r: StoredRow) =>
      ranges.some((x) => x.partition === r.partition && r.offset >= Number(x.first) && r.offset <= Number(x.last));
    const out = [...this.rows.values()].filter((r) => r.day === day && inRange(r)).map((r) =>
      this.withContext(r, lowDays)
    );
    return Promise.resolve(out);
  }

  productObservations(
    ranges: LoadPositions,
    day: string,
    lowDays: readonly number[],
    products: readonly string[],
  ): Promise<ProductObservation[]> {
    return Promise.resolve(productObservations([...this.rows.values()], ranges, day, lowDays, products));
  }

  private priorDays(r: StoredRow, first: string): Array<[string, Day]> {
    const out: Array<[string, Day]> = [];
    for (let day = addDays(r.day, -1); day >= first; day = addDays(day, -1)) {
      const d = this.days.get(`${r.site}|${r.item_id}|${day}`);
      if (d) out.push([day, d]);
    }
    return out;
  }

  private withContext(r: StoredRow, lowDays: readonly number[]): Observation {
    const lows: Record<number, string | null> = {};
    for (const n of new Set([30, ...lowDays])) {
      const days = this.priorDays(r, addDays(r.day, -n));
      lows[n] = days.length ? money(Math.min(...days.map(([, d]) => d.min))) : null;
    }
    const previous = this.priorDays(r, addDays(r.day, -400))[0];
    const month = this.priorDays(r, addDays(r.day, -30));
    let verdict: string | null = null;
    let real: number | null = null;
    let min30: number | null = null;
    if (r.displayed !== null) {
      min30 = month.length ? Math.min(...month.map(([, d]) => d.min)) : null;
      const max30 = month.length ? Math.max(...month.map(([, d]) => d.max)) : null;
      real = min30 === null ? null : Math.round(((min30 - r.price) * 100 / min30) * 100) / 100;
      if (month.length < VERDICT.minHistoryDays) verdict = "insufficient_history";
      else if (r.original !== null && r.original > max30! * (1 + VERDICT.tolerancePct / 100)) verdict = "inflated";
      else if (real! < r.displayed - VERDICT.tolerancePct) verdict = "inflated";
      else verdict = "real";
    }
    return {
      site: r.site,
      item_id: r.item_id,
      offer_key: r.offer_key,
      kafka_partition: r.partition,
      kafka_offset: r.offset,
      scraped_at: new Date(r.at).toISOString(),
      offer_date: r.day,
      title: `Item ${r.item_id}`,
      currency: "BRL",
      url: null,
      price: money(r.price)!,
      original_price: money(r.original),
      displayed_discount_pct: r.displayed,
      watch_id: r.watch_id,
      watch_run: r.watch_run,
      previous_price: previous ? money(previous[1].last.price) : null,
      previous_day: previous ? previous[0] : null,
      lows,
      verdict,
      real_discount_pct: real === null ? null : real.toFixed(2),
      min_price_30d: money(min30),
      history_days: r.displayed === null ? null : month.length,
      product_id: r.product_id ?? null,
      official_store: r.official ?? false,
      seller_reputation: r.reputation ?? null,
      seller_power_status: null,
    };
  }
}
