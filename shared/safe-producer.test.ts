/**
 * The producer's lanes, with a scripted stand-in for kafkajs (the real-Kafka behaviour, a leader
 * SIGKILLed mid-run, is edge/broker-failure.int.test.ts): one send in flight per partition,
 * requests for a partition coalesced, a stuck partition holding only its own requests, and a
 * new producer session after a failed send.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Admin, Producer, ProducerRecord } from "kafkajs";
import { type KafkaClient, ProduceError, SafeProducer } from "./safe-producer.ts";

interface Script {
  /** Partitions whose sends never finish (a dead leader). */
  stuck: Set<number>;
  /** Sends that fail, by partition, once each. */
  failOnce: Set<number>;
  calls: Array<{ session: number; partition: number; messages: number }>;
  sessions: number;
  disconnected: number[];
  release: Array<() => void>;
}

function fakeKafka(script: Script): KafkaClient {
  return {
    admin: () =>
      ({
        connect: () => Promise.resolve(),
        disconnect: () => Promise.resolve(),
        fetchTopicMetadata: () =>
          Promise.resolve({
            topics: [{
              name: "t",
              partitions: Array.from({ length: 6 }, (_, i) => ({ partitionId: i, leader: 1, replicas: [1], isr: [1] })),
            }],
          }),
      }) as unknown as Admin,
    producer: () => {
      const session = ++script.sessions;
      return {
        connect: () => Promise.resolve(),
        disconnect: () => (script.disconnected.push(session), Promise.resolve()),
        send: (record: ProducerRecord) => {
          const partition = record.messages[0]!.partition!;
          script.calls.push({ session, partition, messages: record.messages.length });
          if (script.failOnce.delete(partition)) return Promise.reject(new Error(`leader of ${partition} gone`));
          if (script.stuck.has(partition)) return new Promise((resolve) => script.release.push(() => resolve([])));
          return new Promise((resolve) => setTimeout(() => resolve([]), 5));
        },
      } as unknown as Producer;
    },
  };
}

const script = (): Script => ({
  stuck: new Set(),
  failOnce: new Set(),
  calls: [],
  sessions: 0,
  disconnected: [],
  release: [],
});

/** A message whose key lands on `partition` under kafkajs's murmur2 partitioner (6 partitions). */
function keyFor(partition: number, seed = 0): string {
  const producer = new SafeProducer({ brokers: ["x:1"] }, { topic: "t" }, fakeKafka(script()));
  const partitioner = (producer as unknown as { partitioner: (a: unknown) => number }).partitioner;
  const metadata = Array.from({ length: 6 }, (_, i) => ({ partitionId: i, leader: 1, replicas: [1], isr: [1] }));
  for (let i = seed;; i++) {
    const key = `MLB${1_000_000 + i}`;
    if (partitioner({ topic: "t", partitionMetadata: metadata, message: { key, value: "" } }) === partition) return key;
  }
}

test("producer: a stuck partition holds only the requests with messages for it", async () => {
  const s = script();
  s.stuck.add(3);
  const producer = new SafeProducer({ brokers: ["x:1"] }, { topic: "t", sendTimeoutMs: 300 }, fakeKafka(s));
  const order: string[] = [];
  const toStuck = producer.send([{ key: keyFor(3), value: "a" }, { key: keyFor(1), value: "b" }]).then(
    () => order.push("stuck request resolved"),
    (e) => {
      order.push("stuck request failed");
      assert.ok(e instanceof ProduceError);
      assert.equal(e.produced, 1, "the healthy partition's message was acknowledged");
      assert.equal(e.notProduced, 1);
    },
  );
  await producer.send([{ key: keyFor(1, 7), value: "c" }, { key: keyFor(5), value: "d" }]);
  order.push("healthy request resolved");
  await toStuck;
  assert.deepEqual(order, ["healthy request resolved", "stuck request failed"]);
  for (const r of s.release) r();
});

test("producer: one send in flight per partition; requests that arrive meanwhile are coalesced", async () => {
  const s = script();
  const producer = new SafeProducer({ brokers: ["x:1"] }, { topic: "t" }, fakeKafka(s));
  const key = keyFor(2);
  await Promise.all(Array.from({ length: 10 }, (_, i) => producer.send([{ key, value: String(i) }])));
  const toPartition2 = s.calls.filter((c) => c.partition === 2);
  assert.equal(toPartition2.reduce((n, c) => n + c.messages, 0), 10);
  assert.equal(toPartition2.length, 2, "the first send, then the other nine in one");
});

test("producer: after a failed send the session is discarded; the next send starts a new one", async () => {
  const s = script();
  s.failOnce.add(4);
  const producer = new SafeProducer({ brokers: ["x:1"] }, { topic: "t" }, fakeKafka(s));
  await assert.rejects(producer.send([{ key: keyFor(4), value: "x" }]), ProduceError);
  await producer.send([{ key: keyFor(4), value: "y" }]);
  assert.deepEqual(s.calls.map((c) => c.session), [1, 2]);
  assert.deepEqual(s.disconnected, [1], "the failed session is disconnected once nothing is in flight on it");
});
