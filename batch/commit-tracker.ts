/**
 * The consumer's commit bookkeeping, without Kafka: which partitions this member owns in the
 * current group generation, and what it has already committed. Work read in an older generation
 * is never committed (whoever owns those partitions now reads them again), and an offset is
 * never committed backwards.
 */
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
