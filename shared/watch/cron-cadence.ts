/**
 * How often a cron schedule runs at most: its shortest gap between two runs and its busiest
 * rolling hour, read from its fields (croner parses them), never from a sample of the next few
 * days: `* * * 1 *` (every minute, in January only) runs every minute, whatever month it is now.
 *
 *  - The times of day it runs are its second × minute × hour fields.
 *  - The days it runs (day of month, month, weekday, with croner's L, W and # and its rule for a
 *    day of month and a weekday together) are found over 28 whole years: the Gregorian calendar
 *    repeats its weekdays and leap years every 28 years from 1901 to 2099, so those years hold
 *    every arrangement of days (and the gap from the last of them to the first of the next cycle).
 *  - The shortest gap is the smallest of: two times of one day, and the last time of a run day to
 *    the first time of the next run day. The busiest hour counts the times of one day, and of two
 *    days in a row when the schedule has such days (an hour across midnight).
 *
 * That is the schedule in its own local time, the same on every machine: what the budget is
 * decided by in log order (watch-admission.ts). A time zone's clock changes (DST) can bring two
 * runs closer once or twice a year (`0,50 1 * * *` in New York: 01:50 summer time, then 01:00
 * winter time, ten minutes later); cadenceAroundClockChanges adds what croner's real runs around
 * the next two years' changes show, for the checks made when a watch is written.
 * A year field (seven fields) is refused on write; a stored one is counted as every year.
 */
import { Cron, CronPattern } from "croner";
import { DAY_MS, HOUR_MS, SECOND_MS } from "../duration.ts";
import { clockChanges } from "./clock-changes.ts";

export interface Cadence {
  /** Most runs in any rolling hour. */
  runsPerHour: number;
  /** Shortest time between two runs (ms); Infinity when it runs at most once. */
  shortestGapMs: number;
}

/** A schedule that never runs. */
export const NEVER: Cadence = { runsPerHour: 0, shortestGapMs: Infinity };

const DAY_S = DAY_MS / SECOND_MS;
/** 2001-01-01: the first day of a 28-year cycle of weekdays and leap years (to 2028-12-31). */
const CYCLE_START_MS = Date.UTC(2001, 0, 1);
const CYCLE_DAYS = 10_227;
/** Runs examined around one clock change at most (a denser schedule's local gaps are already shorter). */
const MAX_RUNS_PER_CHANGE = 200;

/** The expression without a year field: a stored seven-field pattern counts as running every year. */
function withoutYear(expression: string): string {
  const fields = expression.trim().split(/\s+/);
  return fields.length === 7 ? fields.slice(0, 6).join(" ") : expression;
}

/** The seconds of the day a pattern runs at, in order. */
function timesOfDay(pattern: CronPattern): number[] {
  const times: number[] = [];
  for (let h = 0; h < 24; h++) {
    if (!pattern.hour[h]) continue;
    for (let m = 0; m < 60; m++) {
      if (!pattern.minute[m]) continue;
      for (let s = 0; s < 60; s++) if (pattern.second[s]) times.push(h * 3600 + m * 60 + s);
    }
  }
  return times;
}

/** Most of the sorted instants that fall within any `span` (each one within less than `span` of the first). */
export function mostWithin(instants: readonly number[], span: number): number {
  let most = instants.length ? 1 : 0;
  for (let i = 1, first = 0; i < instants.length; i++) {
    while (instants[i]! - instants[first]! >= span) first++;
    most = Math.max(most, i - first + 1);
  }
  return most;
}

/** The smallest gap between two of the sorted instants (Infinity for fewer than two). */
function shortestGap(instants: readonly number[]): number {
  let gap = Infinity;
  for (let i = 1; i < instants.length; i++) gap = Math.min(gap, instants[i]! - instants[i - 1]!);
  return gap;
}

/** Fewest days from one run day to the next, over a whole cycle (Infinity when it never runs). */
function shortestDayGap(expression: string, firstTime: number): number {
  const days = new Cron(expression, { paused: true, utcOffset: 0 });
  let first = -1;
  let previous = -1;
  let gap = Infinity;
  for (let d = 0; d < CYCLE_DAYS && gap > 1; d++) {
    if (!days.match(new Date(CYCLE_START_MS + d * DAY_MS + firstTime * SECOND_MS))) continue;
    if (previous < 0) first = d;
    else gap = Math.min(gap, d - previous);
    previous = d;
  }
  if (first < 0) return Infinity;
  // from the cycle's last run day to the next cycle's first
  return Math.min(gap, first + CYCLE_DAYS - previous);
}

const localCache = new Map<string, Cadence>();

/** The cadence of a cron expression in its own local time (no clock changes); throws when croner cannot read it. */
export function localCronCadence(expression: string): Cadence {
  const cached = localCache.get(expression);
  if (cached) return cached;
  const readable = withoutYear(expression);
  const times = timesOfDay(new CronPattern(readable));
  const dayGap = times.length ? shortestDayGap(readable, times[0]!) : Infinity;
  let cadence = NEVER;
  if (dayGap !== Infinity) {
    const acrossDays = dayGap * DAY_S - (times.at(-1)! - times[0]!);
    const busiest = dayGap === 1 ? [...times, ...times.map((t) => t + DAY_S)] : times;
    cadence = {
      runsPerHour: mostWithin(busiest, HOUR_MS / SECOND_MS),
      shortestGapMs: Math.min(shortestGap(times), acrossDays) * SECOND_MS,
    };
  }
  if (localCache.size > 1_000) localCache.clear();
  localCache.set(expression, cadence);
  return cadence;
}

/** What croner's real runs around the time zone's clock changes of the next two years show (NEVER: no change). */
export function cadenceAroundClockChanges(expression: string, timeZone: string, from: number): Cadence {
  const changes = clockChanges(timeZone, from, from + 2 * 366 * DAY_MS);
  if (changes.length === 0) return NEVER;
  const cron = new Cron(expression, { paused: true, timezone: timeZone });
  let cadence = NEVER;
  for (const change of changes) {
    const start = change - 2 * HOUR_MS;
    const runs = cron.previousRuns(1, new Date(start)).map((d) => d.getTime());
    for (let next = cron.nextRun(new Date(start)); next && runs.length < MAX_RUNS_PER_CHANGE;) {
      runs.push(next.getTime());
      if (next.getTime() >= change + 2 * HOUR_MS) break;
      next = cron.nextRun(next);
    }
    cadence = busier(cadence, { runsPerHour: mostWithin(runs, HOUR_MS), shortestGapMs: shortestGap(runs) });
  }
  return cadence;
}

/** The busier of two cadences, field by field. */
export function busier(a: Cadence, b: Cadence): Cadence {
  return {
    runsPerHour: Math.max(a.runsPerHour, b.runsPerHour),
    shortestGapMs: Math.min(a.shortestGapMs, b.shortestGapMs),
  };
}
