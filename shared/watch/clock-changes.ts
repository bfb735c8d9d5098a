/**
 * When a time zone's clocks change (summer time begins or ends): the instants its offset from
 * UTC changes, to the minute, read from the runtime's time zone data (Intl). Only the checks
 * made when a watch is written use them (cron-cadence.ts): time zone data differs between
 * runtimes and releases, so nothing decided in log order depends on it.
 */
import { DAY_MS, MINUTE_MS } from "../duration.ts";

const formats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at `at`, in minutes. */
export function offsetMinutes(timeZone: string, at: number): number {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    if (formats.size > 100) formats.clear();
    formats.set(timeZone, format);
  }
  const part: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(at))) if (p.type !== "literal") part[p.type] = Number(p.value);
  const local = Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!);
  return Math.round((local - Math.floor(at / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
}

const cache = new Map<string, number[]>();

/** The instants in [from, to) at which the zone's offset changes (none for UTC or a zone without summer time). */
export function clockChanges(timeZone: string, from: number, to: number): number[] {
  const start = Math.floor(from / DAY_MS) * DAY_MS;
  const key = `${timeZone} ${start} ${to - from}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const changes: number[] = [];
  // changes are months apart: a daily look finds each, a bisection finds its minute
  let before = offsetMinutes(timeZone, start);
  for (let day = start; day < to; day += DAY_MS) {
    const after = offsetMinutes(timeZone, day + DAY_MS);
    if (after === before) continue;
    let [low, high] = [day, day + DAY_MS];
    while (high - low > MINUTE_MS) {
      const middle = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
      if (offsetMinutes(timeZone, middle) === before) low = middle;
      else high = middle;
    }
    changes.push(high);
    before = after;
  }
  if (cache.size > 100) cache.clear();
  cache.set(key, changes);
  return changes;
}
