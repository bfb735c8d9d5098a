/**
 * The baseline of bench/consume: a bare kafkajs eachBatch consumer on Bun that only counts,
 * in a process of its own (its RSS is measured apart). Prints {seconds, offers}. With
 * --sized-gunzip it inflates gzip batches with the daemon's codec (shared/kafka-gzip.ts) instead
 * of kafkajs's own: the read ceiling the daemon has, as opposed to kafkajs's.
 *   bun run bench/consume/bare-consumer.ts <topic> <count> [--sized-gunzip]
 */
import { Kafka, logLevel } from "kafkajs";
import process from "node:process";
import { kafkaConfigFromEnv } from "../../shared/kafka.ts";
import { useSizedGunzip } from "../../shared/kafka-gzip.ts";

const [topic, countText] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
if (process.argv.includes("--sized-gunzip")) useSizedGunzip();
const count = Number(countText);
const kafka = new Kafka({ ...kafkaConfigFromEnv(process.env, "bench-bare"), logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId: `bench-bare-${Date.now()}`, maxWaitTimeInMs: 1_000 });
const started = performance.now();
let seen = 0;
await consumer.connect();
await consumer.subscribe({ topic: topic!, fromBeginning: true });
await new Promise<void>((resolve) => {
  void consumer.run({
    eachBatch: async ({ batch }) => {
      seen += batch.messages.length;
      if (seen >= count) resolve();
    },
  });
});
const seconds = (performance.now() - started) / 1000;
await consumer.disconnect();
console.log(JSON.stringify({ seconds, offers: seen }));
process.exit(0);
