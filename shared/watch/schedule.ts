/**
 * When a watch runs. A period is `every` (a duration) or `cron` in a time zone (croner, the
 * cron library, reads the expression and does the time-zone arithmetic). Either way a watch's
 * schedule is a series of instants, its slots; a watch is due when its latest slot has not been
 * claimed by a run yet, so a watch that missed slots while nothing ticked runs once, not once
 * per missed slot. `every` slots are shifted by an offset derived from the watch's id, so
 * watches with the same period do not all start at the same instant.
 *
 * A watch that met a block or challenge page backs off: the next run waits base·2^(n-1),
 * at most `max`, after the n-th such run in a row.
 */
import { Cron } from "croner";
import { parseDuration } from "../duration.ts";

export interface PeriodSpec {
  every?: string;
  cron?: string;
  time_zone?: string;
}

/** Why a cron expression cannot be used, or null. */
export function cronProblem(expression: string): string | null {
  try {
    const cron = new Cron(expression, { paused: true, timezone: "UTC" });
    if (cron.nextRun(new Date()) === null) return "never runs again";
    return null;
  } catch (error) {
    return (error as Error).message.replace(/^CronPattern: /, "");
  }
}

/** Why a time zone name cannot be used, or null. */
export function timeZoneProblem(timeZone: string): string | null {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return null;
  } catch {
    return `unknown time zone ${JSON.stringify(timeZone.slice(0, 64))}`;
  }
}

const cronCache = new Map<string, Cron>();

function cronOf(period: PeriodSpec): Cron {
  const key = `${period.time_zone ?? "UTC"} ${period.cron}`;
  let cron = cronCache.get(key);
  if (!cron) {
    cron = new Cron(period.cron!, { paused: true, timezone: period.time_zone ?? "UTC" });
    if (cronCache.size > 1_000) cronCache.clear();
    cronCache.set(key, cron);
  }
  return cron;
}

/** Milliseconds in [0, periodMs) from the watch id (FNV-1a): the same id always gets the same offset. */
export function offsetOf(watchId: string, periodMs: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < watchId.length; i++) {
    h ^= watchId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // whole seconds: slots are easier to read in a status
  return (h % Math.max(1, Math.floor(periodMs / 1000))) * 1000;
}

function everyMs(period: PeriodSpec): number {
  const ms = parseDuration(period.every ?? "");
  if (ms === null || ms <= 0) throw new RangeError(`not a duration: ${period.every}`);
  return ms;
}

/** The latest slot at or before `now` (ms since the epoch), or null when there is none yet. */
export function slotAtOrBefore(watchId: string, period: PeriodSpec, now: number): number | null {
  if (period.every !== undefined) {
    const ms = everyMs(period);
    const offset = offsetOf(watchId, ms);
    return Math.floor((now - offset) / ms) * ms + offset;
  }
  const previous = cronOf(period).previousRuns(1, new Date(now + 1)); // previousRuns excludes its reference
  return previous[0]?.getTime() ?? null;
}

/** The first slot after `now`, or null when the schedule has ended. */
export function slotAfter(watchId: string, period: PeriodSpec, now: number): number | null {
  if (period.every !== undefined) {
    const ms = everyMs(period);
    const offset = offsetOf(watchId, ms);
    return Math.floor((now - offset) / ms) * ms + offset + ms;
  }
  return cronOf(period).nextRun(new Date(now))?.getTime() ?? null;
}

const HOUR_MS = 3_600_000;
/** A week covers every weekly pattern (a monthly one shows its busiest hour within a week too, or runs less). */
const WEEK_MS = 7 * 24 * HOUR_MS;
/** More runs than one a minute for a week is refused by the minimum period anyway. */
const CRON_RUNS_EXAMINED = 7 * 24 * 60;

export interface Cadence {
  /** Most runs in any rolling hour. */
  runsPerHour: number;
  /** Shortest time between two runs (ms). */
  shortestGapMs: number;
}

const cadenceCache = new Map<string, Cadence>();

/** How often a period runs at most: the budget and the minimum period are checked against it. */
export function cadenceOf(period: PeriodSpec, from = Date.now()): Cadence {
  if (period.every !== undefined) {
    const ms = everyMs(period);
    return { runsPerHour: Math.ceil(HOUR_MS / ms), shortestGapMs: ms };
  }
  const key = `${period.time_zone ?? "UTC"} ${period.cron}`;
  const cached = cadenceCache.get(key);
  if (cached) return cached;
  const cron = cronOf(period);
  const runs: number[] = [];
  for (let next = cron.nextRun(new Date(from)); next && runs.length < CRON_RUNS_EXAMINED;) {
    if (next.getTime() > from + WEEK_MS) break;
    runs.push(next.getTime());
    next = cron.nextRun(next);
  }
  let runsPerHour = runs.length ? 1 : 0;
  let shortestGapMs = Infinity;
  for (let i = 1, first = 0; i < runs.length; i++) {
    shortestGapMs = Math.min(shortestGapMs, runs[i]! - runs[i - 1]!);
    while (runs[i]! - runs[first]! >= HOUR_MS) first++;
    runsPerHour = Math.max(runsPerHour, i - first + 1);
  }
  const cadence = { runsPerHour, shortestGapMs };
  if (cadenceCache.size > 1_000) cadenceCache.clear();
  cadenceCache.set(key, cadence);
  return cadence;
}

export interface Backoff {
  baseMs: number;
  maxMs: number;
}

/** When a watch may run again after its `failures`-th block or challenge in a row. */
export function backoffUntil(finishedAt: number, failures: number, backoff: Backoff): number | null {
  if (failures <= 0) return null;
  return finishedAt + Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(failures - 1, 30));
}
