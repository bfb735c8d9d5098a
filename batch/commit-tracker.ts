/**
 * The consumer's commit bookkeeping, without Kafka: which partitions this member owns in the
 * current group generation, and what it has already committed. Work read in an older generation
 * is never committed (whoever owns those partitions now reads them again), and an offset is
 * never committed backwards.
 */
import { log } from "../shared/log.ts";
import { retry } from "../shared/retry.ts";
import type { OffsetRange } from "./staging.ts";

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface CommitOffset extends TopicPartition {
  /** The next offset to read: last loaded + 1. */
  offset: string;
}

const tp = (topic: string, partition: number) => `${topic}/${partition}`;

export class CommitTracker {
  /** Bumped at every assignment. */
  generation = 0;
  private assigned = new Set<string>();
  private committed = new Map<string, bigint>();

  assign(partitions: readonly TopicPartition[]): number {
    this.generation++;
    this.assigned = new Set(partitions.map((p) => tp(p.topic, p.partition)));
    this.committed.clear();
    return this.generation;
  }

  get partitions(): string[] {
    return [...this.assigned];
  }

  /** What to commit for a batch read in `generation`: nothing if the group moved on since. */
  offsetsToCommit(ranges: readonly OffsetRange[], generation: number): CommitOffset[] {
    if (generation !== this.generation) return [];
    return ranges
      .filter((r) => this.assigned.has(tp(r.topic, r.partition)))
      .map((r) => ({ topic: r.topic, partition: r.partition, offset: (BigInt(r.last) + 1n).toString() }))
      .filter((o) => BigInt(o.offset) > (this.committed.get(tp(o.topic, o.partition)) ?? -1n));
  }

  markCommitted(offsets: readonly CommitOffset[], generation: number): void {
    if (generation !== this.generation) return;
    for (const o of offsets) this.committed.set(tp(o.topic, o.partition), BigInt(o.offset));
  }
}

/**
 * Commits last+1 for each partition of a batch that this member still owns. A commit that fails
 * after a successful load loses nothing: the records are read again and the warehouse keeps one
 * row per key. True when committed.
 */
export async function commitBatch(
  tracker: CommitTracker,
  commit: (offsets: CommitOffset[]) => Promise<void>,
  ranges: readonly OffsetRange[],
  generation: number,
): Promise<boolean> {
  const offsets = tracker.offsetsToCommit(ranges, generation);
  if (offsets.length === 0) {
    if (generation !== tracker.generation) {
      log("info", "commit_skipped", { reason: "rebalance since the batch was read" });
    }
    return false;
  }
  try {
    await retry(() => commit(offsets), {
      attempts: 3,
      backoff: { baseMs: 500, maxMs: 2_000, jitter: "equal" },
      retryable: () => generation === tracker.generation,
    });
    tracker.markCommitted(offsets, generation);
    return true;
  } catch (error) {
    log("warn", "commit_failed", {
      message: (error as Error).message,
      note: "loaded rows stay; the records will be read again and de-duplicated",
    });
    return false;
  }
}
