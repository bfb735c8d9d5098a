import { test } from "node:test";
import assert from "node:assert/strict";
import { Cron } from "croner";
import { localCronCadence, mostWithin, NEVER } from "./cron-cadence.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

test("cron cadence: read from the fields, whatever month or weekday it is now", () => {
  const table: Array<[string, number, number]> = [
    // expression, shortest gap, busiest hour
    ["* * * 1 *", MINUTE, 60], // every minute, in January only
    ["*/5 * * * *", 5 * MINUTE, 12],
    ["0 9 * * 1-5", DAY, 1], // Friday to Monday is longer
    ["0 0 29 2 *", 1461 * DAY, 1], // leap days, four years apart
    ["0 0 * * 1,3,5", 2 * DAY, 1],
    ["0 0 L * *", 28 * DAY, 1], // the last day of January to the last of February
    ["0 0 1,L * *", DAY, 1], // the last day of a month, then the first of the next
    ["0 0 31 * *", 31 * DAY, 1], // July 31 to August 31
    ["*/10 9 * * 1-5", 10 * MINUTE, 6],
    ["3,58 * * * *", 5 * MINUTE, 2], // :58 to the next hour's :03
    ["0,59 0,23 * * *", MINUTE, 2], // 23:59 to 00:00 of the next day
    ["0,59 0,23 * * 1", 59 * MINUTE, 2], // Mondays only: no next day at 00:00
    ["*/30 * * * * *", 30_000, 120], // six fields: seconds
    ["@daily", DAY, 1],
    ["0 0 12 7 12 * 2026", 365 * DAY, 1], // a stored year field counts as every year
  ];
  for (const [expression, gap, perHour] of table) {
    assert.deepEqual(localCronCadence(expression), { shortestGapMs: gap, runsPerHour: perHour }, expression);
  }
  assert.deepEqual(localCronCadence("0 0 30 2 *"), NEVER, "February 30 never comes");
});

test("cron cadence: no two real runs are closer than the shortest gap, nor more in an hour (a year of runs)", () => {
  for (const expression of ["0 9 * * 1-5", "17,43 */7 * * *", "0 12 1-7 * 1", "30 6 L * *", "*/20 8-9 * 2 *"]) {
    const cron = new Cron(expression, { paused: true, timezone: "UTC" });
    const runs = cron.nextRuns(3_000, new Date("2026-01-01T00:00:00Z")).map((d) => d.getTime());
    const cadence = localCronCadence(expression);
    let gap = Infinity;
    for (let i = 1; i < runs.length; i++) gap = Math.min(gap, runs[i]! - runs[i - 1]!);
    assert.ok(gap >= cadence.shortestGapMs, `${expression}: a gap of ${gap} under ${cadence.shortestGapMs}`);
    assert.ok(mostWithin(runs, HOUR) <= cadence.runsPerHour, expression);
  }
});

test("cron cadence: the busiest window counts instants less than a span from the first", () => {
  assert.equal(mostWithin([], HOUR), 0);
  assert.equal(mostWithin([0], HOUR), 1);
  assert.equal(mostWithin([0, HOUR - 1, HOUR], HOUR), 2);
  assert.equal(mostWithin([0, 10, 20, HOUR + 5, HOUR + 15], HOUR), 3);
});
