/**
 * What a watch must fit besides its schema, set by the deployment: a site the route serves, a
 * target whose URL can be built, a period no shorter than the minimum, room under the maximum
 * number of watches, and the budget: the pages all enabled watches may fetch from one host in
 * any hour, counted from each schedule's busiest hour. A schedule that fits the budget can never
 * exceed it; the claims check it again as they are made (shared/watch/watch-book.ts).
 */
import { formatDuration } from "../../shared/duration.ts";
import type { SiteCode } from "../../shared/sites.ts";
import { cadenceOf } from "../../shared/watch/schedule.ts";
import type { Period, Watch, WatchTarget } from "../../shared/watch/watch.ts";
import { viewRequestProblem, viewUrl } from "../scraper/views.ts";

export interface WatchLimits {
  sites: readonly SiteCode[];
  maxPages: number;
  maxWatches: number;
  minPeriodMs: number;
  pagesPerHour: number;
}

/** The host a target's pages come from (the budget is per host). */
export function targetHost(target: WatchTarget): string {
  return viewUrl(target, 1).hostname;
}

/** At most how many pages one run fetches. */
export const targetPages = (target: WatchTarget): number => (target.view === "item" ? 1 : target.pages);

/** Pages per hour a watch may fetch, in its schedule's busiest hour. */
export function pagesPerHourOf(watch: { target: WatchTarget; period: Period; enabled: boolean }): number {
  return watch.enabled ? targetPages(watch.target) * cadenceOf(watch.period).runsPerHour : 0;
}

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

/** Why this watch does not fit beside the others (the ones it does not replace), or null. */
export function limitProblem(
  watch: { id: string; target: WatchTarget; period: Period; enabled: boolean },
  others: readonly Watch[],
  limits: WatchLimits,
): string | null {
  const cadence = cadenceOf(watch.period);
  if (cadence.shortestGapMs < limits.minPeriodMs) {
    return `period runs every ${formatDuration(cadence.shortestGapMs)} at its shortest; the shortest allowed is ${
      formatDuration(limits.minPeriodMs)
    } (OFERTAS_WATCH_MIN_PERIOD)`;
  }
  if (!others.some((w) => w.id === watch.id) && others.length >= limits.maxWatches) {
    return `there are already ${others.length} watches, the most this route keeps (OFERTAS_MAX_WATCHES)`;
  }
  const need = pagesPerHourOf(watch);
  if (need === 0) return null;
  const host = targetHost(watch.target);
  const used = others
    .filter((w) => w.id !== watch.id && w.enabled && targetHost(w.target) === host)
    .reduce((sum, w) => sum + pagesPerHourOf(w), 0);
  if (used + need > limits.pagesPerHour) {
    return `this watch may fetch ${need} pages an hour from ${host}; the other watches already may fetch ${used}, and the budget is ${limits.pagesPerHour} pages an hour per host (OFERTAS_WATCH_PAGES_PER_HOUR): fewer pages or a longer period`;
  }
  return null;
}
