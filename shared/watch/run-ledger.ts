/**
 * The watches' runs as the runs log (`ofertas.watch-runs`, watch-run.ts) says in log order: per
 * watch, the slot its last winning claim took and its latest run (the status, the run counter),
 * and per host its back-off (host-backoff.ts). Claims are judged as they are read
 * (claim-arbiter.ts), so every reader holds the same ledger.
 *
 * A watch's history belongs to one watch of that id: records carry the watch's `created_at`, and
 * the ledger keeps them apart by it, so a watch deleted while it ran does not hand its late run to
 * a watch created again under its id, which starts afresh. Records from before that field are
 * taken as the history of the watch of that id created before them.
 */
import * as v from "valibot";
import { log } from "../log.ts";
import { parseJsonText } from "../json-text.ts";
import { type ClaimArbiter, type ClaimHistory, nextRunNumber } from "./claim-arbiter.ts";
import { HostBackoff } from "./host-backoff.ts";
import { CLAIM_KEY_PREFIX, type RunRecord, RunRecordSchema, WatchLogRecordSchema } from "./watch-run.ts";

/** The generation of records written before they named their watch's `created_at`. */
const UNNAMED = "";
/** Histories kept per watch id: its current watch's, and a few of deleted ones whose late runs arrived. */
const GENERATIONS_KEPT = 3;

interface History extends ClaimHistory {
  /** When its latest record was written (ms): an unnamed history belongs to a watch created before it. */
  lastAt: number;
  /** Log sequence of its latest record: the least recently written generation is forgotten first. */
  touched: number;
}

/** What the ledger needs of a watch: its id and which watch of that id it is. */
export interface WatchIdentity {
  id: string;
  created_at: string;
}

export class RunLedger {
  private readonly byWatch = new Map<string, Map<string, History>>();
  readonly hosts = new HostBackoff();
  private sequence = 0;

  constructor(readonly arbiter: ClaimArbiter) {}

  /** A record of the runs topic, in log order. */
  apply(key: string, value: string | null): void {
    const claimKey = key.startsWith(CLAIM_KEY_PREFIX);
    const id = claimKey ? key.slice(CLAIM_KEY_PREFIX.length) : key;
    if (value === null) {
      // the watch was deleted: its history goes (a claim key's tombstone follows its run key's)
      if (!claimKey) this.byWatch.delete(id);
      return;
    }
    const parsed = v.safeParse(WatchLogRecordSchema, parseJsonText(value));
    if (!parsed.success || parsed.output.watch_id !== id || (claimKey && parsed.output.type !== "claim")) {
      log("warn", "watch_run_record_ignored", { key: key.slice(0, 80), reason: "not a valid claim or run" });
      return;
    }
    const record = parsed.output;
    const slot = Date.parse(record.slot);
    if (record.type === "run") {
      const run = v.parse(RunRecordSchema, record);
      const history = this.historyFor(id, run.watch_created_at, Date.parse(run.finished_at));
      if (!history.lastRun || Date.parse(history.lastRun.slot) <= slot) history.lastRun = run;
      // after compaction a run may be all that is left of its claim
      if (slot > history.wonSlot) Object.assign(history, { wonSlot: slot, wonAt: null });
      this.hosts.apply(run);
      return;
    }
    const at = Date.parse(record.at);
    const history = this.historyFor(id, record.watch_created_at, at);
    if (this.arbiter.decide(record, history) === "won") Object.assign(history, { wonSlot: slot, wonAt: at });
  }

  /** The history of this watch (not of an earlier one of its id), or null when it has none. */
  historyOf(watch: WatchIdentity): ClaimHistory | null {
    const generations = this.byWatch.get(watch.id);
    if (!generations) return null;
    return generations.get(watch.created_at) ?? this.unnamedOf(generations, watch.created_at);
  }

  lastRun(watch: WatchIdentity): RunRecord | null {
    return this.historyOf(watch)?.lastRun ?? null;
  }

  /** The number this watch's next run gets: its last recorded run's + 1. */
  nextRunNumber(watch: WatchIdentity): number {
    return nextRunNumber(this.lastRun(watch));
  }

  /** The slot of this watch's run under way (claimed, no result, within the run timeout), or null. */
  runningSlot(watch: WatchIdentity, now: number): number | null {
    const history = this.historyOf(watch);
    return history && this.arbiter.underWay(history, now) ? history.wonSlot : null;
  }

  /** The unnamed (old) history, when written after the watch was created. */
  private unnamedOf(generations: Map<string, History>, createdAt: string): History | null {
    const unnamed = generations.get(UNNAMED);
    return unnamed && unnamed.lastAt >= Date.parse(createdAt) ? unnamed : null;
  }

  private historyFor(id: string, createdAt: string | undefined, at: number): History {
    const generation = createdAt ?? UNNAMED;
    let generations = this.byWatch.get(id);
    if (!generations) this.byWatch.set(id, generations = new Map());
    let history = generations.get(generation);
    if (!history) {
      // the first record naming its watch continues the unnamed history of that watch, if any
      const unnamed = generation === UNNAMED ? null : this.unnamedOf(generations, generation);
      history = unnamed ? { ...unnamed } : { wonSlot: -Infinity, wonAt: null, lastRun: null, lastAt: at, touched: 0 };
      history.touched = ++this.sequence;
      generations.set(generation, history);
      if (generations.size > GENERATIONS_KEPT) {
        const oldest = [...generations].reduce((a, b) => (b[1].touched < a[1].touched ? b : a));
        generations.delete(oldest[0]);
      }
    }
    history.lastAt = Math.max(history.lastAt, at);
    history.touched = ++this.sequence;
    return history;
  }
}
