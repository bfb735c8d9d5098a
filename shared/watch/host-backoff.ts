/**
 * A host's back-off: a block or challenge page is the site's answer to us, not to one watch, so
 * every watch on a host waits while it backs off. Derived in log order from the run records of
 * every watch (each names its `host`), so every reader of the runs log agrees.
 *
 *  - `blocked`, `challenge` (the site wants us to slow down) and `failed` (no page of the run
 *    gave an offer: the host refused or failed them all) count one more failing run in a row;
 *    the host waits base·2^(n-1), at most max, after the n-th (schedule.ts backoffUntil);
 *  - `ok` and `unavailable` (the item's own page was fetched and read: it is not for sale, a
 *    normal answer) end the back-off;
 *  - `partial` (some pages read, some not: the host is not refusing us, yet not answering cleanly
 *    either), `not_produced` (Kafka did not take the offers: the host answered) and `crashed` (our
 *    scrape threw: a bug of ours) say nothing about the host and change nothing.
 *
 * A run that started before the host's last failing run ended overlapped it (two watches blocked
 * at once are one event): its failure does not count again, its success does not end the wait.
 * The wait is the one the run's writer recorded (`backoff_until`, by its settings); a failing
 * run counts at least the `failures` its writer recorded, so that after compaction (which keeps
 * each watch's last run) the count does not start again from nothing.
 */
import type { Backoff } from "./schedule.ts";
import { backoffUntil } from "./schedule.ts";
import type { RunOutcome, RunRecord } from "./watch-run.ts";

/** Outcomes that count as a failing run of the host. */
export const FAILING_OUTCOMES: readonly RunOutcome[] = ["blocked", "challenge", "failed"];
/** Outcomes that end a host's back-off. */
export const CLEARING_OUTCOMES: readonly RunOutcome[] = ["ok", "unavailable"];

interface HostState {
  failures: number;
  /** When the last failing run ended (ms). */
  lastFailureAt: number;
  until: number | null;
  reason: string;
}

export interface HostBackoffStatus {
  /** Failing runs in a row. */
  failures: number;
  /** The end of the wait, while it lasts; null otherwise. */
  until: number | null;
  /** What the last failing run met. */
  reason: string | null;
}

interface RunEnd {
  outcome: RunOutcome;
  started: number;
  finished: number;
  reason: string;
}

const NONE: HostState = { failures: 0, lastFailureAt: -Infinity, until: null, reason: "" };

/** The host's state after a run; `waitAfter` says how long it waits after n failing runs in a row. */
function next(state: HostState, run: RunEnd, waitAfter: (failures: number) => number | null): HostState {
  const overlapped = run.started < state.lastFailureAt;
  if (FAILING_OUTCOMES.includes(run.outcome)) {
    const failures = overlapped ? state.failures : state.failures + 1;
    const wait = waitAfter(failures);
    return {
      failures,
      lastFailureAt: Math.max(state.lastFailureAt, run.finished),
      until: wait === null ? state.until : Math.max(state.until ?? wait, wait),
      reason: run.reason,
    };
  }
  if (CLEARING_OUTCOMES.includes(run.outcome) && !overlapped) return NONE;
  return state;
}

export class HostBackoff {
  private readonly hosts = new Map<string, HostState>();

  /** A run record, in log order (records without a host predate host back-off and are skipped). */
  apply(run: RunRecord): void {
    if (!run.host) return;
    const state = this.hosts.get(run.host) ?? NONE;
    const recorded = run.backoff_until === null ? null : Date.parse(run.backoff_until);
    let after = next(state, endOf(run), () => recorded);
    if (FAILING_OUTCOMES.includes(run.outcome)) after = { ...after, failures: Math.max(after.failures, run.failures) };
    if (after === NONE) this.hosts.delete(run.host);
    else this.hosts.set(run.host, after);
  }

  /** What a run of `host` that ends now makes of the host's back-off: what its record says. */
  after(
    host: string,
    run: { outcome: RunOutcome; started: number; finished: number },
    backoff: Backoff,
  ): { failures: number; until: number | null } {
    const state = next(
      this.hosts.get(host) ?? NONE,
      { ...run, reason: "" },
      (failures) => backoffUntil(run.finished, failures, backoff),
    );
    return { failures: state.failures, until: state.until };
  }

  /** The host's back-off at `now`. */
  of(host: string, now: number): HostBackoffStatus {
    const state = this.hosts.get(host);
    if (!state) return { failures: 0, until: null, reason: null };
    return {
      failures: state.failures,
      until: state.until !== null && state.until > now ? state.until : null,
      reason: state.reason,
    };
  }
}

function endOf(run: RunRecord): RunEnd {
  return {
    outcome: run.outcome,
    started: Date.parse(run.started_at),
    finished: Date.parse(run.finished_at),
    reason: run.errors[0]?.message ?? run.outcome,
  };
}
