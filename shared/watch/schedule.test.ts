import { test } from "node:test";
import assert from "node:assert/strict";
import {
  backoffUntil,
  cadenceOf,
  cronProblem,
  localCadenceOf,
  offsetOf,
  slotAfter,
  slotAtOrBefore,
  storedCronProblem,
  timeZoneProblem,
} from "./schedule.ts";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

test("schedule: cron in a time zone: 09:00 in São Paulo is 12:00 UTC", () => {
  const period = { cron: "0 9 * * *", time_zone: "America/Sao_Paulo" };
  assert.equal(iso(slotAtOrBefore("w", period, at("2026-12-04T13:00:00Z"))), "2026-12-04T12:00:00.000Z");
  assert.equal(iso(slotAtOrBefore("w", period, at("2026-12-04T11:59:59Z"))), "2026-12-03T12:00:00.000Z");
  // the slot's own instant belongs to it
  assert.equal(iso(slotAtOrBefore("w", period, at("2026-12-04T12:00:00Z"))), "2026-12-04T12:00:00.000Z");
  assert.equal(iso(slotAfter("w", period, at("2026-12-04T12:00:00Z"))), "2026-12-05T12:00:00.000Z");
  // the same expression in Lisbon (UTC+0 in December, UTC+1 in summer)
  const lisbon = { cron: "0 9 * * *", time_zone: "Europe/Lisbon" };
  assert.equal(iso(slotAfter("w", lisbon, at("2026-12-04T10:00:00Z"))), "2026-12-05T09:00:00.000Z");
  assert.equal(iso(slotAfter("w", lisbon, at("2026-07-04T10:00:00Z"))), "2026-07-05T08:00:00.000Z");
  // no time zone: UTC
  assert.equal(iso(slotAfter("w", { cron: "30 6 * * 1" }, at("2026-12-04T00:00:00Z"))), "2026-12-07T06:30:00.000Z");
});

test("schedule: every N: slots a period apart, shifted by the watch's own offset", () => {
  const period = { every: "15m" };
  const offset = offsetOf("iphone", 15 * 60_000);
  assert.ok(offset >= 0 && offset < 15 * 60_000 && offset % 1000 === 0);
  assert.equal(offsetOf("iphone", 15 * 60_000), offset, "the same id, the same offset");
  const now = at("2026-12-04T12:07:00Z");
  const slot = slotAtOrBefore("iphone", period, now)!;
  assert.ok(slot <= now && now - slot < 15 * 60_000);
  assert.equal((slot - offset) % (15 * 60_000), 0);
  assert.equal(slotAfter("iphone", period, now), slot + 15 * 60_000);
  assert.equal(slotAtOrBefore("iphone", period, slot), slot);
  // watches of one period are spread over it
  const offsets = new Set(Array.from({ length: 20 }, (_, i) => offsetOf(`watch-${i}`, 3_600_000)));
  assert.ok(offsets.size >= 18, `${offsets.size} distinct offsets of 20`);
});

test("schedule: the busiest hour and the shortest gap of a period", () => {
  assert.deepEqual(cadenceOf({ every: "15m" }), { runsPerHour: 4, shortestGapMs: 900_000 });
  assert.deepEqual(cadenceOf({ every: "7m" }), { runsPerHour: 9, shortestGapMs: 420_000 });
  assert.deepEqual(cadenceOf({ every: "2h" }), { runsPerHour: 1, shortestGapMs: 7_200_000 });
  assert.deepEqual(cadenceOf({ cron: "0 9 * * *", time_zone: "America/Sao_Paulo" }), {
    runsPerHour: 1,
    shortestGapMs: 86_400_000,
  });
  // six runs in one hour on weekdays, none otherwise: the busiest hour counts
  assert.equal(cadenceOf({ cron: "*/10 9 * * 1-5" }).runsPerHour, 6);
  assert.equal(cadenceOf({ cron: "*/10 9 * * 1-5" }).shortestGapMs, 600_000);
  // two runs 5 minutes apart straddling an hour: the rolling hour sees both
  assert.deepEqual(cadenceOf({ cron: "3,58 * * * *" }), { runsPerHour: 2, shortestGapMs: 300_000 });
  assert.equal(cadenceOf({ cron: "0,55 * * * *" }).shortestGapMs, 300_000);
  assert.equal(cadenceOf({ cron: "0,55 * * * *" }).runsPerHour, 2);
});

test("schedule: a time zone's clock changes count when a watch is written, not in its local cadence", () => {
  const from = Date.parse("2026-01-15T00:00:00Z");
  // New York falls back from 02:00 summer time to 01:00: 01:50 EDT, then 01:00 EST ten minutes later
  const fallBack = { cron: "0,50 1 * * *", time_zone: "America/New_York" };
  assert.equal(cadenceOf(fallBack, from).shortestGapMs, 10 * 60_000);
  assert.equal(localCadenceOf(fallBack).shortestGapMs, 50 * 60_000, "its own local time: the same everywhere");
  // and springs forward from 02:00 to 03:00: 01:00 to 03:00 is one hour then
  assert.equal(cadenceOf({ cron: "0 1,3 * * *", time_zone: "America/New_York" }, from).shortestGapMs, 3_600_000);
  // a daily run is 23 hours from the one before on that day; São Paulo has no summer time any more
  assert.equal(cadenceOf({ cron: "0 9 * * *", time_zone: "America/New_York" }, from).shortestGapMs, 23 * 3_600_000);
  assert.equal(cadenceOf({ cron: "0 9 * * *", time_zone: "America/Sao_Paulo" }, from).shortestGapMs, 24 * 3_600_000);
});

test("schedule: back-off doubles after each block or challenge in a row, capped", () => {
  const b = { baseMs: 60_000, maxMs: 10 * 60_000 };
  assert.equal(backoffUntil(1_000, 0, b), null);
  assert.equal(backoffUntil(1_000, 1, b), 61_000);
  assert.equal(backoffUntil(1_000, 2, b), 121_000);
  assert.equal(backoffUntil(1_000, 3, b), 241_000);
  assert.equal(backoffUntil(1_000, 5, b), 601_000);
  assert.equal(backoffUntil(1_000, 60, b), 601_000);
});

test("schedule: bad cron expressions and time zones say why", () => {
  assert.equal(cronProblem("0 9 * * *"), null);
  assert.equal(cronProblem("*/30 * * * * *"), null, "six fields: seconds first");
  assert.equal(cronProblem("@daily"), null);
  assert.match(cronProblem("61 * * * *")!, /minute/);
  assert.match(cronProblem("* * * *")!, /five fields .* or six with seconds first, not 4/);
  // a year field ends the schedule some day: refused on write, read when stored
  assert.match(cronProblem("0 0 12 7 12 * 2026")!, /year field is not supported/);
  assert.equal(storedCronProblem("0 0 12 7 12 * 2026"), null);
  assert.match(storedCronProblem("61 * * * *")!, /minute/);
  // a date that never comes
  assert.match(cronProblem("0 0 30 2 *")!, /never runs/);
  assert.equal(timeZoneProblem("America/Sao_Paulo"), null);
  assert.match(timeZoneProblem("Mars/Olympus")!, /unknown time zone/);
});
