/**
 * The two limits a watch must fit beside the others: the number of watches, and the budget (the
 * pages all enabled watches may fetch from one host in any hour, counted from each schedule's
 * busiest hour). The route checks them when a watch is written (edge/watches/watch-limits.ts)
 * and again in log order (watch-admission.ts), where two writers at once cannot both pass.
 */
import type { Cadence, PeriodSpec } from "./schedule.ts";
import { watchHost, watchPages } from "./watch-host.ts";
import type { WatchTarget } from "./watch.ts";

export interface AdmissionLimits {
  maxWatches: number;
  /** Pages per host per rolling hour all watches' schedules together may fetch. */
  pagesPerHour: number;
}

/** What the limits need of a watch. */
export interface LimitedWatch {
  id: string;
  target: WatchTarget;
  period: PeriodSpec;
  enabled: boolean;
}

/** Pages per hour a watch may fetch, in its schedule's busiest hour. */
export function pagesPerHourOf(watch: LimitedWatch, cadence: (period: PeriodSpec) => Cadence): number {
  return watch.enabled ? watchPages(watch.target) * cadence(watch.period).runsPerHour : 0;
}

/**
 * Why this watch does not fit beside `others` (the ones it does not replace: a watch of the same
 * id among them is the version it replaces), or null. `ids` counts the distinct ids kept.
 */
export function admissionProblem(
  watch: LimitedWatch,
  others: readonly LimitedWatch[],
  limits: AdmissionLimits,
  cadence: (period: PeriodSpec) => Cadence,
): string | null {
  const ids = new Set(others.map((w) => w.id));
  if (!ids.has(watch.id) && ids.size >= limits.maxWatches) {
    return `there are already ${ids.size} watches, the most this route keeps (OFERTAS_MAX_WATCHES)`;
  }
  const need = pagesPerHourOf(watch, cadence);
  if (need === 0) return null;
  const host = watchHost(watch.target);
  const used = others
    .filter((w) => w.id !== watch.id && w.enabled && watchHost(w.target) === host)
    .reduce((sum, w) => sum + pagesPerHourOf(w, cadence), 0);
  if (used + need > limits.pagesPerHour) {
    return `this watch may fetch ${need} pages an hour from ${host}; the other watches already may fetch ${used}, and the budget is ${limits.pagesPerHour} pages an hour per host (OFERTAS_WATCH_PAGES_PER_HOUR): fewer pages or a longer period`;
  }
  return null;
}
