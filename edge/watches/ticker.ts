/**
 * One tick of the watches' clock: every due watch is claimed for its slot and run as a scrape
 * through the route's bounded queue (scrape-service.ts), and its result is recorded. The same
 * tick serves Cloud Scheduler (`POST /watches/tick` every minute) and `npm start` (a timer in
 * the route). Ticks may overlap, repeat or run on several instances: a watch runs only when its
 * claim wins (watch-store.ts), so never twice in one slot.
 *
 * A tick waits for a free place in the queue rather than being turned away, up to its deadline;
 * watches it could not start stay due for the next tick.
 *
 * A run's number (the watch's last recorded run's + 1) is written in its claim, carried by every
 * offer the run finds (`watch_run`) and by its run record. A watch deleted while it ran gets no
 * run record (and a record that slips through is not the history of a watch created again under
 * its id: shared/watch/run-ledger.ts).
 */
import { log } from "../../shared/log.ts";
import { MAX_RUN_ERRORS, type RunOutcome, type RunRecord } from "../../shared/watch/watch-run.ts";
import type { DueWatch } from "../../shared/watch/watch-book.ts";
import type { ScrapeResult, ScrapeService } from "../scrape-service.ts";
import type { ScrapeRequest } from "../scraper/scrape-view.ts";
import { targetHost, targetPages } from "./watch-limits.ts";
import type { WatchStore } from "./watch-store.ts";

export interface TickerOptions {
  /** Longest a tick waits for its runs before answering. */
  timeoutMs: number;
  backoff: { baseMs: number; maxMs: number };
  pagesPerHour: number;
  clock?: () => number;
  newTickId?: () => string;
}

export type TickRun =
  | {
    watch_id: string;
    slot: string;
    claim: "won";
    outcome: RunOutcome | "running";
    offers?: number;
    produced?: number;
  }
  | { watch_id: string; slot: string; claim: "taken" | "over_budget" };

export interface TickSummary {
  tick_id: string;
  at: string;
  /** Why nothing could run at all (the store is not loaded, Kafka is down). */
  unavailable?: string;
  due: number;
  runs: TickRun[];
  /** Due watches left for the next tick, and why. */
  deferred: Array<{ watch_id: string; reason: "busy" | "over_budget" }>;
}

export class Ticker {
  private readonly clock: () => number;
  private readonly newTickId: () => string;
  /** Watches this process has submitted and not finished. */
  private readonly pending = new Set<string>();

  constructor(
    private readonly store: WatchStore,
    private readonly service: ScrapeService,
    private readonly options: TickerOptions,
  ) {
    this.clock = options.clock ?? Date.now;
    this.newTickId = options.newTickId ?? (() => crypto.randomUUID());
  }

  /** Runs every due watch; waits for their results (up to the timeout) unless told not to (the route's own timer). */
  async tick(options: { waitForRuns?: boolean } = {}): Promise<TickSummary> {
    const tickId = this.newTickId();
    const startedAt = this.clock();
    const deadline = startedAt + this.options.timeoutMs;
    const summary: TickSummary = {
      tick_id: tickId,
      at: new Date(startedAt).toISOString(),
      due: 0,
      runs: [],
      deferred: [],
    };
    if (!this.store.ready) return { ...summary, unavailable: "the watches are still being read from Kafka" };
    const readiness = await this.service.ready();
    if (!readiness.ok) return { ...summary, unavailable: `Kafka unavailable: ${readiness.detail}` };
    await this.store.catchUp();
    const due = this.store.book.due(this.clock());
    summary.due = due.length;

    const runs: Array<Promise<TickRun>> = [];
    for (const d of due) {
      // submitted by an earlier tick of this process and not yet claimed: one submission is enough
      if (this.pending.has(d.watch.id)) continue;
      const host = targetHost(d.watch.target);
      const pages = targetPages(d.watch.target);
      // a claim that would surely lose to the budget is not even written
      if (this.store.book.ledger.arbiter.pagesClaimed(host, this.clock()) + pages > this.options.pagesPerHour) {
        summary.deferred.push({ watch_id: d.watch.id, reason: "over_budget" });
        continue;
      }
      const started = await this.start(d, tickId, host, pages, deadline);
      if (started) runs.push(started.run);
      else summary.deferred.push({ watch_id: d.watch.id, reason: "busy" });
    }
    if (options.waitForRuns === false) {
      if (runs.length || summary.deferred.length) {
        log("info", "watch_tick", { ...summary, started: runs.length, ms: this.clock() - startedAt });
      }
      return summary;
    }
    const slotOf = (i: number) => new Date(due[i]!.slot).toISOString();
    const left = Math.max(0, deadline - this.clock());
    summary.runs = await Promise.all(runs.map((run, i) =>
      Promise.race([
        run,
        new Promise<TickRun>((resolve) =>
          setTimeout(
            () => resolve({ watch_id: due[i]!.watch.id, slot: slotOf(i), claim: "won", outcome: "running" }),
            left,
          )
        ),
      ])
    ));
    if (summary.runs.length || summary.deferred.length) {
      log("info", "watch_tick", { ...summary, ms: this.clock() - startedAt });
    }
    return summary;
  }

  /** Submits the watch's run (waiting for the queue up to the deadline); null when it could not start. */
  private async start(
    d: DueWatch,
    tickId: string,
    host: string,
    pages: number,
    deadline: number,
  ): Promise<{ run: Promise<TickRun> } | null> {
    const slot = new Date(d.slot).toISOString();
    let verdict: "won" | "taken" | "over_budget" = "taken";
    let startedAt = "";
    const request = toScrapeRequest(d);
    let runNumber = 0;
    for (;;) {
      const admission = this.service.submit(request, {
        watchId: d.watch.id,
        before: async () => {
          if (!this.isCurrent(d)) return false; // deleted while it waited for the queue
          startedAt = new Date(this.clock()).toISOString();
          // runs of a watch never overlap (claim-arbiter.ts): the next one is the last recorded one's + 1
          runNumber = this.store.book.ledger.nextRunNumber(d.watch);
          verdict = await this.store.claim({
            type: "claim",
            watch_id: d.watch.id,
            watch_created_at: d.watch.created_at,
            slot,
            tick_id: tickId,
            at: startedAt,
            host,
            pages,
            run: runNumber,
          });
          return verdict === "won" && { watchRun: runNumber };
        },
      });
      if (admission.accepted) {
        this.pending.add(d.watch.id);
        void admission.result.finally(() => this.pending.delete(d.watch.id)).catch(() => {});
        const run = admission.result.then(
          async (result): Promise<TickRun> => {
            if (result === null) return { watch_id: d.watch.id, slot, claim: verdict as "taken" | "over_budget" };
            await this.store.catchUp().catch(() => {}); // the host's back-off as the log has it now
            const record = this.runRecord(d, tickId, startedAt, runNumber, host, result);
            if (!this.isCurrent(d)) {
              log("info", "watch_run_not_recorded", { watch_id: d.watch.id, reason: "deleted while it ran" });
            } else {
              await this.store.recordRun(record).then(
                () =>
                  log("info", "watch_run", {
                    watch_id: d.watch.id,
                    slot,
                    run: runNumber,
                    outcome: record.outcome,
                    offers: record.offers,
                    produced: record.produced,
                    scrape_id: record.scrape_id,
                  }),
                (error) =>
                  log("error", "watch_run_not_recorded", { watch_id: d.watch.id, message: (error as Error).message }),
              );
            }
            return {
              watch_id: d.watch.id,
              slot,
              claim: "won",
              outcome: record.outcome,
              offers: record.offers,
              produced: record.produced,
            };
          },
          (error): TickRun => {
            // the claim itself failed (Kafka): nothing ran, the watch stays due
            log("warn", "watch_claim_failed", { watch_id: d.watch.id, message: (error as Error).message });
            return { watch_id: d.watch.id, slot, claim: "taken" };
          },
        );
        return { run };
      }
      const left = deadline - this.clock();
      if (left <= 0) return null;
      await Promise.race([this.service.queue.whenSlotFrees(), new Promise((r) => setTimeout(r, left))]);
    }
  }

  /** Whether the due watch is still the watch of its id (not deleted, not deleted and created again). */
  private isCurrent(d: DueWatch): boolean {
    return this.store.book.watch(d.watch.id)?.created_at === d.watch.created_at;
  }

  private runRecord(
    d: DueWatch,
    tickId: string,
    startedAt: string,
    run: number,
    host: string,
    result: ScrapeResult,
  ): RunRecord {
    const outcome = outcomeOf(result);
    const finished = this.clock();
    const { failures, until } = this.store.book.ledger.hosts.after(
      host,
      { outcome, started: Date.parse(startedAt), finished },
      this.options.backoff,
    );
    if (until !== null && until > finished) {
      log("warn", "watch_host_backing_off", {
        watch_id: d.watch.id,
        host,
        outcome,
        failures,
        backoff_until: new Date(until).toISOString(),
      });
    }
    return {
      type: "run",
      watch_id: d.watch.id,
      watch_created_at: d.watch.created_at,
      host,
      slot: new Date(d.slot).toISOString(),
      tick_id: tickId,
      started_at: startedAt,
      finished_at: new Date(finished).toISOString(),
      outcome,
      scrape_id: result.scrapeId,
      pages_fetched: result.pagesFetched,
      offers: result.offers,
      produced: result.produced,
      invalid: result.invalid,
      errors: result.errors.slice(0, MAX_RUN_ERRORS).map((e) => ({
        kind: e.kind,
        page: e.page,
        message: e.message.slice(0, 500),
      })),
      run,
      failures,
      ...(result.coverage ? { coverage: result.coverage } : {}),
      backoff_until: until === null ? null : new Date(until).toISOString(),
    };
  }
}

/** A run's outcome: a block or challenge page anywhere is what the watch reports (its host backs off). */
export function outcomeOf(result: ScrapeResult): RunOutcome {
  for (const kind of ["challenge", "blocked"] as const) if (result.errors.some((e) => e.kind === kind)) return kind;
  if (result.outcome === "failed" && result.errors.length && result.errors.every((e) => e.kind === "unavailable")) {
    return "unavailable";
  }
  return result.outcome;
}

function toScrapeRequest(d: DueWatch): ScrapeRequest {
  const { site, view, pages, category, query, price_min, price_max, item } = d.watch.target;
  return { site, view, pages: view === "item" ? 1 : pages, category, query, price_min, price_max, item };
}
