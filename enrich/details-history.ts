/**
 * Rebuilds the enricher's freshness ledger from the product-details topic when it starts: the
 * details produced within the freshness window, read once from the offset of the window's start
 * to the end of each partition. Without this a restart would fetch every item again.
 *
 * The reader is a consumer of a throwaway group that never commits (the group is gone when it
 * leaves); it seeks each partition to the first offset inside the window.
 */
import type { Kafka } from "kafkajs";
import { log } from "../shared/log.ts";
import type { FreshnessLedger } from "./freshness.ts";

export async function rebuildLedger(
  kafka: Kafka,
  topic: string,
  ledger: FreshnessLedger,
  options: { freshMs: number; groupPrefix: string; timeoutMs?: number; now?: number },
): Promise<{ read: number; items: number }> {
  const since = (options.now ?? Date.now()) - options.freshMs;
  const admin = kafka.admin();
  await admin.connect();
  let todo: Map<number, { start: bigint; last: bigint }>;
  let high: Map<number, bigint>;
  try {
    const [starts, ends] = await Promise.all([
      admin.fetchTopicOffsetsByTimestamp(topic, since),
      admin.fetchTopicOffsets(topic),
    ]);
    high = new Map(ends.map((e) => [e.partition, BigInt(e.high)]));
    todo = new Map();
    for (const { partition, offset } of starts) {
      const end = high.get(partition) ?? 0n;
      const start = offset === "-1" ? end : BigInt(offset);
      if (start < end) todo.set(partition, { start, last: end - 1n });
    }
  } finally {
    await admin.disconnect();
  }
  if (todo.size === 0) return { read: 0, items: 0 };

  const consumer = kafka.consumer({
    groupId: `${options.groupPrefix}.freshness-${crypto.randomUUID()}`,
    maxBytes: 1 << 20,
  });
  let read = 0;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const remaining = new Set(todo.keys());
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
    for (const [partition, end] of high) {
      // partitions with nothing in the window are not read at all
      consumer.seek({ topic, partition, offset: String(todo.get(partition)?.start ?? end) });
    }
    const timeoutMs = options.timeoutMs ?? 120_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = await Promise.race([
      done.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      // not fatal: what was not read is fetched again, within the per-scrape cap
      log("warn", "enricher_freshness_incomplete", { topic, read, partitions_left: remaining.size });
    }
  } finally {
    await consumer.disconnect();
  }
  return { read, items: ledger.size };
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
