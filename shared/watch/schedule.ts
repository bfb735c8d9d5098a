/**
 * When a watch runs. A period is `every` (a duration) or `cron` in a time zone (croner, the
 * cron library, reads the expression and does the time-zone arithmetic). Either way a watch's
 * schedule is a series of instants, its slots; a watch is due when its latest slot has not been
 * claimed by a run yet, so a watch that missed slots while nothing ticked runs once, not once
 * per missed slot. `every` slots are shifted by an offset derived from the watch's id, so
 * watches with the same period do not all start at the same instant.
 *
 * How often a schedule runs at most (its cadence) is read from its fields (cron-cadence.ts).
 *
 * A host that failed runs backs off: the next run of its watches waits base·2^(n-1), at most
 * `max`, after the n-th failing run in a row (host-backoff.ts).
 */
import { Cron } from "croner";
import { DAY_MS, HOUR_MS, parseDuration } from "../duration.ts";
import { busier, type Cadence, cadenceAroundClockChanges, localCronCadence } from "./cron-cadence.ts";

export type { Cadence } from "./cron-cadence.ts";

export interface PeriodSpec {
  every?: string;
  cron?: string;
  time_zone?: string;
}

/** Why a cron expression may not be written: croner cannot read it, it has a year field, or it never runs. */
export function cronProblem(expression: string, now = Date.now()): string | null {
  const fields = expression.trim().split(/\s+/).length;
  if (!expression.includes("@") && fields !== 5 && fields !== 6) {
    return `needs five fields (minute hour day month weekday), or six with seconds first, not ${fields}${
      fields === 7 ? " (a year field is not supported)" : ""
    }`;
  }
  try {
    const cron = new Cron(expression, { paused: true, timezone: "UTC", mode: "5-or-6-parts" });
    return cron.nextRun(new Date(now)) === null ? "never runs (no such date)" : null;
  } catch (error) {
    return (error as Error).message.replace(/^CronPattern: /, "");
  }
}

/**
 * Why a stored cron expression cannot be read, or null. Laxer than cronProblem: a watch stored
 * before a rule was added (a year field), or whose schedule has ended, stays readable: shown
 * with no next run, and deletable.
 */
export function storedCronProblem(expression: string): string | null {
  try {
    new Cron(expression, { paused: true, timezone: "UTC" });
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

const cadenceCache = new Map<string, Cadence>();

/**
 * How often a period runs at most, clock changes included (cron-cadence.ts): what a watch is
 * checked against when it is written (the minimum period, the budget).
 */
export function cadenceOf(period: PeriodSpec, from = Date.now()): Cadence {
  if (period.every !== undefined) return everyCadence(period);
  const local = localCronCadence(period.cron!);
  if (!period.time_zone || period.time_zone === "UTC") return local;
  const key = `${period.time_zone} ${Math.floor(from / DAY_MS)} ${period.cron}`;
  let cadence = cadenceCache.get(key);
  if (!cadence) {
    cadence = busier(local, cadenceAroundClockChanges(period.cron!, period.time_zone, from));
    if (cadenceCache.size > 1_000) cadenceCache.clear();
    cadenceCache.set(key, cadence);
  }
  return cadence;
}

/**
 * How often a period runs at most in its own local time: the same on every machine and at any
 * time, so what readers decide in log order with it (watch-admission.ts) they all decide alike.
 */
export function localCadenceOf(period: PeriodSpec): Cadence {
  return period.every !== undefined ? everyCadence(period) : localCronCadence(period.cron!);
}

function everyCadence(period: PeriodSpec): Cadence {
  const ms = everyMs(period);
  return { runsPerHour: Math.ceil(HOUR_MS / ms), shortestGapMs: ms };
}

export interface Backoff {
  baseMs: number;
  maxMs: number;
}

/** When a host's watches may run again after its `failures`-th failing run in a row. */
export function backoffUntil(finishedAt: number, failures: number, backoff: Backoff): number | null {
  if (failures <= 0) return null;
  return finishedAt + Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(failures - 1, 30));
}
