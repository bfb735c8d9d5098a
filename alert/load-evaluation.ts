/**
 * One announced load, judged: its observations (every day of it the alerter looks at) through
 * every rule in force, in scrape order, then the decisions written (outbox.ts). The data's time
 * moves forward with the observations: episodes of items gone past their `absent_after` and
 * ended ones past the retention are tombstoned on that time, never on the clock of this process.
 */
import type { LoadAnnouncement } from "../shared/load-announcement.ts";
import { log } from "../shared/log.ts";
import { offerDate } from "../shared/timestamp.ts";
import { addDays } from "../shared/sql-templates.ts";
import type { CandidateSource } from "./candidates.ts";
import type { EpisodeStates } from "./episode-states.ts";
import { type ActiveRule, evaluate, type Evaluation, lowDaysOf } from "./evaluator.ts";
import { evaluateProducts, isProductPriceRule } from "./product-evaluator.ts";
import type { ProductObservation } from "./product-observation.ts";
import { evaluateStock } from "./stock-evaluator.ts";
import type { StockObservation } from "./stock-observation.ts";
import { STOCK_OBSERVATIONS } from "../shared/tables.ts";
import { observedAt } from "./observation.ts";
import { OPERATOR_PREFIX } from "./operator-alerts.ts";
import type { Outbox } from "./outbox.ts";

export interface LoadEvaluatorDeps {
  source: CandidateSource;
  /** The rules in force now (watches' and global). */
  rules: () => ActiveRule[];
  states: EpisodeStates;
  outbox: Pick<Outbox, "write">;
  /** Days older than this (São Paulo, by the clock) are a backfill: never judged. */
  maxAgeDays: number;
  clock?: () => number;
}

export interface LoadSummary {
  batch_id: string;
  days: string[];
  observations: number;
  judged: number;
  skipped: number;
  rules: number;
  alerts: number;
  expired: number;
  ms: number;
}

export class LoadEvaluator {
  /** The latest scrape time of any observation judged: the data's own "now". */
  private dataNow = 0;
  private readonly clock: () => number;

  constructor(private readonly deps: LoadEvaluatorDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  async evaluate(load: LoadAnnouncement): Promise<LoadSummary | null> {
    const started = performance.now();
    const rules = this.deps.rules();
    if (rules.length === 0) return null;
    if (load.ranges.length === 0) {
      log("warn", "load_without_positions", { batch_id: load.batch_id, note: "announced by an older consumer" });
      return null;
    }
    const oldest = addDays(offerDate(new Date(this.clock()).toISOString()), -this.deps.maxAgeDays);
    const days = load.dates.filter((d) => d >= oldest);
    const context = { decidedAt: new Date(this.clock()).toISOString(), source: `load:${load.batch_id}` };
    const { result, times } = load.table === STOCK_OBSERVATIONS.name
      ? await this.judgeStock(load, days, rules, context)
      : await this.judgePrices(load, days, rules, context);
    for (const at of times) this.dataNow = Math.max(this.dataNow, at);
    // a state is dropped only when nothing of this load can reach it: this load may be announced
    // again (a consumer or an alerter that crashed before its commit), and its oldest observation
    // must then meet the same watermarks, even where the load spans days
    const expiryNow = times.reduce((earliest, at) => Math.min(earliest, at), this.dataNow);
    const byKey = new Map(rules.map((r) => [r.key, r.rule]));
    const expired = this.deps.states.expired(
      expiryNow,
      (key) => byKey.get(key.slice(0, key.indexOf("|"))) ?? null,
      (key) => !key.startsWith(OPERATOR_PREFIX),
    );
    await this.deps.outbox.write(result.alerts, result.states, expired);
    return {
      batch_id: load.batch_id,
      days,
      observations: times.length,
      judged: result.judged,
      skipped: result.skipped,
      rules: rules.length,
      alerts: result.alerts.length,
      expired: expired.length,
      ms: Math.round(performance.now() - started),
    };
  }

  /** A load of offers: items' and products' price rules (a product's observations come with its board). */
  private async judgePrices(load: LoadAnnouncement, days: string[], rules: ActiveRule[], context: Context) {
    const observations = [];
    const products = [
      ...new Set(rules.filter(isProductPriceRule).map((r) => `${r.productId!.slice(0, 3)}|${r.productId}`)),
    ];
    const productObservations: ProductObservation[] = [];
    for (const day of days) {
      observations.push(...await this.deps.source.observations(load.ranges, day, lowDaysOf(rules)));
      if (products.length && this.deps.source.productObservations) {
        productObservations.push(
          ...await this.deps.source.productObservations(load.ranges, day, lowDaysOf(rules), products),
        );
      }
    }
    const result = merged(
      await evaluate(observations, rules, this.deps.states.view, context),
      await evaluateProducts(productObservations, rules, this.deps.states.view, context),
    );
    return { result, times: [...observations, ...productObservations].map(observedAt) };
  }

  /** A load of stock observations: the stock rules. */
  private async judgeStock(load: LoadAnnouncement, days: string[], rules: ActiveRule[], context: Context) {
    const observations: StockObservation[] = [];
    if (this.deps.source.stockObservations) {
      for (const day of days) observations.push(...await this.deps.source.stockObservations(load.ranges, day));
    }
    const result = await evaluateStock(observations, rules, this.deps.states.view, context);
    return { result, times: observations.map((o) => Date.parse(o.observed_at)) };
  }
}

type Context = { decidedAt: string; source: string };

/** Two evaluations of disjoint episodes (items', products') as one. */
function merged(a: Evaluation, b: Evaluation): Evaluation {
  return {
    alerts: [...a.alerts, ...b.alerts],
    states: new Map([...a.states, ...b.states]),
    judged: a.judged + b.judged,
    skipped: a.skipped + b.skipped,
  };
}
