import { test } from "node:test";
import assert from "node:assert/strict";
import { DayFolds } from "./day-folds.ts";

test("day folds: a day is folded whole once the stream moves past it, never while it is the stream's day", () => {
  const folds = new DayFolds();
  folds.learn([], []);
  assert.deepEqual(folds.plan(["2026-06-01"]), { days: [], late: [] }, "the day being scraped stays open");
  assert.deepEqual(folds.plan(["2026-06-01"]), { days: [], late: [] });
  // the first load of the next day closes the day before, whether or not it carries its rows
  const next = folds.plan(["2026-06-02"]);
  assert.deepEqual(next, { days: ["2026-06-01"], late: [] });
  folds.done(next);
  assert.deepEqual(folds.plan(["2026-06-02"]), { days: [], late: [] });
});

test("day folds: rows for a day already folded refold its items; a plan not carried out is planned again", () => {
  const folds = new DayFolds();
  folds.learn(["2026-06-01", "2026-06-02"], ["2026-06-01"]);
  // a batch straddling midnight, after the day before was folded
  assert.deepEqual(folds.plan(["2026-06-01", "2026-06-02"]), { days: [], late: ["2026-06-01"] });
  // a late batch of the old day alone, after a later day was loaded elsewhere
  folds.learn(["2026-06-03"], []);
  const plan = folds.plan(["2026-06-01"]);
  assert.deepEqual(plan, { days: ["2026-06-02"], late: ["2026-06-01"] });
  // the load failed before folding: the next load plans it again
  assert.deepEqual(folds.plan(["2026-06-03"]).days, ["2026-06-02"]);
});

test("day folds: a backfill of many days folds them all, within the readers' horizon", () => {
  const folds = new DayFolds(30);
  folds.learn([], []);
  const days = Array.from({ length: 40 }, (_, i) => `2026-05-${String(i % 31 + 1).padStart(2, "0")}`);
  const plan = folds.plan([...new Set(days), "2026-06-15"]);
  assert.equal(plan.days[0], "2026-05-16", "older than the horizon: not folded");
  assert.equal(plan.days.at(-1), "2026-05-31");
  assert.ok(!plan.days.includes("2026-06-15"));
});
