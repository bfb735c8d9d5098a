import { test } from "node:test";
import assert from "node:assert/strict";
import { daysBetween, priceTicks, weekTicks } from "./ticks.ts";

test("price ticks: 1-2-5 steps that cover the range, round values only", () => {
  // the y ticks of the chart (R$ 35,65 / 29,39 / 23,14) become these
  assert.deepEqual(priceTicks(23.14, 35.65), { ticks: [20, 25, 30, 35, 40], step: 5 });
  assert.deepEqual(priceTicks(3149, 5609), { ticks: [3000, 4000, 5000, 6000], step: 1000 });
  assert.deepEqual(priceTicks(0.82, 1.31).ticks, [0.8, 1, 1.2, 1.4]);
  for (const [lo, hi] of [[1, 2], [99.9, 100.1], [12345, 67890], [0, 0.07], [71492, 88480]]) {
    const { ticks, step } = priceTicks(lo!, hi!);
    assert.ok(ticks[0]! <= lo! && ticks.at(-1)! >= hi!, `${lo}-${hi} covered`);
    const mantissa = step / 10 ** Math.floor(Math.log10(step));
    assert.ok([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9), `step ${step}`);
  }
});

test("week ticks: every 7th day from the first; days between dates", () => {
  assert.deepEqual(weekTicks("2026-06-01", "2026-06-30"), [
    "2026-06-01",
    "2026-06-08",
    "2026-06-15",
    "2026-06-22",
    "2026-06-29",
  ]);
  assert.deepEqual(weekTicks("2026-06-01", "2026-06-01"), ["2026-06-01"]);
  assert.equal(daysBetween("2026-02-27", "2026-03-02"), 3);
});
