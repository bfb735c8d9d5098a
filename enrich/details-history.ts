/**
 * Rebuilds the enricher's freshness ledger from the product-details topic when it starts: the
 * details produced within the freshness window, read once from the offset of the window's start
 * to the end of each partition. Without this a restart would fetch every item again.
 *
 * The reader is a consumer of a throwaway group that never commits (the group is gone when it
 * leaves); it seeks each partition to the first offset inside the window.
 */
import type { Kafka } from "kafkajs";
import { onConsumerCrash } from "../shared/kafka-crash.ts";
import { log } from "../shared/log.ts";
import { retry } from "../shared/retry.ts";
import { topicOffsets, withoutEmptyAnswerCrash } from "../shared/topic-offsets.ts";
import type { FreshnessLedger } from "./freshness.ts";

export async function rebuildLedger(
  kafka: Kafka,
  topic: string,
  ledger: FreshnessLedger,
  options: { freshMs: number; groupPrefix: string; timeoutMs?: number; now?: number },
): Promise<{ read: number; items: number }> {
  const since = (options.now ?? Date.now()) - options.freshMs;
  // a topic created a moment ago may not be known to every broker yet (UNKNOWN_TOPIC_OR_PARTITION,
  // retriable): such answers are waited out; anything kafkajs calls not retriable is not
  const { todo, high } = await retry(() => windowOffsets(kafka, topic, since), {
    attempts: 10,
    backoff: { baseMs: 200, maxMs: 5_000, jitter: "equal" },
    retryable: (error) => (error as { retriable?: boolean }).retriable === true,
    onRetry: (error, attempt, delayMs) =>
      log("info", "enricher_freshness_retry", { topic, attempt, delay_ms: delayMs, message: (error as Error).message }),
  });
  if (todo.size === 0) return { read: 0, items: 0 };

  const consumer = kafka.consumer({
    groupId: `${options.groupPrefix}.freshness-${crypto.randomUUID()}`,
    maxBytes: 1 << 20,
  });
  let read = 0;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const remaining = new Set(todo.keys());
  // a reader kafkajs gives up on ends the read early, as a timeout does (the warning below)
  onConsumerCrash(consumer, "enricher freshness", () => finish());
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const range = todo.get(batch.partition);
        for (const message of batch.messages) {
          const offset = BigInt(message.offset);
          if (!range || offset < range.start) continue;
          read++;
          const detail = parseDetail(message.value);
          if (detail) ledger.markDetailed(detail.itemId, detail.fetchedAt);
          if (offset >= range.last) remaining.delete(batch.partition);
        }
        if (remaining.size === 0) finish();
      },
    });
    // run() may return before the group exists (kafkajs restarts a runner that met a retriable
    // error while joining): seek once it does
    await retry(async () => {
      for (const [partition, end] of high) {
        // partitions with nothing in the window are not read at all
        consumer.seek({ topic, partition, offset: String(todo.get(partition)?.start ?? end) });
      }
    }, {
      attempts: 100,
      backoff: { baseMs: 100, maxMs: 1_000, jitter: "equal" },
      retryable: (error) => /not initialized/.test((error as Error).message),
    });
    const timeoutMs = options.timeoutMs ?? 120_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = await Promise.race([
      done.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (timedOut || remaining.size > 0) {
      // not fatal: what was not read is fetched again, within the per-scrape cap
      log("warn", "enricher_freshness_incomplete", { topic, read, partitions_left: remaining.size });
    }
  } finally {
    await consumer.disconnect();
  }
  return { read, items: ledger.size };
}

/** Per partition: the first offset inside the window and the last one, and every partition's end. */
async function windowOffsets(kafka: Kafka, topic: string, since: number) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [starts, ends] = await Promise.all([
      withoutEmptyAnswerCrash(topic, () => admin.fetchTopicOffsetsByTimestamp(topic, since)),
      topicOffsets(admin, topic),
    ]);
    const high = new Map(ends.map((e) => [e.partition, BigInt(e.high)]));
    const todo = new Map<number, { start: bigint; last: bigint }>();
    for (const { partition, offset } of starts) {
      const end = high.get(partition) ?? 0n;
      const start = offset === "-1" ? end : BigInt(offset);
      if (start < end) todo.set(partition, { start, last: end - 1n });
    }
    return { todo, high };
  } finally {
    await admin.disconnect();
  }
}

function parseDetail(value: Uint8Array | Buffer | null): { itemId: string; fetchedAt: number } | null {
  if (!value) return null;
  try {
    const body = JSON.parse(new TextDecoder().decode(value)) as { item_id?: unknown; fetched_at?: unknown };
    const at = typeof body.fetched_at === "string" ? Date.parse(body.fetched_at) : NaN;
    return typeof body.item_id === "string" && Number.isFinite(at) ? { itemId: body.item_id, fetchedAt: at } : null;
  } catch {
    return null;
  }
}
