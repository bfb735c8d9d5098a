/** kafkajs lines at the level an operator should read them at: transient retries are info. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { logLevel } from "kafkajs";
import { levelOf } from "./kafka-log.ts";
import { isKnownHarmless } from "./runtime-warnings.ts";

test("kafka log: refused connections and retriable broker answers while a cluster starts are info", () => {
  const transient = [
    { message: "Connection error: connect ECONNREFUSED 127.0.0.1:9092" },
    {
      message:
        "Failed to connect to seed broker, trying another broker from the list: Connection error: connect ECONNREFUSED 127.0.0.1:9094",
    },
    {
      message: "Response InitProducerId(key: 22, version: 1)",
      error: "The coordinator is loading and hence can't process requests for this group",
    },
    { message: "Response GroupCoordinator(key: 10, version: 2)", error: "The group coordinator is not available" },
    { message: "Response Metadata(key: 3, version: 6)", error: "There is no leader for this topic-partition" },
    {
      message:
        "Crash: KafkaJSProtocolError: The coordinator is loading and hence can't process requests for this group",
    },
    { message: "Restarting the consumer in 300ms" },
    // a leader or coordinator moving (a broker restarted, a preferred leader taking over again)
    {
      message: "Response Produce(key: 0, version: 7)",
      error: "This server is not the leader for that topic-partition",
    },
    { message: "Response OffsetCommit(key: 8, version: 5)", error: "The coordinator is not aware of this member" },
    { message: "Response Fetch(key: 1, version: 11)", error: "The server disconnected before a response was received" },
    { message: "Request Fetch(key: 1, version: 11) timed out" },
    { message: "Consumer is not aware of all assigned partitions, refreshing metadata" },
  ];
  for (const entry of transient) assert.equal(levelOf(logLevel.ERROR, entry), "info", entry.message);
});

test("kafka log: a consumer's crash is info here; onConsumerCrash says what it means, once", () => {
  assert.equal(levelOf(logLevel.ERROR, { message: "Crash: KafkaJSProtocolError: Group authorization failed" }), "info");
});

test("kafka log: anything else keeps its level (an operator must look at it)", () => {
  assert.equal(
    levelOf(logLevel.ERROR, { message: "Response Produce(key: 0, version: 7)", error: "Topic authorization failed" }),
    "error",
  );
  assert.equal(levelOf(logLevel.WARN, { message: "Consumer group rebalance took 60 s" }), "warn");
  assert.equal(levelOf(logLevel.INFO, { message: "Consumer has joined the group" }), "info");
  assert.equal(levelOf(logLevel.DEBUG, { message: "Request Fetch" }), "debug");
});

test("runtime warnings: only kafkajs's negative timer warning is known harmless", () => {
  assert.equal(isKnownHarmless({ name: "TimeoutNegativeWarning" }), true);
  assert.equal(isKnownHarmless({ name: "DeprecationWarning" }), false);
  assert.equal(isKnownHarmless({ name: "MaxListenersExceededWarning" }), false);
});
