import { test } from "node:test";
import assert from "node:assert/strict";
import { type Episode, step } from "./episodes.ts";

const MIN = 60_000;
const rule: { clear_after: string; rearm_after: string | null } = { clear_after: "30m", rearm_after: null };

/** Runs a sequence of (minute, holds) observations; the minutes at which an alert fired. */
function run(observations: Array<[number, boolean]>, r = rule, silentFirst = false): number[] {
  let state: Episode | undefined;
  const fired: number[] = [];
  observations.forEach(([minute, holds], i) => {
    const { next, fire } = step(state, holds, minute * MIN, r, { silent: silentFirst && i === 0 });
    state = next;
    if (fire) fired.push(minute);
  });
  return fired;
}

test("episodes: one alert when the condition starts, none while it holds", () => {
  assert.deepEqual(run([[0, true], [10, true], [20, true], [600, true]]), [0]);
  assert.deepEqual(run([[0, false], [10, false], [20, true], [30, true]]), [20]);
});

test("episodes: a flapping price is one episode; false for clear_after ends it, the next start alerts", () => {
  // above the target for 10 minutes at a time: the same episode
  assert.deepEqual(run([[0, true], [10, false], [20, true], [25, false], [30, true]]), [0]);
  // false for 30 minutes (seen at 10 and 45): ended; true again: a second alert
  assert.deepEqual(run([[0, true], [10, false], [45, false], [50, true]]), [0, 50]);
  // seen false once, then true 40 minutes later: it was false long enough as far as anyone saw
  assert.deepEqual(run([[0, true], [10, false], [50, true]]), [0, 50]);
  // clear_after 0: every new start alerts
  assert.deepEqual(
    run([[0, true], [1, false], [2, true], [3, false], [4, true]], { clear_after: "0s", rearm_after: null }),
    [
      0,
      2,
      4,
    ],
  );
});

test("episodes: rearm_after repeats an alert while the condition keeps holding", () => {
  assert.deepEqual(
    run([[0, true], [30, true], [60, true], [90, true], [130, true]], { clear_after: "30m", rearm_after: "1h" }),
    [0, 60, 130],
  );
});

test("episodes: a silent first observation opens the episode without an alert", () => {
  assert.deepEqual(run([[0, true], [10, true]], rule, true), []);
  assert.deepEqual(run([[0, true], [10, false], [50, true]], rule, true), [50]);
  assert.deepEqual(run([[0, false], [10, true]], rule, true), [10]);
});

test("episodes: the state counts alerts and keeps when the episode started", () => {
  let s = step(undefined, true, 0, rule).next;
  assert.deepEqual(s, {
    active: true,
    since: new Date(0).toISOString(),
    fired_at: new Date(0).toISOString(),
    false_since: null,
    alerts: 1,
  });
  s = step(s, false, 5 * MIN, rule).next;
  assert.equal(s.false_since, new Date(5 * MIN).toISOString());
  s = step(s, true, 6 * MIN, rule).next;
  assert.equal(s.false_since, null, "true again within clear_after: the same episode goes on");
  assert.equal(s.alerts, 1);
});
