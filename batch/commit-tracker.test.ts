/** The consumer's commit decisions, without Kafka: generations, ownership, never backwards. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { CommitTracker } from "./commit-tracker.ts";

const range = (partition: number, first: number, last: number, topic = "t") => ({
  topic,
  partition,
  first: String(first),
  last: String(last),
});

test("commit tracker: a loaded batch commits last + 1 of each partition this member owns", () => {
  const tracker = new CommitTracker();
  const generation = tracker.assign([{ topic: "t", partition: 0 }, { topic: "t", partition: 1 }]);
  assert.deepEqual(tracker.offsetsToCommit([range(0, 0, 9), range(1, 5, 5), range(2, 0, 3)], generation), [
    { topic: "t", partition: 0, offset: "10" },
    { topic: "t", partition: 1, offset: "6" },
  ]);
});

test("commit tracker: a batch read in an older generation commits nothing, even for partitions owned again", () => {
  const tracker = new CommitTracker();
  const old = tracker.assign([{ topic: "t", partition: 0 }]);
  const current = tracker.assign([{ topic: "t", partition: 0 }]);
  assert.notEqual(old, current);
  assert.deepEqual(tracker.offsetsToCommit([range(0, 0, 9)], old), []);
  tracker.markCommitted([{ topic: "t", partition: 0, offset: "10" }], old); // ignored
  assert.deepEqual(tracker.offsetsToCommit([range(0, 0, 9)], current), [{ topic: "t", partition: 0, offset: "10" }]);
});

test("commit tracker: an offset is never committed backwards or twice", () => {
  const tracker = new CommitTracker();
  const generation = tracker.assign([{ topic: "t", partition: 0 }]);
  const first = tracker.offsetsToCommit([range(0, 10, 19)], generation);
  tracker.markCommitted(first, generation);
  assert.deepEqual(tracker.offsetsToCommit([range(0, 10, 19)], generation), [], "the same batch again");
  assert.deepEqual(tracker.offsetsToCommit([range(0, 0, 9)], generation), [], "an older range");
  assert.deepEqual(tracker.offsetsToCommit([range(0, 20, 20)], generation), [{
    topic: "t",
    partition: 0,
    offset: "21",
  }]);
});

test("commit tracker: offsets beyond 2^53 stay exact", () => {
  const tracker = new CommitTracker();
  const generation = tracker.assign([{ topic: "t", partition: 0 }]);
  const big = "9007199254740993"; // 2^53 + 1
  assert.deepEqual(tracker.offsetsToCommit([{ topic: "t", partition: 0, first: big, last: big }], generation), [
    { topic: "t", partition: 0, offset: "9007199254740994" },
  ]);
});
