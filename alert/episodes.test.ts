import { test } from "node:test";
import assert from "node:assert/strict";
import { type EpisodeRule, type EpisodeState, step } from "./episodes.ts";

const MIN = 60_000;
/** A test observation's position: its key's letter (or index) as its offset. */
const OFF = (key: string) => key;
const rule: EpisodeRule = { clear_after: "30m", rearm_after: null, absent_after: "3d" };

/** Runs (minute, holds) observations in order; the [minute, episode start, number] of each alert. */
function run(observations: Array<[number, boolean]>, r = rule, silentFirst = false): Array<[number, number, number]> {
  let state: EpisodeState | undefined;
  const fired: Array<[number, number, number]> = [];
  observations.forEach(([minute, holds], i) => {
    const result = step(state, {
      at: minute * MIN,
      tie: OFF(`k${i}`),
      offerKey: `k${i}`,
      holds,
      silent: silentFirst && i === 0,
    }, r);
    state = result.next;
    if (result.fired) fired.push([minute, result.fired.since / MIN, result.fired.number]);
  });
  return fired;
}
const minutes = (fired: Array<[number, number, number]>) => fired.map(([m]) => m);

test("episodes: one alert when the condition starts, none while it holds", () => {
  assert.deepEqual(run([[0, true], [10, true], [20, true], [600, true]]), [[0, 0, 0]]);
  assert.deepEqual(minutes(run([[0, false], [10, false], [20, true], [30, true]])), [20]);
});

test("episodes: a flapping price is one episode; false for clear_after ends it, the next start alerts", () => {
  assert.deepEqual(minutes(run([[0, true], [10, false], [20, true], [25, false], [30, true]])), [0]);
  assert.deepEqual(run([[0, true], [10, false], [45, false], [50, true]]), [[0, 0, 0], [50, 50, 0]]);
  // seen false once, then true 40 minutes later: false long enough as far as anyone saw
  assert.deepEqual(minutes(run([[0, true], [10, false], [50, true]])), [0, 50]);
  assert.deepEqual(
    minutes(run([[0, true], [1, false], [2, true], [3, false], [4, true]], { ...rule, clear_after: "0s" })),
    [0, 2, 4],
  );
});

test("episodes: rearm_after repeats an alert while the condition keeps holding, numbered within the episode", () => {
  assert.deepEqual(
    run([[0, true], [30, true], [60, true], [90, true], [130, true]], { ...rule, rearm_after: "1h" }),
    [[0, 0, 0], [60, 0, 1], [130, 0, 2]],
  );
});

test("episodes: a silent first observation opens the episode without an alert", () => {
  assert.deepEqual(run([[0, true], [10, true]], rule, true), []);
  assert.deepEqual(minutes(run([[0, true], [10, false], [50, true]], rule, true)), [50]);
  assert.deepEqual(minutes(run([[0, false], [10, true]], rule, true)), [10]);
  // a reminder of a silently opened episode is its number 1
  assert.deepEqual(run([[0, true], [70, true]], { ...rule, rearm_after: "1h" }, true), [[70, 0, 1]]);
});

test("episodes: an item absent past absent_after left: back under the target, a new episode", () => {
  const day = 24 * 60;
  // back after 4 days at the same holding price: a second alert
  assert.deepEqual(minutes(run([[0, true], [30, true], [4 * day, true]])), [0, 4 * day]);
  // slipped off the list for a few hours: the same episode
  assert.deepEqual(minutes(run([[0, true], [5 * 60, true], [10 * 60, true]])), [0]);
  // absent_after of 2h: a gap of 3h ends it
  assert.deepEqual(minutes(run([[0, true], [3 * 60, true]], { ...rule, absent_after: "2h" })), [0, 180]);
});

test("episodes: nothing is kept where the condition never held; an observation judged before changes nothing", () => {
  const never = step(
    undefined,
    { at: 0, tie: OFF("a"), offerKey: "a", holds: false, silent: false },
    rule,
  );
  assert.equal(never.next, undefined);
  assert.equal(never.changed, false);
  const opened = step(
    undefined,
    { at: MIN, tie: OFF("b"), offerKey: "b", holds: true, silent: false },
    rule,
  );
  assert.deepEqual(opened.next, {
    seen_at: MIN,
    seen_tie: "b",
    open: { since: MIN, since_key: "b", next: 1, fired_at: MIN, false_since: null },
  });
  // the same observation again, or an earlier one: skipped
  for (const [at, key] of [[MIN, "b"], [MIN, "a"], [0, "z"]] as const) {
    const again = step(
      opened.next,
      { at, tie: OFF(key), offerKey: key, holds: true, silent: false },
      rule,
    );
    assert.equal(again.skipped, true);
    assert.equal(again.fired, null);
    assert.equal(again.next, opened.next);
  }
  // a later one at the same instant (produced after it) is judged
  assert.equal(
    step(opened.next, { at: MIN, tie: OFF("c"), offerKey: "c", holds: false, silent: false }, rule)
      .changed,
    true,
  );
  // the episode ends: the state stays, closed, with its watermark
  const falseAt = step(opened.next, {
    at: 2 * MIN,
    tie: OFF("c"),
    offerKey: "c",
    holds: false,
    silent: false,
  }, rule).next!;
  const closed = step(falseAt, {
    at: 40 * MIN,
    tie: OFF("d"),
    offerKey: "d",
    holds: false,
    silent: false,
  }, rule);
  assert.deepEqual(closed.next, { seen_at: 40 * MIN, seen_tie: "d", open: null });
  // and a later false observation writes nothing
  assert.equal(
    step(
      closed.next,
      { at: 50 * MIN, tie: OFF("e"), offerKey: "e", holds: false, silent: false },
      rule,
    ).changed,
    false,
  );
});
