/** A consumer's crash is said once, at the level of what kafkajs does about it. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import type { Consumer } from "kafkajs";
import { onConsumerCrash } from "./kafka-crash.ts";

/** The part of a kafkajs consumer the listener touches: its CRASH event. */
function crashingConsumer() {
  const emitter = new EventEmitter();
  const consumer = { events: { CRASH: "consumer.crash" }, on: emitter.on.bind(emitter) } as unknown as Consumer;
  const crash = (error: Error, restart: boolean) => emitter.emit("consumer.crash", { payload: { error, restart } });
  return { consumer, crash };
}

function captureLines(run: () => void): Array<Record<string, unknown>> {
  const lines: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = console.error = (line: string) => lines.push(line);
  try {
    run();
  } finally {
    [console.log, console.error] = [log, error];
  }
  return lines.map((l) => JSON.parse(l));
}

test("consumer crash: a restart for a transient cause is info, another restart warn; neither gives up", () => {
  const { consumer, crash } = crashingConsumer();
  const gaveUp: Error[] = [];
  onConsumerCrash(consumer, "unit", (e) => gaveUp.push(e));
  const lines = captureLines(() => {
    crash(new Error("This server is not the leader for that topic-partition"), true);
    crash(new Error("Disk error when trying to access log file on the disk"), true);
  });
  assert.deepEqual(lines.map((l) => [l.event, l.level, l.restart]), [
    ["kafka_consumer_crash", "info", true],
    ["kafka_consumer_crash", "warn", true],
  ]);
  assert.equal(lines[0]!.transient, true);
  assert.deepEqual(gaveUp, []);
});

test("consumer crash: one kafkajs does not restart is an error, and the owner is told", () => {
  const { consumer, crash } = crashingConsumer();
  const gaveUp: Error[] = [];
  onConsumerCrash(consumer, "unit", (e) => gaveUp.push(e));
  const lines = captureLines(() => crash(new Error("Group authorization failed"), false));
  assert.deepEqual(lines.map((l) => [l.event, l.level, l.reader, l.message]), [
    ["kafka_consumer_crash", "error", "unit", "Group authorization failed"],
  ]);
  assert.deepEqual(gaveUp.map((e) => e.message), ["Group authorization failed"]);
});
