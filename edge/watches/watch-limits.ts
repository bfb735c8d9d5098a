/**
 * What a watch must fit besides its schema, set by the deployment: a site the route serves, a
 * target whose URL can be built, a period no shorter than the minimum (its shortest gap, clock
 * changes included), and the limits beside the other watches (shared/watch/watch-limits.ts: the
 * number of watches, the per-host budget). These are checked when a watch is written; the limits
 * are decided again in log order (shared/watch/watch-admission.ts), and the claims check the
 * budget as they are made (shared/watch/claim-arbiter.ts).
 */
import { formatDuration } from "../../shared/duration.ts";
import type { SiteCode } from "../../shared/sites.ts";
import { cadenceOf } from "../../shared/watch/schedule.ts";
import { watchHost, watchPages } from "../../shared/watch/watch-host.ts";
import { type AdmissionLimits, admissionProblem, type LimitedWatch } from "../../shared/watch/watch-limits.ts";
import type { WatchTarget } from "../../shared/watch/watch.ts";
import { viewRequestProblem } from "../scraper/views.ts";

export interface WatchLimits extends AdmissionLimits {
  sites: readonly SiteCode[];
  maxPages: number;
  minPeriodMs: number;
}

/** The host a target's pages come from (the budget and the back-off are per host). */
export const targetHost = watchHost;

/** At most how many pages one run fetches. */
export const targetPages = watchPages;

/** The target's own problems: one line each, naming the field. */
export function targetProblems(target: WatchTarget, limits: Pick<WatchLimits, "sites" | "maxPages">): string[] {
  if (!limits.sites.includes(target.site)) {
    return [`target.site must be one of ${limits.sites.join(", ")} (OFERTAS_SITES)`];
  }
  if (target.view !== "item" && target.pages > limits.maxPages) {
    return [`target.pages must be at most ${limits.maxPages} (OFERTAS_MAX_PAGES)`];
  }
  if (target.view === "item" && target.pages !== 1) return ["target.pages must be 1 for an item"];
  const problem = viewRequestProblem(target);
  if (!problem) return [];
  return [/^(category|query|price_min|price_max|item)\b/.test(problem) ? `target.${problem}` : `target: ${problem}`];
}

/** Why this watch does not fit beside the others (a watch of its id among them is the one it replaces), or null. */
export function limitProblem(
  watch: LimitedWatch,
  others: readonly LimitedWatch[],
  limits: WatchLimits,
  now = Date.now(),
): string | null {
  const cadence = cadenceOf(watch.period, now);
  if (cadence.shortestGapMs < limits.minPeriodMs) {
    return `period runs every ${formatDuration(cadence.shortestGapMs)} at its shortest; the shortest allowed is ${
      formatDuration(limits.minPeriodMs)
    } (OFERTAS_WATCH_MIN_PERIOD)`;
  }
  return admissionProblem(watch, others, limits, (period) => cadenceOf(period, now));
}
