/** kafkajs's TypeError while a leader moves is retried, then a retriable error naming the topic. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { OffsetsUnavailableError, topicOffsets } from "./topic-offsets.ts";

const crash = () => new TypeError("Cannot destructure property 'partitions' from null or undefined value");
const answer = [{ partition: 0, offset: "5", high: "5", low: "0" }];

test("topic offsets: kafkajs's empty-answer crash is retried and the answer comes through", async () => {
  let calls = 0;
  const admin = {
    fetchTopicOffsets: () => (++calls < 3 ? Promise.reject(crash()) : Promise.resolve(answer)),
  };
  assert.deepEqual(await topicOffsets(admin, "t"), answer);
  assert.equal(calls, 3);
});

test("topic offsets: a crash that lasts is a retriable error naming the topic; other errors pass unchanged", async () => {
  const crashing = { fetchTopicOffsets: () => Promise.reject(crash()) };
  await assert.rejects(topicOffsets(crashing, "deal-of-the-day"), (error: unknown) => {
    assert.ok(error instanceof OffsetsUnavailableError);
    assert.equal(error.retriable, true);
    assert.match(error.message, /deal-of-the-day/);
    return true;
  });
  const refused = new Error("Topic authorization failed");
  let calls = 0;
  const failing = { fetchTopicOffsets: () => (calls++, Promise.reject(refused)) };
  await assert.rejects(topicOffsets(failing, "t"), refused);
  assert.equal(calls, 1, "not retried here");
});
