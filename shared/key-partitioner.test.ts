/** The cheap partitioner must put every key where kafkajs's DefaultPartitioner (and Java's) does. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Partitioners, type PartitionMetadata } from "kafkajs";
import { murmur2, partitionOfKey } from "./key-partitioner.ts";

const metadata = (n: number): PartitionMetadata[] =>
  Array.from({ length: n }, (_, i) => ({ partitionErrorCode: 0, partitionId: i, leader: 0, replicas: [0], isr: [0] }));

test("key partitioner: Kafka's published murmur2 values (the Java client's UtilsTest)", () => {
  const cases: Array<[string, number]> = [
    ["21", -973932308],
    ["foobar", -790332482],
    ["a-little-bit-long-string", -985981536],
    ["a-little-bit-longer-string", -1486304829],
    ["lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971],
    ["abc", 479470107],
  ];
  for (const [key, expected] of cases) assert.equal(murmur2(new TextEncoder().encode(key)), expected, key);
});

test("key partitioner: the same partition as kafkajs's DefaultPartitioner for 20,000 keys", () => {
  const kafkajs = Partitioners.DefaultPartitioner();
  let seed = 12345;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const alphabet = "abcXYZ019-_ çãé€漢😀";
  for (let i = 0; i < 20_000; i++) {
    const chars = Array.from(
      { length: Math.floor(random() * 40) },
      () => alphabet[Math.floor(random() * alphabet.length)],
    );
    const key = i % 3 === 0 ? `MLB${4_000_000_000 + i}` : chars.join("");
    for (const partitions of [1, 3, 6, 7, 12]) {
      const expected = kafkajs({ topic: "t", partitionMetadata: metadata(partitions), message: { key, value: null } });
      assert.equal(partitionOfKey(key, partitions), expected, `${JSON.stringify(key)} over ${partitions}`);
      assert.equal(partitionOfKey(new TextEncoder().encode(key), partitions), expected);
    }
  }
});
