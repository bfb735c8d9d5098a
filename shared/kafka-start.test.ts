import { test } from "node:test";
import assert from "node:assert/strict";
import { untilKafkaAnswers } from "./kafka-start.ts";

const fast = { baseMs: 1, maxMs: 2, jitter: "none" as const };
const connectionError = () =>
  Object.assign(new Error("Connection error: connect ECONNREFUSED 127.0.0.1:29096"), {
    name: "KafkaJSConnectionError",
  });

/** Runs `body` with the info lines collected. */
async function infoLines<T>(
  body: () => Promise<T>,
): Promise<{ value: T | Error; lines: Array<Record<string, unknown>> }> {
  const lines: Array<Record<string, unknown>> = [];
  const original = console.log;
  console.log = (line: string) => lines.push(JSON.parse(line));
  try {
    return { value: await body().catch((e: Error) => e), lines };
  } finally {
    console.log = original;
  }
}

test("kafka start: an unreachable broker is waited out quietly, a half-done attempt undone each time", async () => {
  let attempts = 0;
  let cleanups = 0;
  const { value, lines } = await infoLines(() =>
    untilKafkaAnswers(() => (++attempts < 4 ? Promise.reject(connectionError()) : Promise.resolve("joined")), {
      daemon: "consumer",
      what: "group",
      backoff: fast,
      cleanup: () => Promise.resolve(cleanups++),
    })
  );
  assert.equal(value, "joined");
  assert.equal(cleanups, 3);
  assert.deepEqual(lines.map((l) => [l.level, l.event, l.step, l.transient]), [
    ["info", "consumer_kafka_unavailable", "group", true],
    ["info", "consumer_kafka_unavailable", "group", true],
    ["info", "consumer_kafka_unavailable", "group", true],
  ]);
});

test("kafka start: refused credentials end the start at once; so does a stop", async () => {
  let attempts = 0;
  const sasl = Object.assign(new Error("SASL PLAIN authentication failed"), { name: "KafkaJSSASLAuthenticationError" });
  const refused = await infoLines(() =>
    untilKafkaAnswers(() => (attempts++, Promise.reject(sasl)), { daemon: "consumer", what: "group", backoff: fast })
  );
  assert.equal(refused.value, sasl);
  assert.equal(attempts, 1);

  let stopping = false;
  const stopped = await infoLines(() =>
    untilKafkaAnswers(() => {
      stopping = true;
      return Promise.reject(connectionError());
    }, { daemon: "consumer", what: "group", backoff: fast, stopped: () => stopping })
  );
  assert.match((stopped.value as Error).message, /ECONNREFUSED/);
  assert.deepEqual(stopped.lines, []);
});
