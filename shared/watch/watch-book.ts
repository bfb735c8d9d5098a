/**
 * The watches and their runs as one in-memory state, built by reading the two compacted topics
 * from the beginning (shared/keyed-log.ts) and kept current as records arrive. Every process that
 * reads the topics (each route instance, the web view) builds the same state from the same
 * records in the same order, so they agree on which claim won each slot without talking to each
 * other (watch-run.ts).
 */
import * as v from "valibot";
import { log } from "../log.ts";
import { type RunRecord, RunRecordSchema, type WatchLogRecord, WatchLogRecordSchema } from "./watch-run.ts";
import { type Watch, WatchSchema } from "./watch.ts";
import { slotAfter, slotAtOrBefore } from "./schedule.ts";
import { parseJsonText } from "../json-text.ts";

const HOUR_MS = 3_600_000;
/** Claim verdicts are remembered this long (a tick looks its own up within seconds). */
const VERDICT_TTL_MS = 2 * HOUR_MS;

export type ClaimVerdict = "won" | "taken" | "over_budget";

interface RunState {
  /** The latest slot a claim won (ms), and that claim. */
  wonSlot: number;
  wonTick: string | null;
  wonAt: number | null;
  lastRun: RunRecord | null;
}

export interface WatchStatus {
  /** Slot of the run under way (claimed, not finished), ISO; null when none. */
  running: string | null;
  last_run: RunRecord | null;
  /** When it runs next (ISO): its next slot, or the end of its back-off; null when disabled. */
  next_run: string | null;
  backoff_until: string | null;
  /** Block or challenge pages in a row. */
  failures: number;
}

export interface DueWatch {
  watch: Watch;
  /** The slot to claim (ms since the epoch). */
  slot: number;
}

export interface WatchBookOptions {
  /** Pages per host per rolling hour that winning claims may add up to (the schedule's budget). */
  pagesPerHourPerHost: number;
  /** A claimed run with no result after this long counts as interrupted (its process ended). */
  runTimeoutMs: number;
}

export class WatchBook {
  private readonly byId = new Map<string, Watch>();
  private readonly runs = new Map<string, RunState>();
  /** Winning claims of the last hour per host, oldest first: what the budget counts. */
  private readonly hostClaims = new Map<string, Array<{ at: number; pages: number }>>();
  private readonly verdicts = new Map<string, { verdict: ClaimVerdict; at: number }>();

  constructor(private readonly options: WatchBookOptions) {}

  // ------------------------------------------------------------------ applying records

  /** A record of the watches topic: a watch, or a tombstone (null) for a deleted one. */
  applyWatch(key: string, value: string | null): void {
    if (value === null) {
      this.byId.delete(key);
      return;
    }
    const parsed = v.safeParse(WatchSchema, parseJsonText(value));
    if (!parsed.success || parsed.output.id !== key) {
      log("warn", "watch_record_ignored", { key: key.slice(0, 80), reason: "not a valid watch" });
      return;
    }
    this.byId.set(key, parsed.output);
  }

  /** A record of the runs topic, in log order. */
  applyRun(key: string, value: string | null): void {
    if (value === null) {
      this.runs.delete(key);
      return;
    }
    const parsed = v.safeParse(WatchLogRecordSchema, parseJsonText(value));
    if (!parsed.success || parsed.output.watch_id !== key) {
      log("warn", "watch_run_record_ignored", { key: key.slice(0, 80), reason: "not a valid claim or run" });
      return;
    }
    const record: WatchLogRecord = parsed.output;
    const state = this.runs.get(key) ?? { wonSlot: -Infinity, wonTick: null, wonAt: null, lastRun: null };
    this.runs.set(key, state);
    const slot = Date.parse(record.slot);
    if (record.type === "run") {
      const run = v.parse(RunRecordSchema, record);
      if (!state.lastRun || Date.parse(state.lastRun.slot) <= slot) state.lastRun = run;
      // after compaction a run may be all that is left of its claim
      if (slot > state.wonSlot) Object.assign(state, { wonSlot: slot, wonTick: run.tick_id, wonAt: null });
      return;
    }
    const at = Date.parse(record.at);
    let verdict: ClaimVerdict;
    if (slot <= state.wonSlot) verdict = "taken";
    else if (this.pagesClaimed(record.host, at) + record.pages > this.options.pagesPerHourPerHost) {
      verdict = "over_budget";
    } else {
      verdict = "won";
      Object.assign(state, { wonSlot: slot, wonTick: record.tick_id, wonAt: at });
      const claims = this.hostClaims.get(record.host) ?? [];
      claims.push({ at, pages: record.pages });
      this.hostClaims.set(record.host, claims);
    }
    this.verdicts.set(verdictKey(record.tick_id, key, slot), { verdict, at });
    this.forgetOld(at);
  }

  // ------------------------------------------------------------------------ questions

  watches(): Watch[] {
    return [...this.byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  watch(id: string): Watch | null {
    return this.byId.get(id) ?? null;
  }

  get size(): number {
    return this.byId.size;
  }

  /** How the claim of a tick for a watch's slot was decided; undefined until its record is read. */
  verdict(tickId: string, watchId: string, slot: number): ClaimVerdict | undefined {
    return this.verdicts.get(verdictKey(tickId, watchId, slot))?.verdict;
  }

  /** Pages that winning claims for `host` planned in the hour before `at`. */
  pagesClaimed(host: string, at: number): number {
    let sum = 0;
    for (const c of this.hostClaims.get(host) ?? []) if (c.at > at - HOUR_MS && c.at <= at) sum += c.pages;
    return sum;
  }

  lastRun(watchId: string): RunRecord | null {
    return this.runs.get(watchId)?.lastRun ?? null;
  }

  /** Enabled watches whose latest slot has not been claimed, that are not running and not backing off. */
  due(now: number): DueWatch[] {
    const due: DueWatch[] = [];
    for (const watch of this.byId.values()) {
      if (!watch.enabled) continue;
      const slot = slotAtOrBefore(watch.id, watch.period, now);
      if (slot === null) continue;
      const state = this.runs.get(watch.id);
      if (state && slot <= state.wonSlot) continue;
      if (state && this.runningSlot(state, now) !== null) continue;
      const backoff = state?.lastRun?.backoff_until ? Date.parse(state.lastRun.backoff_until) : 0;
      if (backoff > now) continue;
      due.push({ watch, slot });
    }
    return due.sort((a, b) => a.slot - b.slot || (a.watch.id < b.watch.id ? -1 : 1));
  }

  status(watchId: string, now: number): WatchStatus {
    const watch = this.byId.get(watchId);
    const state = this.runs.get(watchId);
    const lastRun = state?.lastRun ?? null;
    const running = state ? this.runningSlot(state, now) : null;
    const backoff = lastRun?.backoff_until && Date.parse(lastRun.backoff_until) > now ? lastRun.backoff_until : null;
    let next: number | null = null;
    if (watch?.enabled) {
      const current = slotAtOrBefore(watch.id, watch.period, now);
      const claimed = state?.wonSlot ?? -Infinity;
      next = current !== null && current > claimed ? now : slotAfter(watch.id, watch.period, now);
      if (next !== null && backoff) next = Math.max(next, Date.parse(backoff));
    }
    return {
      running: running === null ? null : new Date(running).toISOString(),
      last_run: lastRun,
      next_run: next === null ? null : new Date(next).toISOString(),
      backoff_until: backoff,
      failures: lastRun?.failures ?? 0,
    };
  }

  /** The slot of a claimed run with no result yet (within the run timeout), or null. */
  private runningSlot(state: RunState, now: number): number | null {
    const finished = state.lastRun ? Date.parse(state.lastRun.slot) : -Infinity;
    if (state.wonSlot <= finished || state.wonAt === null) return null;
    return now - state.wonAt < this.options.runTimeoutMs ? state.wonSlot : null;
  }

  private forgetOld(now: number): void {
    for (const [host, claims] of this.hostClaims) {
      while (claims.length && claims[0]!.at <= now - HOUR_MS) claims.shift();
      if (claims.length === 0) this.hostClaims.delete(host);
    }
    for (const [key, { at }] of this.verdicts) {
      if (at > now - VERDICT_TTL_MS) break; // inserted in log order: the rest are newer
      this.verdicts.delete(key);
    }
  }
}

const verdictKey = (tickId: string, watchId: string, slot: number) => `${tickId}|${watchId}|${slot}`;
