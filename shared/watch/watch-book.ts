/**
 * The watches as a reader sees them (the route, the web view, the alerter): the catalogue of
 * watches (watch-catalogue.ts) read from the watches topic, the run ledger (run-ledger.ts, with
 * its claim arbiter and the hosts' back-off) read from the runs topic, and what the two say
 * together: each watch's status, and which watches are due. Every process that reads the topics
 * builds the same book from the same records in the same order, so they agree without talking.
 */
import { slotAfter, slotAtOrBefore } from "./schedule.ts";
import { ClaimArbiter, type ClaimArbiterOptions } from "./claim-arbiter.ts";
import { RunLedger } from "./run-ledger.ts";
import { WatchCatalogue } from "./watch-catalogue.ts";
import { watchHost } from "./watch-host.ts";
import type { RunRecord } from "./watch-run.ts";
import type { Watch } from "./watch.ts";

export type { ClaimVerdict } from "./claim-arbiter.ts";

export interface WatchStatus {
  /** Slot of the run under way (claimed, not finished), ISO; null when none. */
  running: string | null;
  last_run: RunRecord | null;
  /** When it runs next (ISO): its next slot, or the end of its host's back-off; null when disabled or ended. */
  next_run: string | null;
  /** While the watch's host backs off: until when (ISO). */
  backoff_until: string | null;
  /** Failing runs in a row on the watch's host (blocked, challenge, failed: host-backoff.ts). */
  failures: number;
  /** The host the watch fetches from. */
  host?: string;
  /** What the host's last failing run met, while it backs off. */
  backoff_reason?: string | null;
}

export interface DueWatch {
  watch: Watch;
  /** The slot to claim (ms since the epoch). */
  slot: number;
}

export type WatchBookOptions = ClaimArbiterOptions;

export class WatchBook {
  readonly catalogue = new WatchCatalogue();
  readonly ledger: RunLedger;

  constructor(options: WatchBookOptions) {
    this.ledger = new RunLedger(new ClaimArbiter(options));
  }

  /** A record of the watches topic, in log order. */
  applyWatch(key: string, value: string | null): void {
    this.catalogue.apply(key, value);
  }

  /** A record of the runs topic, in log order. */
  applyRun(key: string, value: string | null): void {
    this.ledger.apply(key, value);
  }

  watches(): Watch[] {
    return this.catalogue.watches();
  }

  watch(id: string): Watch | null {
    return this.catalogue.watch(id);
  }

  get size(): number {
    return this.catalogue.size;
  }

  /** The latest run of the watch of this id (not of a deleted one of the same id). */
  lastRun(watchId: string): RunRecord | null {
    const watch = this.catalogue.watch(watchId);
    return watch ? this.ledger.lastRun(watch) : null;
  }

  /** Enabled watches whose latest slot has not been claimed, not running, whose host is not backing off. */
  due(now: number): DueWatch[] {
    const due: DueWatch[] = [];
    for (const watch of this.catalogue.watches()) {
      if (!watch.enabled) continue;
      const slot = slotAtOrBefore(watch.id, watch.period, now);
      if (slot === null) continue;
      const history = this.ledger.historyOf(watch);
      if (history && slot <= history.wonSlot) continue;
      if (this.ledger.runningSlot(watch, now) !== null) continue;
      if (this.ledger.hosts.of(watchHost(watch.target), now).until !== null) continue;
      due.push({ watch, slot });
    }
    return due.sort((a, b) => a.slot - b.slot || (a.watch.id < b.watch.id ? -1 : 1));
  }

  status(watchId: string, now: number): WatchStatus {
    const watch = this.catalogue.watch(watchId);
    if (!watch) return { running: null, last_run: null, next_run: null, backoff_until: null, failures: 0 };
    const history = this.ledger.historyOf(watch);
    const running = this.ledger.runningSlot(watch, now);
    const host = watchHost(watch.target);
    const backoff = this.ledger.hosts.of(host, now);
    let next: number | null = null;
    if (watch.enabled) {
      const current = slotAtOrBefore(watch.id, watch.period, now);
      const claimed = history?.wonSlot ?? -Infinity;
      next = current !== null && current > claimed ? now : slotAfter(watch.id, watch.period, now);
      if (next !== null && backoff.until !== null) next = Math.max(next, backoff.until);
    }
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      running: iso(running),
      last_run: history?.lastRun ?? null,
      next_run: iso(next),
      backoff_until: iso(backoff.until),
      failures: backoff.failures,
      host,
      backoff_reason: backoff.until === null ? null : backoff.reason,
    };
  }
}
