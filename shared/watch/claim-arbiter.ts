/**
 * Which claim wins a watch's slot, decided in log order by every reader of the runs log the same
 * way, without talking to each other (the route, which claims, learns its own verdict by reading
 * its claim back; the others need the verdicts to agree on what is running). A claim wins when:
 *
 *  - its slot is later than the last slot a claim of this watch won: the first claim of a slot
 *    wins, so a watch never runs twice in one slot;
 *  - no run of the watch is under way (the last winning claim's run is recorded, or it is older
 *    than the run timeout): runs of a watch never overlap;
 *  - it carries the next run number (the last recorded run's + 1): a claim made from a view of
 *    the log older than the last run loses, so two runs never share a number (a run that never
 *    recorded its end, its process gone, leaves its number to the next run);
 *  - and the host's budget has room: the pages of the winning claims for the host in the hour
 *    before it, plus its own, fit OFERTAS_WATCH_PAGES_PER_HOUR.
 *
 * Otherwise it is `taken` (one of the first three) or `over_budget`.
 */
import { HOUR_MS } from "../duration.ts";
import type { ClaimRecord, RunRecord } from "./watch-run.ts";

export type ClaimVerdict = "won" | "taken" | "over_budget";

/** Claim verdicts are remembered this long (a tick looks its own up within seconds). */
const VERDICT_TTL_MS = 2 * HOUR_MS;

/** What the run ledger knows of one watch that a claim is judged against. */
export interface ClaimHistory {
  /** The latest slot a claim won (ms), when it was claimed, and the watch's latest recorded run. */
  wonSlot: number;
  wonAt: number | null;
  lastRun: RunRecord | null;
}

export interface ClaimArbiterOptions {
  /** Pages per host per rolling hour that winning claims may add up to (the schedule's budget). */
  pagesPerHourPerHost: number;
  /** A claimed run with no result after this long counts as interrupted (its process ended). */
  runTimeoutMs: number;
}

/** The number the next run of a watch gets. */
export const nextRunNumber = (lastRun: RunRecord | null): number => (lastRun?.run ?? 0) + 1;

export class ClaimArbiter {
  /** Winning claims of the last hour per host, oldest first: what the budget counts. */
  private readonly hostClaims = new Map<string, Array<{ at: number; pages: number }>>();
  private readonly verdicts = new Map<string, { verdict: ClaimVerdict; at: number }>();

  constructor(private readonly options: ClaimArbiterOptions) {}

  /** Decides a claim, in log order, against its watch's history. */
  decide(claim: ClaimRecord, history: ClaimHistory): ClaimVerdict {
    const slot = Date.parse(claim.slot);
    const at = Date.parse(claim.at);
    let verdict: ClaimVerdict;
    const stale = claim.run !== undefined && claim.run !== nextRunNumber(history.lastRun);
    if (slot <= history.wonSlot || this.underWay(history, at) || stale) verdict = "taken";
    else if (this.pagesClaimed(claim.host, at) + claim.pages > this.options.pagesPerHourPerHost) {
      verdict = "over_budget";
    } else {
      verdict = "won";
      const claims = this.hostClaims.get(claim.host) ?? [];
      claims.push({ at, pages: claim.pages });
      this.hostClaims.set(claim.host, claims);
    }
    this.verdicts.set(verdictKey(claim.tick_id, claim.watch_id, slot), { verdict, at });
    this.forgetOld(at);
    return verdict;
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

  /** Whether a claimed run has no result yet at `at`, within the run timeout. */
  underWay(history: ClaimHistory, at: number): boolean {
    const finished = history.lastRun ? Date.parse(history.lastRun.slot) : -Infinity;
    if (history.wonSlot <= finished || history.wonAt === null) return false;
    return at - history.wonAt < this.options.runTimeoutMs;
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
