/**
 * Runs the real alert engine (alert/load-evaluation.ts, episode-states.ts, outbox.ts, evaluator.ts
 * and episodes.ts) over a scenario the way the pipeline would carry it: the consumer loads ranges
 * of the offers log into the warehouse twin and announces each load (some read and announced
 * again, re-cut, after a consumer crash); the alerter judges the announcements in order, possibly
 * loads behind, and crashes at chosen points part-way through writing its decisions, restarting
 * from what its topics hold. What it returns is every alert the outbox holds.
 */
import type { ActiveRule } from "../../alert/evaluator.ts";
import { EpisodeStates } from "../../alert/episode-states.ts";
import { LoadEvaluator } from "../../alert/load-evaluation.ts";
import { Outbox } from "../../alert/outbox.ts";
import type { CandidateSource } from "../../alert/candidates.ts";
import type { Alert } from "../../shared/alert/alert-record.ts";
import type { Rule } from "../../shared/alert/rule.ts";
import { MemoryKeyedLog } from "../../shared/keyed-log.ts";
import type { LoadAnnouncement } from "../../shared/load-announcement.ts";
import type { ModelRule } from "./reference.ts";
import type { StoredRow } from "./memory-warehouse.ts";

export interface Carriage {
  /** Offsets where each load ends (inclusive); the last covers the whole log. */
  cuts: number[];
  /** Loads the consumer read again after a crash before its commit: announced again, re-cut to reach this many loads further (0 or 1). */
  rereads: Map<number, number>;
  /** Offsets the warehouse refuses (never in daily_offers). */
  refused: Set<number>;
  /** How many loads the warehouse is ahead of the announcement being judged. */
  lag: number;
  /** Announcement index → how many records (alerts, then states) get written before the alerter dies. */
  crashes: Map<number, number>;
}

/** A row of the log the consumer loads: where it is in Kafka, and its day. */
export type LoggedRow = Pick<StoredRow, "day" | "offset" | "partition">;

export interface Warehouse<R extends LoggedRow = StoredRow> extends CandidateSource {
  load(rows: readonly R[]): void | Promise<void>;
}

export const TOPICS = { alerts: "ofertas.alerts", state: "ofertas.alert-state" };

class Crash extends Error {}

export function activeRulesOf(rules: readonly ModelRule[]): ActiveRule[] {
  return rules.map((r) => {
    const c = r.condition;
    const base = { clear_after: r.clear_after, rearm_after: r.rearm_after, absent_after: r.absent_after };
    const seller = r.seller ? { seller: r.seller } : {};
    const rule =
      (c.kind === "below" ? { ...c, price: c.price / 100, ...base, ...seller } : { ...c, ...base, ...seller }) as Rule;
    return {
      key: r.key,
      rule,
      watchId: r.watch_id,
      channels: ["hook"],
      silentFirstRun: r.silent_first_run,
      productId: r.product_id ?? null,
      itemId: r.item_id ?? null,
    };
  });
}

/** The announcements the consumer makes, in order: each load's range, re-read loads twice (the second re-cut). */
export function announcementsOf(log: readonly LoggedRow[], carriage: Carriage): Array<{ first: number; last: number }> {
  const loads: Array<{ first: number; last: number }> = [];
  let first = 0;
  for (const cut of carriage.cuts) {
    if (cut < first) continue;
    loads.push({ first, last: Math.min(cut, log.length - 1) });
    first = cut + 1;
  }
  const out: Array<{ first: number; last: number }> = [];
  for (let i = 0; i < loads.length; i++) {
    out.push(loads[i]!);
    const further = carriage.rereads.get(i);
    if (further === undefined) continue;
    // read again from its first offset, cut where the next batch would end (that load is then done)
    const reach = Math.min(loads.length - 1, i + further);
    out.push({ first: loads[i]!.first, last: loads[reach]!.last });
    i = reach;
  }
  return out;
}

export async function runEngine<R extends LoggedRow>(
  log: readonly R[],
  rules: readonly ModelRule[],
  carriage: Carriage,
  warehouse: Warehouse<R>,
  clock: number,
  table = "daily_offers",
): Promise<Alert[]> {
  const topics = new MemoryKeyedLog();
  const announcements = announcementsOf(log, carriage);
  let loaded = 0;
  const loadUpTo = async (k: number) => {
    for (; loaded <= Math.min(k, announcements.length - 1); loaded++) {
      const a = announcements[loaded]!;
      await warehouse.load(log.slice(a.first, a.last + 1).filter((r) => !carriage.refused.has(r.offset)));
    }
  };
  const active = activeRulesOf(rules);
  const start = () => {
    const states = new EpisodeStates();
    for (const r of topics.records.get(TOPICS.state) ?? []) states.apply(r.key, r.value);
    let budget = Infinity;
    const writer = {
      appendMany: (topic: string, records: ReadonlyArray<{ key: string; value: string | null }>) => {
        for (const r of records) {
          if (budget-- <= 0) return Promise.reject(new Crash("killed"));
          topics.append(topic, r.key, r.value);
        }
        return Promise.resolve();
      },
    };
    const evaluator = new LoadEvaluator({
      source: warehouse,
      rules: () => active,
      states,
      outbox: new Outbox(writer, TOPICS, states),
      maxAgeDays: 400,
      clock: () => clock,
    });
    return { evaluator, dieAfter: (n: number) => (budget = n) };
  };
  let alerter = start();
  for (let k = 0; k < announcements.length; k++) {
    await loadUpTo(k + carriage.lag);
    const a = announcements[k]!;
    const load: LoadAnnouncement = {
      batch_id: `load-${k}`,
      table,
      dates: [...new Set(log.slice(a.first, a.last + 1).map((r) => r.day))].sort(),
      rows: a.last - a.first + 1,
      ranges: [{ topic: "deal-of-the-day", partition: 0, first: String(a.first), last: String(a.last) }],
      loaded_at: new Date(clock).toISOString(),
    };
    const crashAfter = carriage.crashes.get(k);
    if (crashAfter !== undefined) {
      alerter.dieAfter(crashAfter);
      try {
        await alerter.evaluator.evaluate(load);
      } catch (error) {
        if (!(error instanceof Crash)) throw error;
      }
      // a new process: what the topics hold, and the same announcement again (it was not committed)
      alerter = start();
    }
    await alerter.evaluator.evaluate(load);
  }
  const alerts = new Map<string, Alert>();
  for (const r of topics.records.get(TOPICS.alerts) ?? []) {
    if (r.value !== null && !r.key.includes("|")) alerts.set(r.key, JSON.parse(r.value) as Alert);
  }
  return [...alerts.values()];
}
